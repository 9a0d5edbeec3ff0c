import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { marketplaceIdentifierOf, matchesMarketplaceIdentifier } from './marketplace-identifier.js';

describe('marketplace identifiers', () => {
  const plan = { publisher: 'contoso', product: 'ops', name: 'gold', version: '1.0.0' };

  it('names a plan version as publisher.product.plan.version', () => {
    assert.equal(marketplaceIdentifierOf(plan), 'contoso.ops.gold.1.0.0');
  });

  it('matches every accepted form, the -preview product, and nothing else', () => {
    for (const id of ['contoso.ops.gold.1.0.0', 'contoso.ops.gold', 'contoso.ops', 'contoso', 'CONTOSO.OPS-PREVIEW.GOLD', 'contoso.ops-preview.gold.1.0.0']) {
      assert.ok(matchesMarketplaceIdentifier(plan, id), id);
    }
    for (const id of ['contoso.ops.silver', 'contoso.ops.gold.2.0.0', 'fabrikam', 'contoso.op', 'contoso.ops.gold.1.0.0.1']) {
      assert.equal(matchesMarketplaceIdentifier(plan, id), false, id);
    }
  });
});
