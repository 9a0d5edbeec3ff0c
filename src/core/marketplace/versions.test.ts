import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { READER } from '../roles/builtin-catalog.js';
import type { AudienceMember, Offer } from './model.js';
import { addManifest, updatePlan } from './offer.js';
import { contosoOffer, context, FABRIKAM_SUBSCRIPTION, L1_SUPPORT } from './test-fixtures.js';
import { validateOffer } from './validate-offer.js';
import { compareOffers, draftFromVersion, marketplacePlanOf, snapshotOffer, syncPrivateAudiences } from './versions.js';

const sub = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const member = (id: string): AudienceMember => ({ id, type: 'subscription' });

function withSilver(offer: Offer, audience: AudienceMember[]): Offer {
  return { ...offer, plans: [...offer.plans, { ...offer.plans[0]!, id: 'silver', name: 'Silver', visibility: 'private', privateAudience: audience }] };
}

describe('published versions', () => {
  it('are frozen snapshots the draft can no longer reach', () => {
    const draft = contosoOffer();
    const v1 = snapshotOffer(draft, 1, '2026-11-21T06:00:00Z');
    assert.ok(Object.isFrozen(v1.offer.listing));
    assert.ok(Object.isFrozen(v1.offer.plans[0]!.technicalConfiguration.manifests[0]!.authorizations));
    assert.throws(() => {
      (v1.offer.listing as { name: string }).name = 'changed';
    }, TypeError);
    const next = draftFromVersion(v1);
    assert.deepEqual(next, draft);
    assert.ok(!Object.isFrozen(next.listing));
  });

  it('name the marketplace plan a customer accepts: publisher, offer, plan and manifest version', () => {
    const v2 = snapshotOffer(updatePlan(contosoOffer(), 'gold', (p) => addManifest(p, '1.1.0')), 2, 't');
    assert.deepEqual(marketplacePlanOf(v2, 'gold'), { publisher: 'contoso', product: 'contoso-managed-ops', name: 'gold', version: '1.1.0' });
    assert.throws(() => marketplacePlanOf(v2, 'platinum'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
  });
});

describe('compareOffers', () => {
  it('lists nothing for an unchanged draft', () => {
    assert.deepEqual(compareOffers(contosoOffer(), contosoOffer()), []);
  });

  it('reports added, removed and edited fields, plans keyed by id', () => {
    const live = contosoOffer();
    let draft: Offer = { ...live, listing: { ...live.listing, name: 'Contoso Ops', usefulLinks: [], supportUrls: { ...live.listing.supportUrls, azureGovernment: 'https://gov.contoso.example' } } };
    draft = updatePlan(draft, 'gold', (p) =>
      addManifest(p, '1.1.0', { tenantId: p.technicalConfiguration.manifests[0]!.tenantId, authorizations: [...p.technicalConfiguration.manifests[0]!.authorizations, { displayName: 'Readers', principalId: L1_SUPPORT, roleDefinitionId: READER, accessType: 'active' }] }),
    );
    draft = withSilver(draft, [member(sub(1))]);
    const changes = compareOffers(draft, live);
    const byPath = new Map(changes.map((c) => [c.path, c]));
    assert.deepEqual(byPath.get('listing.name'), { path: 'listing.name', change: 'edited', before: 'Contoso Managed Operations', after: 'Contoso Ops' });
    assert.equal(byPath.get('listing.usefulLinks[0]')?.change, 'removed');
    assert.equal(byPath.get('listing.supportUrls.azureGovernment')?.change, 'added');
    assert.equal(byPath.get('plans[gold].technicalConfiguration.manifests[1]')?.change, 'added');
    assert.equal(byPath.get('plans[silver]')?.change, 'added');
    assert.equal(changes.length, 5);
  });

  it('compares images by their bytes', () => {
    const live = contosoOffer();
    const same = { ...live, listing: { ...live.listing, logos: { large: { fileName: 'logo-300.png', bytes: live.listing.logos.large!.bytes.slice() } } } };
    assert.deepEqual(compareOffers(same, live), []);
    const other = { ...live, listing: { ...live.listing, logos: { large: { fileName: 'logo-300.png', bytes: new Uint8Array([1]) } } } };
    assert.deepEqual(compareOffers(other, live).map((c) => [c.path, c.change]), [['listing.logos.large.bytes', 'edited']]);
  });
});

describe('updates of a live offer', () => {
  it('requires a new manifest version to change authorizations of a published plan', () => {
    const live = contosoOffer();
    const edited = updatePlan(live, 'gold', (p) => ({ ...p, technicalConfiguration: { manifests: [{ ...p.technicalConfiguration.manifests[0]!, tenantId: sub(9) }] } }));
    assert.ok(validateOffer(edited, context({ published: live })).violations.some((v) => v.rule === 'manifest.published-immutable'));
    const versioned = updatePlan(live, 'gold', (p) => addManifest(p, '1.1.0', { tenantId: sub(9), authorizations: p.technicalConfiguration.manifests[0]!.authorizations }));
    assert.deepEqual(validateOffer(versioned, context({ published: live })).violations, []);
  });

  it('syncs private audiences into the published version without touching anything else', () => {
    const published = withSilver(contosoOffer(), [member(sub(1)), member(sub(2))]);
    const draft = withSilver({ ...contosoOffer(), listing: { ...contosoOffer().listing, name: 'Renamed' } }, [member(sub(2)), member(FABRIKAM_SUBSCRIPTION)]);
    const sync = syncPrivateAudiences(published, draft);
    assert.deepEqual(sync.added, [{ planId: 'silver', id: FABRIKAM_SUBSCRIPTION }]);
    assert.deepEqual(sync.removed, [{ planId: 'silver', id: sub(1) }]);
    assert.equal(sync.offer.listing.name, published.listing.name, 'other draft changes wait for a full publish');
    assert.deepEqual(sync.offer.plans[1]?.privateAudience.map((m) => m.id), [sub(2), FABRIKAM_SUBSCRIPTION]);
    const huge = withSilver(contosoOffer(), Array.from({ length: 10_001 }, (_, i) => member(sub(i + 1))));
    assert.throws(() => syncPrivateAudiences(published, huge), (e: unknown) => e instanceof DomainError && e.code === 'collectionLimitExceeded');
  });
});
