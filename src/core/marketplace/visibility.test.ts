import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { READER } from '../roles/builtin-catalog.js';
import { manifestDifferences, manifestGrants, requireAvailablePlan, requireManifestGrants } from './acquisition.js';
import type { AudienceMember, Offer } from './model.js';
import { addManifest, updatePlan } from './offer.js';
import { CONTOSO_TEST_SUBSCRIPTION, contosoOffer, FABRIKAM_SUBSCRIPTION, L1_SUPPORT } from './test-fixtures.js';
import { snapshotOffer } from './versions.js';
import { compileOffer, planAvailability, viewerClass, visibleOffer, type PublishedOffer } from './visibility.js';

const OTHER = '00000000-0000-4000-8000-000000000005';
const member = (id: string): AudienceMember => ({ id, type: 'subscription' });
const plan = { publisher: 'contoso', product: 'contoso-managed-ops', name: 'gold', version: '1.0.0' };

function withSilver(offer: Offer, audience: AudienceMember[]): Offer {
  return { ...offer, plans: [...offer.plans, { ...offer.plans[0]!, id: 'silver', name: 'Silver', visibility: 'private', privateAudience: audience }] };
}

type Pointers = PublishedOffer['publication'];
const live1: Pointers = { liveVersion: 1, previewVersion: 1, distribution: 'active', stoppedPlanIds: [] };

function published(publication: Pointers, liveOffer: Offer | undefined, previewOffer?: Offer): PublishedOffer {
  const live = liveOffer === undefined || publication.liveVersion === undefined ? undefined : snapshotOffer(liveOffer, publication.liveVersion, '2026-11-01T00:00:00Z');
  const preview = previewOffer === undefined || publication.previewVersion === undefined ? live : snapshotOffer(previewOffer, publication.previewVersion, '2026-11-02T00:00:00Z');
  return { publication, ...(live === undefined ? {} : { live }), ...(preview === undefined ? {} : { preview }) };
}

const seen = (p: PublishedOffer, subscriptionIds: string[]) => visibleOffer(compileOffer(p), { subscriptionIds })?.plans.map((v) => `${v.plan.id}${v.private ? '*' : ''}`);

