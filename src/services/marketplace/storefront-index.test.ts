import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Offer } from '../../core/marketplace/model.js';
import { contosoOffer } from '../../core/marketplace/test-fixtures.js';
import { snapshotOffer } from '../../core/marketplace/versions.js';
import { compileOffer, visibleOffer, type PublishedOffer } from '../../core/marketplace/visibility.js';
import type { PublishedOfferEntry } from './published-plans.js';
import { StorefrontIndex, wordsOf, type StorefrontOrder, type StorefrontQuery } from './storefront-index.js';

// A small random world and random queries: the index must give exactly what the core rule gives
// offer by offer (the rule for the viewer, then the words, filters and order the storefront promises).
let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
const WORDS = ['monitoring', 'backup', 'security', 'patching', 'network', 'netops', 'identity', 'cost', 'sentinel', 'data', 'database', 'edge'];
const CATEGORIES = ['security', 'analytics', 'devops', 'storage'];
const SUBS = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const subsetOf = (list: readonly string[]) => list.filter(() => rand() < 0.3);

function randomOffer(i: number): PublishedOfferEntry {
  const base = contosoOffer();
  const gold = base.plans[0]!;
  const privatePlan = { ...gold, id: 'silver', name: 'Silver', summary: 'hidden words only', visibility: 'private' as const, privateAudience: subsetOf(SUBS).map((id) => ({ id, type: 'subscription' as const })) };
  const plans = rand() < 0.3 ? [privatePlan] : rand() < 0.5 ? [gold, privatePlan] : [gold];
  const offer: Offer = {
    ...base,
    id: `offer-${i}`,
    publisherId: `publisher${i % 4}`,
    listing: { ...base.listing, name: `${sentence(2)} ${i % 5}`, searchResultsSummary: sentence(3), shortDescription: sentence(3), description: `<p>${sentence(6)}</p>` },
    properties: { ...base.properties, categories: [{ category: pick(CATEGORIES), subcategories: [] }] },
    previewAudience: subsetOf(SUBS).map((id) => ({ id, type: 'subscription' as const })),
    plans,
  };
  const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 10) * 60_000).toISOString();
  const live = snapshotOffer(offer, 1, at);
  const preview = rand() < 0.3 ? snapshotOffer({ ...offer, listing: { ...offer.listing, name: `${sentence(2)} preview` } }, 2, at) : live;
  const stopped = rand() < 0.1;
  const source: PublishedOffer = {
    publication: { liveVersion: 1, previewVersion: preview.number, distribution: stopped ? 'stopped' : 'active', stoppedPlanIds: rand() < 0.1 ? ['gold'] : [] },
    live,
    preview,
  };
  return { publisherId: offer.publisherId, offerId: offer.id, publisherName: offer.publisherId.toUpperCase(), compiled: compileOffer(source) };
}

// What the storefront promises, computed the slow way from the rule.
function bruteForce(entries: readonly PublishedOfferEntry[], subscriptionIds: string[], query: StorefrontQuery) {
  const terms = [...new Set(wordsOf(query.search ?? ''))];
  const hits = entries.flatMap((entry) => {
    const visible = visibleOffer(entry.compiled, { subscriptionIds });
    if (visible === undefined) return [];
    const o = visible.offer;
    if (query.publisherId !== undefined && entry.publisherId !== query.publisherId) return [];
    if (query.category !== undefined && !o.properties.categories.some((c) => c.category === query.category)) return [];
    const publicPlans = o.plans.filter((p) => p.visibility === 'public').flatMap((p) => [p.name, p.summary]);
    const words = [o.listing.name, o.listing.searchResultsSummary, o.listing.shortDescription, o.listing.description, entry.publisherName, entry.publisherId, ...publicPlans].flatMap(wordsOf);
    if (!terms.every((t) => words.some((w) => w.startsWith(t)))) return [];
    const nameWords = wordsOf(o.listing.name);
    const score = terms.filter((t) => nameWords.some((w) => w.startsWith(t))).length;
    return [{ id: `${entry.publisherId}/${entry.offerId}/${visible.version.number}`, name: o.listing.name.toLowerCase(), publisher: entry.publisherName.toLowerCase(), at: visible.version.createdAt, key: `${entry.publisherId}/${entry.offerId}`, score }];
  });
  type H = (typeof hits)[number];
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byName = (a: H, b: H) => cmp(a.name, b.name) || cmp(a.key, b.key);
  const order: Record<StorefrontOrder, (a: H, b: H) => number> = {
    relevance: (a, b) => (terms.length > 0 ? b.score - a.score : 0) || byName(a, b),
    name: byName,
    publisher: (a, b) => cmp(a.publisher, b.publisher) || byName(a, b),
    newest: (a, b) => cmp(b.at, a.at) || byName(a, b),
  };
  hits.sort(order[query.orderBy]);
  return { count: hits.length, ids: hits.slice(query.skip, query.skip + query.top).map((h) => h.id) };
}

