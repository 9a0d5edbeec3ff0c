import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { canonicalRequestPath } from './request-path.js';

const S = '11111111-1111-1111-1111-111111111111';

describe('canonicalRequestPath', () => {
  it('gives every spelling of one path the same form and key', () => {
    const spellings = [
      `/subscriptions/${S}/resourceGroups/rg1?api-version=2025-04-01`,
      `//subscriptions/${S}/resourcegroups/rg1`,
      `/%73ubscriptions/${S}/RESOURCEGROUPS/rg1/`,
      `/subscriptions/%31${S.slice(1)}//resourceGroups/rg1`,
      `/SUBSCRIPTIONS/${S}/resource%47roups/rg1///`,
    ];
    const forms = spellings.map(canonicalRequestPath);
    for (const form of forms) assert.equal(form.path, `/subscriptions/${S}/resourceGroups/rg1`);
    assert.equal(new Set(forms.map((f) => f.key)).size, 1);
  });

  it('keeps the casing of names, and case-folds them only in the key', () => {
    const form = canonicalRequestPath(`/subscriptions/${S}/resourcegroups/Providers/PROVIDERS/Microsoft.Web/sites/MySite`);
    assert.equal(form.path, `/subscriptions/${S}/resourceGroups/Providers/providers/Microsoft.Web/sites/MySite`);
    assert.equal(form.key, form.path.toLowerCase());
  });

  it('refuses spellings the router and the guard could read differently', () => {
    for (const url of [
      `/subscriptions/${S}%2FresourceGroups/rg1`,
      `/subscriptions/${S}/resourceGroups/rg1%5c..`,
      `/subscriptions/${S}/resourceGroups/..`,
      `/subscriptions/${S}/resourceGroups/%2e%2E/x`,
      `/subscriptions/${S}/./resourceGroups`,
      `/subscriptions/${S}/resourceGroups/%zz`,
      `/subscriptions/${S}/resourceGroups/a%00b`,
    ]) {
      assert.throws(() => canonicalRequestPath(url), (e: unknown) => e instanceof DomainError && e.code === 'InvalidResourceId' && e.target === 'path', url);
    }
  });
});
