import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { armOperation } from './request-action.js';

const S = '/subscriptions/11111111-1111-1111-1111-111111111111';

describe('armOperation', () => {
  const cases: [string, string, string, string, string][] = [
    ['GET', '/tenants', 'Microsoft.Resources/tenants/read', '/', 'reads'],
    ['GET', '/subscriptions', 'Microsoft.Resources/subscriptions/read', '/', 'reads'],
    ['GET', S, 'Microsoft.Resources/subscriptions/read', S, 'reads'],
    ['GET', `${S}/resourcegroups`, 'Microsoft.Resources/subscriptions/resourceGroups/read', S, 'reads'],
    ['PUT', `${S}/resourcegroups/rg1`, 'Microsoft.Resources/subscriptions/resourceGroups/write', `${S}/resourceGroups/rg1`, 'writes'],
    ['PATCH', `${S}/resourceGroups/rg1`, 'Microsoft.Resources/subscriptions/resourceGroups/write', `${S}/resourceGroups/rg1`, 'writes'],
    ['DELETE', `${S}/resourceGroups/rg1`, 'Microsoft.Resources/subscriptions/resourceGroups/delete', `${S}/resourceGroups/rg1`, 'deletes'],
    ['HEAD', `${S}/resourceGroups/rg1`, 'Microsoft.Resources/subscriptions/resourceGroups/read', `${S}/resourceGroups/rg1`, 'reads'],
    ['GET', `${S}/resourceGroups/rg1/resources`, 'Microsoft.Resources/subscriptions/resourceGroups/resources/read', `${S}/resourceGroups/rg1`, 'reads'],
    ['POST', `${S}/resourcegroups/rg1/exportTemplate`, 'Microsoft.Resources/subscriptions/resourceGroups/exportTemplate/action', `${S}/resourceGroups/rg1`, 'writes'],
    ['GET', `${S}/resources`, 'Microsoft.Resources/subscriptions/resources/read', S, 'reads'],
    ['GET', `${S}/providers`, 'Microsoft.Resources/subscriptions/providers/read', S, 'reads'],
    ['GET', `${S}/providers/Microsoft.Compute`, 'Microsoft.Resources/subscriptions/providers/read', S, 'reads'],
    ['POST', `${S}/providers/Microsoft.Compute/register`, 'Microsoft.Compute/register/action', S, 'writes'],
    ['POST', `${S}/providers/Microsoft.Compute/unregister`, 'Microsoft.Compute/unregister/action', S, 'writes'],
    // Generic resources, child resources and POST verbs (lighthouse.md §4.2).
    ['PUT', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`, 'Microsoft.Compute/virtualMachines/write', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`, 'writes'],
    ['POST', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/restart`, 'Microsoft.Compute/virtualMachines/restart/action', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`, 'writes'],
    ['GET', `${S}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn/subnets/s1`, 'Microsoft.Network/virtualNetworks/subnets/read', `${S}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn/subnets/s1`, 'reads'],
    ['GET', `${S}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn/subnets`, 'Microsoft.Network/virtualNetworks/subnets/read', `${S}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn`, 'reads'],
    ['GET', `${S}/resourceGroups/rg1/providers/Microsoft.Network//virtualNetworks/vn`, 'Microsoft.Network/virtualNetworks/read', `${S}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn`, 'reads'],
    ['POST', `${S}/providers/Microsoft.Storage/checkNameAvailability`, 'Microsoft.Storage/checkNameAvailability/action', S, 'writes'],
    // Collections of an extension provider: `…/read` at the parent scope.
    ['GET', `${S}/providers/Microsoft.Authorization/roleAssignments`, 'Microsoft.Authorization/roleAssignments/read', S, 'reads'],
    ['PUT', `${S}/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments/a1`, 'Microsoft.Authorization/roleAssignments/write', `${S}/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments/a1`, 'writes'],
    ['DELETE', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/roleAssignments/a1`, 'Microsoft.Authorization/roleAssignments/delete', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/roleAssignments/a1`, 'deletes'],
    ['GET', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Authorization/roleAssignments`, 'Microsoft.Authorization/roleAssignments/read', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`, 'reads'],
    ['GET', `${S}/resourceGroups/rg1/providers/Microsoft.Authorization/permissions`, 'Microsoft.Authorization/permissions/read', `${S}/resourceGroups/rg1`, 'reads'],
    ['GET', '/providers/Microsoft.Authorization/roleDefinitions', 'Microsoft.Authorization/roleDefinitions/read', '/', 'reads'],
    ['GET', '/providers/Microsoft.ManagedServices/operations', 'Microsoft.ManagedServices/operations/read', '/', 'reads'],
    ['GET', `${S}/providers/microsoft.insights/eventtypes/management/values`, 'microsoft.insights/eventtypes/values/read', `${S}/providers/microsoft.insights/eventtypes/management`, 'reads'],
    ['GET', '/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleAssignments', 'Microsoft.Authorization/roleAssignments/read', '/providers/Microsoft.Management/managementGroups/mg1', 'reads'],
  ];
  for (const [method, path, action, scope, requestClass] of cases) {
    it(`${method} ${path.replace(S, '/subscriptions/{s}')} is ${action} at its scope`, () => {
      const op = armOperation(method, path);
      assert.equal(op.action, action);
      assert.equal(op.scope, scope);
      assert.equal(op.requestClass, requestClass);
    });
  }

  it('carries the subscription and the versioned resource type', () => {
    const op = armOperation('GET', `${S}/resourceGroups/rg1?api-version=2025-04-01`);
    assert.equal(op.subscriptionId, '11111111-1111-1111-1111-111111111111');
    assert.equal(op.resourceType, 'Microsoft.Resources/resourceGroups');
    assert.equal(armOperation('GET', '/subscriptions').subscriptionId, undefined);
  });

  it('refuses paths ARM does not route, with InvalidResourceId', () => {
    for (const path of ['/', '/foo', `${S}/resourceGroups/rg1/providers`, `${S}/resourceGroups/rg1/providers/Microsoft.Compute`, `${S}/a/b`]) {
      assert.throws(() => armOperation('GET', path), { code: 'InvalidResourceId' }, path);
    }
  });

  it('refuses a write on a collection path', () => {
    assert.throws(() => armOperation('PUT', `${S}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines`), { code: 'InvalidResourceId' });
  });

  it('refuses methods ARM does not know', () => {
    assert.throws(() => armOperation('TRACE', S), { code: 'UnsupportedHttpMethod' });
  });
});