describe('marketplace visibility', () => {
  it('shows public plans to everyone and a private plan only to its audience, as a private product', () => {
    const p = published(live1, withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION)]));
    assert.deepEqual(seen(p, []), ['gold']);
    assert.deepEqual(seen(p, [OTHER]), ['gold']);
    assert.deepEqual(seen(p, [FABRIKAM_SUBSCRIPTION.toUpperCase()]), ['gold', 'silver*']);
  });

  it('hides an offer whose plans are all invisible to the viewer', () => {
    const onlyPrivate = withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION)]);
    const p = published(live1, { ...onlyPrivate, plans: onlyPrivate.plans.filter((x) => x.id === 'silver') });
    assert.equal(seen(p, [OTHER]), undefined);
    assert.deepEqual(seen(p, [FABRIKAM_SUBSCRIPTION]), ['silver*']);
  });

  it('shows a preview only to its preview audience, with every plan', () => {
    const p = published({ previewVersion: 1, distribution: 'active', stoppedPlanIds: [] }, undefined, withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION)]));
    assert.equal(seen(p, [FABRIKAM_SUBSCRIPTION]), undefined, 'not in the preview audience');
    assert.deepEqual(seen(p, [CONTOSO_TEST_SUBSCRIPTION]), ['gold', 'silver*']);
    const update = published({ ...live1, previewVersion: 2 }, contosoOffer(), { ...contosoOffer(), listing: { ...contosoOffer().listing, name: 'Next' } });
    assert.equal(visibleOffer(compileOffer(update), { subscriptionIds: [CONTOSO_TEST_SUBSCRIPTION] })?.offer.listing.name, 'Next', 'the preview audience sees the update');
    assert.equal(visibleOffer(compileOffer(update), { subscriptionIds: [OTHER] })?.offer.listing.name, 'Contoso Managed Operations');
  });

  it('hides stopped plans and stopped offers from everyone, the preview audience included', () => {
    const offer = withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION)]);
    assert.deepEqual(seen(published({ ...live1, stoppedPlanIds: ['gold'] }, offer), [FABRIKAM_SUBSCRIPTION]), ['silver*']);
    assert.equal(seen(published({ ...live1, stoppedPlanIds: ['gold'] }, offer), [OTHER]), undefined);
    for (const distribution of ['stopping', 'stopped'] as const) {
      assert.equal(seen(published({ ...live1, distribution }, offer), [CONTOSO_TEST_SUBSCRIPTION, FABRIKAM_SUBSCRIPTION]), undefined, distribution);
    }
  });

  it('gives viewers of one class the same answer', () => {
    const BRONZE = '00000000-0000-4000-8000-000000000006';
    const offer = { ...withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION), member(OTHER)]), previewAudience: [member(CONTOSO_TEST_SUBSCRIPTION)] };
    const withBronze = { ...offer, plans: [...offer.plans, { ...offer.plans[1]!, id: 'bronze', name: 'Bronze', privateAudience: [member(BRONZE)] }] };
    const c = compileOffer(published({ ...live1, previewVersion: 2 }, withBronze, { ...withBronze, listing: { ...withBronze.listing, name: 'Next' } }));
    const viewers = [[], ['00000000-0000-4000-8000-000000000009'], [OTHER], [FABRIKAM_SUBSCRIPTION], [FABRIKAM_SUBSCRIPTION.toUpperCase(), OTHER], [BRONZE], [BRONZE, OTHER], [CONTOSO_TEST_SUBSCRIPTION], [CONTOSO_TEST_SUBSCRIPTION, BRONZE]];
    const answer = (subscriptionIds: string[]) => {
      const v = visibleOffer(c, { subscriptionIds });
      return v === undefined ? 'nothing' : `${v.version.number}:${v.plans.map((p) => `${p.plan.id}${p.private ? '*' : ''}`).join()}`;
    };
    const classes = new Map<string, string>();
    for (const subscriptionIds of viewers) {
      const key = viewerClass(c, { subscriptionIds });
      assert.equal(answer(subscriptionIds), classes.get(key) ?? answer(subscriptionIds), `${subscriptionIds.join()} sees what its class sees`);
      classes.set(key, answer(subscriptionIds));
    }
    assert.deepEqual([...new Set(classes.values())].sort(), ['1:gold', '1:gold,bronze*', '1:gold,silver*', '1:gold,silver*,bronze*', '2:gold,silver*,bronze*']);
  });

  it('says why a plan version can not be acquired, without revealing private or preview plans', () => {
    const v2 = updatePlan(withSilver(contosoOffer(), [member(FABRIKAM_SUBSCRIPTION)]), 'gold', (p) => addManifest(p, '1.1.0'));
    const c = compileOffer(published(live1, v2));
    assert.equal(planAvailability(c, OTHER, 'gold', '1.1.0').kind, 'available');
    assert.deepEqual(planAvailability(c, OTHER, 'gold', '1.0.0'), { kind: 'staleVersion', current: '1.1.0' });
    assert.equal(planAvailability(c, OTHER, 'gold', '1.0.0', '1.0.0').kind, 'available', 'a version already held stays acceptable');
    assert.equal(planAvailability(c, OTHER, 'gold', '9.9.9').kind, 'notOffered');
    assert.equal(planAvailability(c, OTHER, 'silver', '1.0.0').kind, 'notOffered');
    assert.equal(planAvailability(c, FABRIKAM_SUBSCRIPTION, 'silver', '1.0.0').kind, 'available');
    const stopped = compileOffer(published({ ...live1, stoppedPlanIds: ['silver'] }, v2));
    assert.equal(planAvailability(stopped, FABRIKAM_SUBSCRIPTION, 'silver', '1.0.0').kind, 'stopped');
    assert.equal(planAvailability(stopped, OTHER, 'silver', '1.0.0').kind, 'notOffered', 'a stopped private plan stays hidden from outsiders');
    const codes = (['notOffered', 'stopped'] as const).map((kind) => {
      try {
        requireAvailablePlan({ kind }, plan, OTHER);
      } catch (e) {
        return e instanceof DomainError ? [e.kind, e.code] : [];
      }
      return [];
    });
    assert.deepEqual(codes, [['not_found', 'MarketplacePlanNotFound'], ['invalid', 'MarketplacePlanNotAvailable']]);
  });
});

describe('acquisition grants', () => {
  const manifest = contosoOffer().plans[0]!.technicalConfiguration.manifests[0]!;

  it('equal the manifest exactly, role ids in either spelling', () => {
    const grants = manifestGrants(manifest);
    assert.deepEqual(manifestDifferences(manifest, grants), []);
    const fullIds = { ...grants, authorizations: grants.authorizations.map((a) => ({ ...a, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId.toUpperCase()}` })) };
    assert.deepEqual(manifestDifferences(manifest, fullIds), []);
  });

  it('name each difference: an added role, a missing one, a renamed principal, another tenant', () => {
    const grants = manifestGrants(manifest);
    const [l2, l1, offboarding] = grants.authorizations;
    const changed = {
      managedByTenantId: OTHER,
      eligibleAuthorizations: [],
      authorizations: [{ ...l2!, roleDefinitionId: READER }, { ...l1!, principalIdDisplayName: 'Renamed' }],
    };
    const diff = manifestDifferences(manifest, changed);
    assert.equal(diff.length, 5, diff.join('\n'));
    assert.ok(diff.some((d) => d.includes('managedByTenantId')));
    assert.ok(diff.some((d) => d.includes(`principal ${l2!.principalId}) with role ${READER}`) && d.includes('not in the manifest')));
    assert.ok(diff.some((d) => d.includes(offboarding!.principalId) && d.includes('missing')));
    assert.ok(diff.some((d) => d.includes(`principal ${L1_SUPPORT} is named 'Renamed'`)));
    assert.throws(() => requireManifestGrants(plan, manifest, changed), (e: unknown) => e instanceof DomainError && e.code === 'AuthorizationsDifferFromManifest' && e.details.length === 5);
  });
});
