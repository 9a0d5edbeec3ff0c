import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../core/errors.js';
import { parsePlanFilter, parseTenantFilter } from './managed-services-filter.js';
import { marketplaceIdentifierOf, matchesMarketplaceIdentifier, type MarketplaceRegistrationDefinition } from '../../services/delegation/marketplace-definitions.js';

const T1 = '83abe5cd-bcc3-441a-bd86-e6a75360cecc';
const T2 = 'fbcdd0f3-dc82-4cee-bcde-7301d24e9bf6';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error;
  }
  assert.fail('expected InvalidFilterInQueryString');
}

describe('ManagedServices $filter', () => {
  it('reads managedByTenantId eq and in, ignoring case and spacing', () => {
    assert.equal(parseTenantFilter(undefined), undefined);
    assert.deepEqual(parseTenantFilter(`managedByTenantId eq '${T1}'`), [T1]);
    assert.deepEqual(parseTenantFilter(`ManagedByTenantId  EQ '${T1}'`), [T1]);
    assert.deepEqual(parseTenantFilter(`managedByTenantId in ('${T1}', '${T2}')`), [T1, T2]);
    assert.deepEqual(parseTenantFilter(`managedByTenantId in ('${T1}')`), [T1]);
  });

  it('refuses other fields, operators and malformed lists with InvalidFilterInQueryString on $filter', () => {
    for (const bad of ["name eq 'x'", `managedByTenantId ne '${T1}'`, `managedByTenantId in ()`, `managedByTenantId in ('${T1}',)`, `managedByTenantId eq ${T1}`, `planIdentifier eq 'a.b'`]) {
      const error = refusal(() => parseTenantFilter(bad));
      assert.equal(error.code, 'InvalidFilterInQueryString', bad);
      assert.equal(error.target, '$filter');
    }
  });

  it('reads planIdentifier eq (with doubled quotes) and refuses anything else', () => {
    assert.equal(parsePlanFilter("planIdentifier eq 'contoso.ops.gold.1.0.0'"), 'contoso.ops.gold.1.0.0');
    assert.equal(parsePlanFilter("planIdentifier eq 'o''brien.ops'"), "o'brien.ops");
    assert.equal(refusal(() => parsePlanFilter(`managedByTenantId eq '${T1}'`)).code, 'InvalidFilterInQueryString');
  });
});

describe('marketplace identifiers', () => {
  const definition: MarketplaceRegistrationDefinition = {
    marketplaceIdentifier: 'contoso.ops.gold.1.0.0',
    plan: { publisher: 'contoso', product: 'ops', name: 'gold', version: '1.0.0' },
    managedByTenantId: T1,
    authorizations: [],
    eligibleAuthorizations: [],
  };

  it('names a plan version as publisher.product.plan.version', () => {
    assert.equal(marketplaceIdentifierOf(definition.plan), 'contoso.ops.gold.1.0.0');
  });

  it('matches every accepted form, the -preview product, and nothing else', () => {
    for (const id of ['contoso.ops.gold.1.0.0', 'contoso.ops.gold', 'contoso.ops', 'contoso', 'CONTOSO.OPS-PREVIEW.GOLD', 'contoso.ops-preview.gold.1.0.0']) {
      assert.ok(matchesMarketplaceIdentifier(definition, id), id);
    }
    for (const id of ['contoso.ops.silver', 'contoso.ops.gold.2.0.0', 'fabrikam', 'contoso.op', 'contoso.ops.gold.1.0.0.1']) {
      assert.equal(matchesMarketplaceIdentifier(definition, id), false, id);
    }
  });
});
