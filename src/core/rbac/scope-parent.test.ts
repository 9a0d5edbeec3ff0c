import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { ancestorScopes } from '../scope.js';
import { parentOf } from './scope-parent.js';

const SUB = '/subscriptions/33333333-3333-4333-8333-333333333333';
const RG = `${SUB}/resourceGroups/rg-app`;

describe('parentOf', () => {
  it('answers as ancestorScopes does, on the fast shapes and the rest', () => {
    const scopes = [
      '/', SUB, `${SUB.toUpperCase()}`, RG, `${SUB}/RESOURCEGROUPS/Rg`, `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`,
      `${RG}/PROVIDERS/Microsoft.Web/sites/s1`, `${RG}/providers/providers/type/name`, `${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
      `${RG}/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/locks/l`, `${SUB}/providers/Microsoft.Security/pricings/p`,
      '/providers/Microsoft.Management/managementGroups/mg', '/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/p',
    ];
    for (const scope of scopes) assert.equal(parentOf(scope), ancestorScopes(scope)[1], scope);
  });

  it('refuses what parseScope refuses, fast shapes included', () => {
    const bad = [
      '/subscriptions', `${RG}/providers/Microsoft.Compute/virtualMachines`, `${RG}/providers/Microsoft.Compute/providers/vm1`,
      `${RG}/providers/Microsoft.Compute/virtualMachines/providers`, `${RG}/things/Microsoft.Compute/virtualMachines/vm1`, '/tenants/x',
    ];
    for (const scope of bad) assert.throws(() => parentOf(scope), (e: unknown) => e instanceof DomainError && e.code === 'InvalidResourceId', scope);
  });
});
