import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { emptyLeadDestination, LEAD_DESTINATION_FORMS, selectableLeadDestinations } from './leads.js';
import { exportAudienceCsv } from './audience.js';
import type { AudienceMember, Offer } from './model.js';
import { addManifest, chooseLeadDestination, createOffer, createPlan, importPreviewAudience, importPrivateAudience, updatePlan } from './offer.js';
import { contosoOffer } from './test-fixtures.js';

function domain(code: string, target: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof DomainError && e.code === code && e.target === target;
}

describe('createOffer and createPlan', () => {
  it('creates an empty draft whose listing name starts as the alias', () => {
    const offer = createOffer({ publisherId: 'contoso', id: 'contoso-managed-ops', alias: 'Contoso Ops', existingOfferIds: [] });
    assert.equal(offer.listing.name, 'Contoso Ops');
    assert.deepEqual(offer.setup.customerLeads, { type: 'none' });
    assert.deepEqual(offer.plans, []);
  });

  it('refuses bad, taken or empty identifiers', () => {
    assert.throws(() => createOffer({ publisherId: 'contoso', id: 'Contoso Ops', alias: 'a', existingOfferIds: [] }), domain('invalidId', 'id'));
    assert.throws(() => createOffer({ publisherId: 'contoso', id: 'ab', alias: 'a', existingOfferIds: [] }), domain('invalidId', 'id'));
    assert.throws(() => createOffer({ publisherId: 'contoso', id: 'x'.repeat(51), alias: 'a', existingOfferIds: [] }), domain('invalidId', 'id'));
    assert.throws(() => createOffer({ publisherId: 'contoso', id: 'ops', alias: 'a', existingOfferIds: ['ops'] }), (e: unknown) => e instanceof DomainError && e.kind === 'conflict');
    assert.throws(() => createOffer({ publisherId: 'contoso', id: 'ops', alias: ' ', existingOfferIds: [] }), domain('invalidRequest', 'alias'));
  });

  it('adds public BYOL plans with unique, well-formed ids that never change', () => {
    const offer = createPlan(contosoOffer(), { id: 'silver', name: 'Silver' });
    assert.deepEqual(offer.plans.map((p) => [p.id, p.visibility, p.pricing]), [['gold', 'public', 'byol'], ['silver', 'public', 'byol']]);
    assert.throws(() => createPlan(offer, { id: 'silver', name: 'Again' }), domain('invalidId', 'id'));
    assert.throws(() => createPlan(offer, { id: 'Silver Plan', name: 'x' }), domain('invalidId', 'id'));
    assert.throws(() => updatePlan(offer, 'silver', (p) => ({ ...p, id: 'bronze' })), domain('invalidRequest', 'id'));
    assert.throws(() => updatePlan(offer, 'bronze', (p) => p), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
    assert.equal(updatePlan(offer, 'silver', (p) => ({ ...p, name: 'Silver+' })).plans[1]?.name, 'Silver+');
  });
});

describe('lead destinations (pain 13)', () => {
  it('always offers None, never the retired Azure Blob', () => {
    const types = selectableLeadDestinations().map((f) => f.type);
    assert.equal(types[0], 'none');
    assert.ok(!types.includes('blob'));
    assert.ok(LEAD_DESTINATION_FORMS.find((f) => f.type === 'dynamics')?.fields.some((f) => f.name === 'applicationKey' && f.secret));
  });

  it('switches to a destination with clean fields, and back to None', () => {
    const offer = contosoOffer();
    const table = chooseLeadDestination(offer, 'table');
    assert.deepEqual(table.setup.customerLeads, { type: 'table', storageAccountConnectionString: '', contactEmails: [] });
    assert.deepEqual(chooseLeadDestination(table, 'none').setup.customerLeads, { type: 'none' });
    assert.throws(() => chooseLeadDestination(offer, 'blob'), domain('notSupported', 'setup.customerLeads.type'));
    for (const form of LEAD_DESTINATION_FORMS) assert.equal(emptyLeadDestination(form.type).type, form.type);
  });
});

describe('addManifest', () => {
  it('appends a higher version that starts from the current authorizations', () => {
    const gold = contosoOffer().plans[0]!;
    const next = addManifest(gold, '1.1.0');
    assert.deepEqual(next.technicalConfiguration.manifests.map((m) => m.version), ['1.0.0', '1.1.0']);
    assert.deepEqual(next.technicalConfiguration.manifests[1]?.authorizations, gold.technicalConfiguration.manifests[0]?.authorizations);
    assert.equal(next.technicalConfiguration.manifests[0], gold.technicalConfiguration.manifests[0], 'the published manifest is kept as it was');
    assert.equal(addManifest(gold, '1.0.10').technicalConfiguration.manifests.length, 2, '1.0.10 > 1.0.0 numerically');
  });

  it('refuses versions that are malformed or not higher', () => {
    const gold = contosoOffer().plans[0]!;
    assert.throws(() => addManifest(gold, '1.0.0'), (e: unknown) => e instanceof DomainError && /higher than the current version 1.0.0/.test(e.message));
    assert.throws(() => addManifest(gold, '0.9.9'), /higher/);
    assert.throws(() => addManifest(gold, 'v2'), /n\.n\.n/);
    assert.throws(() => addManifest({ ...gold, technicalConfiguration: { manifests: [] } }, '1.0'), /n\.n\.n/);
  });
});

describe('audience imports', () => {
  const sub = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const members = (n: number, from = 1): AudienceMember[] => Array.from({ length: n }, (_, i) => ({ id: sub(from + i), type: 'subscription' as const }));

  it('replaces the preview audience from a CSV of up to 100', () => {
    const offer = importPreviewAudience(contosoOffer(), exportAudienceCsv(members(100)));
    assert.equal(offer.previewAudience.length, 100);
    assert.throws(() => importPreviewAudience(contosoOffer(), exportAudienceCsv(members(101))), (e: unknown) => e instanceof DomainError && e.code === 'collectionLimitExceeded');
  });

  it('counts private audiences across all private plans against 10,000', () => {
    const base = contosoOffer();
    const offer: Offer = { ...base, plans: [...base.plans, { ...base.plans[0]!, id: 'big', name: 'Big', visibility: 'private', privateAudience: members(9_995, 100) }] };
    const gold = updatePlan(offer, 'gold', (p) => ({ ...p, visibility: 'private' }));
    assert.equal(importPrivateAudience(gold, 'gold', exportAudienceCsv(members(5))).plans[0]?.privateAudience.length, 5);
    assert.throws(() => importPrivateAudience(gold, 'gold', exportAudienceCsv(members(6))), (e: unknown) => e instanceof DomainError && /at most 5 are allowed/.test(e.message));
    assert.equal(importPrivateAudience(gold, 'big', exportAudienceCsv(members(10_000))).plans[1]?.privateAudience.length, 10_000, 'a plan’s own list is replaced, not added to');
  });
});
