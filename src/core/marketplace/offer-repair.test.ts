import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repairOffer } from './offer-repair.js';
import { contosoOffer } from './test-fixtures.js';
import type { Offer } from './model.js';

const identity = { publisherId: 'contoso', offerId: 'managed-ops' };

describe('repairOffer', () => {
  it('returns a valid offer unchanged, with no repairs', () => {
    const offer = contosoOffer();
    const withLeads: Offer = { ...offer, setup: { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', signingSecret: 's', contactEmails: ['a@contoso.example'] } } };
    for (const valid of [offer, withLeads]) {
      const { offer: repaired, repairs } = repairOffer(structuredClone(valid), identity);
      assert.deepEqual(repairs, []);
      assert.deepEqual(repaired, valid);
    }
  });

  it('matches enumerations without case and writes scalars as text, naming every field it changed', () => {
    const offer0 = contosoOffer();
    const stored = {
      ...offer0,
      setup: { customerLeads: { type: 'EMAIL', contactEmails: 'a@contoso.example; b@contoso.example' } },
      listing: { ...offer0.listing, name: 42, usefulLinks: 'https://contoso.example' },
      properties: { categories: [{ category: 'monitoring', subcategories: 'x' }, 5], terms: { kind: 'URL', url: 'https://contoso.example/terms' } },
      plans: offer0.plans.map((p, i) => (i === 0 ? { ...p, visibility: 'Private' } : p)),
    };
    const { offer, repairs } = repairOffer(stored, identity);
    assert.deepEqual(offer.setup.customerLeads, { type: 'email', contactEmails: ['a@contoso.example', 'b@contoso.example'] });
    assert.equal(offer.listing.name, '42');
    assert.deepEqual(offer.listing.usefulLinks, []);
    assert.deepEqual(offer.properties, { categories: [{ category: 'monitoring', subcategories: ['x'] }], terms: { kind: 'url', url: 'https://contoso.example/terms' } });
    assert.equal(offer.plans[0]?.visibility, 'private');
    assert.deepEqual(repairs.sort(), [
      'listing.name', 'listing.usefulLinks', 'plans[0].visibility', 'properties.categories[0].subcategories', 'properties.categories[1]', 'properties.terms.kind',
      'setup.customerLeads.contactEmails', 'setup.customerLeads.type',
    ]);
  });

  it('fills missing sections and unknown lead destinations with empty values', () => {
    const { offer, repairs } = repairOffer({ id: 'x', publisherId: 'contoso', alias: 'X', setup: { customerLeads: { type: 'carrier-pigeon' } } }, identity);
    assert.deepEqual(offer.setup.customerLeads, { type: 'none' });
    assert.equal(offer.listing.name, 'X');
    assert.deepEqual([offer.plans, offer.previewAudience, offer.properties.categories], [[], [], []]);
    assert.ok(repairs.includes('setup.customerLeads.type'));
  });
});
