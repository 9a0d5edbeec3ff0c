import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertMayUnregister, assertNamespaceRegistered, canonicalNamespace, isAlwaysRegistered } from './providers.js';

describe('provider namespaces', () => {
  it('treats the platform namespaces as registered everywhere', () => {
    assert.equal(isAlwaysRegistered('microsoft.authorization'), true);
    assert.equal(isAlwaysRegistered('Microsoft.Compute'), false);
    assert.doesNotThrow(() => assertNamespaceRegistered('Microsoft.Resources', 's', () => false));
  });
  it('refuses a resource under an unregistered namespace with MissingSubscriptionRegistration', () => {
    assert.throws(() => assertNamespaceRegistered('Microsoft.Compute', 's1', () => false), (e: Error & { code: string; kind: string }) => {
      assert.equal(e.code, 'MissingSubscriptionRegistration');
      assert.equal(e.kind, 'conflict');
      assert.match(e.message, /subscription 's1' is not registered to use namespace 'Microsoft.Compute'/);
      return true;
    });
    assert.doesNotThrow(() => assertNamespaceRegistered('Microsoft.Compute', 's1', (n) => n === 'Microsoft.Compute'));
  });
  it('spells known namespaces the catalog way and refuses malformed ones', () => {
    assert.equal(canonicalNamespace('microsoft.compute'), 'Microsoft.Compute');
    assert.equal(canonicalNamespace('Contoso.Widgets'), 'Contoso.Widgets');
    for (const bad of ['Compute', 'Microsoft..Compute', '1Microsoft.X', 'Microsoft.Com pute']) assert.throws(() => canonicalNamespace(bad), { code: 'InvalidResourceNamespace' }, bad);
  });
  it('refuses to unregister a platform namespace or one still in use', () => {
    assert.throws(() => assertMayUnregister('Microsoft.Resources', []), { code: 'InvalidResourceNamespace' });
    assert.throws(() => assertMayUnregister('Microsoft.Compute', ['Microsoft.Compute/virtualMachines']), { code: 'Conflict' });
    assert.doesNotThrow(() => assertMayUnregister('Microsoft.Compute', []));
  });
});
