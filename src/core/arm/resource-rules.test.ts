import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertSameResourceGroupLocation, mergePatch, normalizeLocation, validateResourceGroupName, validateResourceName, validateTags } from './resource-rules.js';

describe('resource rules', () => {
  it('accepts resource group names ARM accepts and refuses the others with InvalidResourceGroup', () => {
    for (const ok of ['rg', 'my-rg_1.(prod)', 'ÄÖ-gruppe', 'x'.repeat(90)]) assert.doesNotThrow(() => validateResourceGroupName(ok), ok);
    for (const bad of ['', 'x'.repeat(91), 'ends.', 'has space', 'a/b', 'semi;colon']) assert.throws(() => validateResourceGroupName(bad), { code: 'InvalidResourceGroup' }, bad);
  });
  it('normalizes locations and requires one where asked', () => {
    assert.equal(normalizeLocation('West Europe', true), 'westeurope');
    assert.equal(normalizeLocation(undefined, false), undefined);
    assert.throws(() => normalizeLocation(' ', true), { code: 'LocationRequired' });
  });
  it('keeps a resource group in its location', () => {
    assert.doesNotThrow(() => assertSameResourceGroupLocation('westeurope', 'WestEurope'));
    assert.throws(() => assertSameResourceGroupLocation('westeurope', 'eastus'), { code: 'InvalidResourceGroupLocation' });
  });
  it('checks tag count, names and values', () => {
    assert.deepEqual(validateTags(undefined), {});
    assert.throws(() => validateTags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']))), { code: 'InvalidTagCount' });
    assert.throws(() => validateTags({ 'a/b': 'v' }), { code: 'InvalidTagNameCharacters' });
    assert.throws(() => validateTags({ a: 'v'.repeat(257) }), { code: 'InvalidTagValueLength' });
  });
  it('checks resource names', () => {
    assert.doesNotThrow(() => validateResourceName('vm-01', 'name'));
    for (const bad of ['', 'a%b', 'dot.', 'x'.repeat(261)]) assert.throws(() => validateResourceName(bad, 'name'), { code: 'InvalidResourceName' }, bad);
  });
  it('PATCH replaces tags and merges properties', () => {
    const current = { tags: { a: '1' }, properties: { x: 1, y: 2 }, kind: 'k' };
    assert.deepEqual(mergePatch(current, { tags: { b: '2' }, properties: { y: 3, z: 4 } }), { tags: { b: '2' }, properties: { x: 1, y: 3, z: 4 }, kind: 'k' });
    assert.deepEqual(mergePatch(current, {}), current);
  });
});
