import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceFilter } from './resource-filter.js';

const vnet = { type: 'Microsoft.Network/virtualNetworks', name: 'hub-vnet', location: 'westeurope', tags: { env: 'Prod' } };
const vm = { type: 'Microsoft.Compute/virtualMachines', name: "o'brien-vm", location: 'eastus', tags: {} };

describe('parseResourceFilter', () => {
  it('matches everything without a filter', () => {
    assert.equal(parseResourceFilter(undefined)(vm), true);
  });
  it("matches resourceType eq case-insensitively", () => {
    const f = parseResourceFilter("resourceType eq 'microsoft.network/virtualnetworks'");
    assert.equal(f(vnet), true);
    assert.equal(f(vm), false);
  });
  it('joins resourceType clauses with or', () => {
    const f = parseResourceFilter("resourceType eq 'Microsoft.Network/virtualNetworks' or resourceType eq 'Microsoft.Compute/virtualMachines'");
    assert.equal(f(vnet) && f(vm), true);
  });
  it('joins clauses with and, including tags, location, name and substringof', () => {
    assert.equal(parseResourceFilter("tagName eq 'env' and tagValue eq 'prod'")(vnet), true);
    assert.equal(parseResourceFilter("tagName eq 'env' and tagValue eq 'dev'")(vnet), false);
    assert.equal(parseResourceFilter("location eq 'westeurope' and substringof('vnet', name)")(vnet), true);
    assert.equal(parseResourceFilter("name eq 'o''brien-vm'")(vm), true);
  });
  it('refuses what ARM refuses with InvalidFilterInQueryString', () => {
    for (const bad of ["resourceType ne 'x'", "kind eq 'x'", "resourceType eq 'x' or name eq 'y'", "tagValue eq 'x'", "resourceType eq 'x' xor", "resourceType eq x"]) {
      assert.throws(() => parseResourceFilter(bad), { code: 'InvalidFilterInQueryString' }, bad);
    }
  });
});