describe('storefront index', () => {
  it('answers every query exactly as the visibility rule, words, filters and order give it, through puts and removes', () => {
    const index = new StorefrontIndex();
    const entries = new Map<string, PublishedOfferEntry>();
    for (let i = 0; i < 120; i++) {
      const entry = randomOffer(i);
      entries.set(entry.offerId, entry);
      index.put(entry);
    }
    let nonEmpty = 0;
    for (let round = 0; round < 400; round++) {
      if (round % 50 === 49) {
        // Publishing changes: an offer replaced, one removed.
        const replaced = randomOffer(Math.floor(rand() * 120));
        entries.set(replaced.offerId, replaced);
        index.put(replaced);
        const gone = pick([...entries.values()]);
        entries.delete(gone.offerId);
        index.remove(gone.publisherId, gone.offerId);
      }
      const subscriptionIds = subsetOf(SUBS).map((s) => (rand() < 0.5 ? s.toUpperCase() : s));
      const search = rand() < 0.2 ? undefined : [pick(WORDS).slice(0, 2 + Math.floor(rand() * 6)), ...(rand() < 0.4 ? [pick(WORDS)] : [])].join(' ');
      const query: StorefrontQuery = {
        ...(search === undefined ? {} : { search }),
        ...(rand() < 0.3 ? { category: pick(CATEGORIES) } : {}),
        ...(rand() < 0.2 ? { publisherId: `publisher${Math.floor(rand() * 4)}` } : {}),
        orderBy: pick(['relevance', 'name', 'publisher', 'newest'] as const),
        skip: pick([0, 0, 3, 10]),
        top: pick([1, 5, 20]),
      };
      const want = bruteForce([...entries.values()], subscriptionIds, query);
      const got = index.search({ subscriptionIds }, query);
      const label = JSON.stringify({ subscriptionIds, query });
      assert.equal(got.count, want.count, label);
      assert.deepEqual(got.hits.map((h) => `${h.entry.publisherId}/${h.entry.offerId}/${h.visible.version.number}`), want.ids, label);
      for (const hit of got.hits) assert.deepEqual(hit.visible, visibleOffer(hit.entry.compiled, { subscriptionIds }), 'every hit is the rule\'s answer');
      if (want.count > 0) nonEmpty++;
    }
    assert.ok(nonEmpty > 200, `the queries find something (${nonEmpty})`);
  });

  it('finds private plans and previews only for their audiences, and an offer by id the same way', () => {
    const index = new StorefrontIndex();
    const entry = randomOffer(1000);
    index.put(entry);
    for (const subscriptionIds of [[], [SUBS[0]!], SUBS]) {
      const rule = visibleOffer(entry.compiled, { subscriptionIds });
      assert.deepEqual(index.get(entry.publisherId, entry.offerId, { subscriptionIds })?.visible, rule);
    }
    index.remove(entry.publisherId, entry.offerId);
    assert.equal(index.get(entry.publisherId, entry.offerId, { subscriptionIds: SUBS }), undefined);
    assert.equal(index.search({ subscriptionIds: SUBS }, { orderBy: 'name', skip: 0, top: 20 }).count, 0);
  });
});
