/**
 * The storefront's in-memory index of published offers: the text of each published version as
 * words (an inverted index with prefix look-up), its categories and sort keys, and each offer
 * compiled for the core's visibility rule. Publishing tells the index which offer changed, so a
 * search never reads or parses stored documents.
 *
 * Visibility stays the core's rule: every hit is the rule's answer for the viewer. The rule depends
 * on the viewer only through membership in the offer's audiences (preview and private), so a viewer
 * in none of them gets the rule's answer for an anonymous viewer, computed once per offer.
 */
import type { Offer } from '../../core/marketplace/model.js';
import { visibleOffer, type Viewer, type VisibleOffer } from '../../core/marketplace/visibility.js';
import { normalizeGuid } from '../../core/guid.js';
import type { PublishedOfferEntry } from './published-plans.js';

export type StorefrontOrder = 'relevance' | 'name' | 'publisher' | 'newest';

export interface StorefrontQuery {
  /** Words, each matched as the start of a word of the name, summaries, description or publisher. */
  readonly search?: string;
  /** A category or subcategory id. */
  readonly category?: string;
  readonly publisherId?: string;
  readonly orderBy: StorefrontOrder;
  readonly skip: number;
  readonly top: number;
}

export interface StorefrontHit {
  readonly entry: PublishedOfferEntry;
  readonly visible: VisibleOffer;
}

export interface StorefrontPage {
  readonly hits: readonly StorefrontHit[];
  /** Matches in all pages. */
  readonly count: number;
}

interface IndexedVersion {
  readonly words: ReadonlySet<string>;
  readonly nameWords: ReadonlySet<string>;
  readonly categories: ReadonlySet<string>;
  readonly nameKey: string;
  readonly publisherKey: string;
  readonly publishedAt: string;
}

interface IndexedOffer {
  readonly key: string;
  readonly entry: PublishedOfferEntry;
  readonly versions: ReadonlyMap<number, IndexedVersion>;
  /** Every subscription in a preview or private audience of the offer. */
  readonly audience: ReadonlySet<string>;
  /** The rule's answer for a viewer in none of the audiences. */
  readonly anonymous: VisibleOffer | undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Lower-case words without diacritics; markup and entities of rich text dropped. */
export function wordsOf(text: string): string[] {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/&(\w+);/g, (_m, name: string) => ENTITIES[name] ?? ' ');
  return plain
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function indexVersion(offer: Offer, publisherId: string, publisherName: string, publishedAt: string): IndexedVersion {
  const l = offer.listing;
  // Only public plans' text is searchable: a private plan's words must not reveal it through a match.
  const publicPlans = offer.plans.filter((p) => p.visibility === 'public').flatMap((p) => [p.name, p.summary]);
  const nameWords = new Set(wordsOf(l.name));
  const words = new Set([...nameWords, ...[l.searchResultsSummary, l.shortDescription, l.description, publisherName, publisherId, ...publicPlans].flatMap(wordsOf)]);
  const categories = new Set(offer.properties.categories.flatMap((c) => [c.category, ...c.subcategories]).map((c) => c.toLowerCase()));
  return { words, nameWords, categories, nameKey: l.name.toLowerCase(), publisherKey: publisherName.toLowerCase(), publishedAt };
}

function hasPrefix(words: ReadonlySet<string>, term: string): boolean {
  if (words.has(term)) return true;
  for (const w of words) if (w.startsWith(term)) return true;
  return false;
}

/** The first index in sorted `list` whose value is ≥ `value`. */
function lowerBound(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Hit {
  readonly offer: IndexedOffer;
  readonly visible: VisibleOffer;
  readonly version: IndexedVersion;
  readonly score: number;
}

/** The first `k` items in `compare` order: a bounded insertion for a small page of many hits, a full sort otherwise. */
function firstSorted<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k > 200 || items.length <= 4 * k) return items.sort(compare).slice(0, k);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1] as T) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/** An empty index; `put` and `remove` keep it in step with publishing. */
export class StorefrontIndex {
  readonly #offers = new Map<string, IndexedOffer>();
  readonly #postings = new Map<string, Set<string>>();
  #sortedWords: string[] | undefined;

  get size(): number {
    return this.#offers.size;
  }

  /** Adds or replaces an offer's published versions. */
  put(entry: PublishedOfferEntry): void {
    const key = `${entry.publisherId}/${entry.offerId}`;
    this.remove(entry.publisherId, entry.offerId);
    const versions = new Map<number, IndexedVersion>();
    for (const v of [entry.compiled.source.live, entry.compiled.source.preview]) {
      if (v !== undefined && !versions.has(v.number)) versions.set(v.number, indexVersion(v.offer, entry.publisherId, entry.publisherName, v.createdAt));
    }
    const audience = new Set(entry.compiled.previewAudience);
    for (const members of entry.compiled.privateAudiences.values()) for (const m of members) audience.add(m);
    this.#offers.set(key, { key, entry, versions, audience, anonymous: visibleOffer(entry.compiled, { subscriptionIds: [] }) });
    for (const v of versions.values()) {
      for (const w of v.words) {
        let posting = this.#postings.get(w);
        if (posting === undefined) {
          posting = new Set();
          this.#postings.set(w, posting);
          this.#sortedWords = undefined;
        }
        posting.add(key);
      }
    }
  }

  /** Drops an offer (no longer published). */
  remove(publisherId: string, offerId: string): void {
    const key = `${publisherId}/${offerId}`;
    const old = this.#offers.get(key);
    if (old === undefined) return;
    this.#offers.delete(key);
    for (const v of old.versions.values()) {
      for (const w of v.words) {
        const posting = this.#postings.get(w);
        posting?.delete(key);
        if (posting?.size === 0) {
          this.#postings.delete(w);
          this.#sortedWords = undefined;
        }
      }
    }
  }

  /** The offer as the viewer sees it, or undefined. */
  get(publisherId: string, offerId: string, viewer: Viewer): StorefrontHit | undefined {
    const offer = this.#offers.get(`${publisherId}/${offerId}`);
    const visible = offer === undefined ? undefined : this.#visible(offer, viewer.subscriptionIds.map(normalizeGuid));
    return offer === undefined || visible === undefined ? undefined : { entry: offer.entry, visible };
  }

  /** Every published offer (for marketplace registration definitions). */
  entries(): PublishedOfferEntry[] {
    return [...this.#offers.values()].map((o) => o.entry);
  }

  /** One page of the offers the viewer sees that match the query. */
  search(viewer: Viewer, query: StorefrontQuery): StorefrontPage {
    const subscriptions = viewer.subscriptionIds.map(normalizeGuid);
    const terms = [...new Set(wordsOf(query.search ?? ''))];
    const category = query.category?.toLowerCase();
    const hits: Hit[] = [];
    for (const offer of this.#candidates(terms)) {
      if (query.publisherId !== undefined && offer.entry.publisherId !== query.publisherId.toLowerCase()) continue;
      const visible = this.#visible(offer, subscriptions);
      const version = visible === undefined ? undefined : offer.versions.get(visible.version.number);
      if (visible === undefined || version === undefined) continue;
      if (category !== undefined && !version.categories.has(category)) continue;
      if (!terms.every((t) => hasPrefix(version.words, t))) continue;
      const score = terms.reduce((s, t) => s + (hasPrefix(version.nameWords, t) ? 3 : 1), 0);
      hits.push({ offer, visible, version, score });
    }
    const order = query.orderBy;
    const compare = (a: Hit, b: Hit) => {
      if (order === 'relevance' && a.score !== b.score) return b.score - a.score;
      if (order === 'newest' && a.version.publishedAt !== b.version.publishedAt) return byKey(b.version.publishedAt, a.version.publishedAt);
      if (order === 'publisher' && a.version.publisherKey !== b.version.publisherKey) return byKey(a.version.publisherKey, b.version.publisherKey);
      return byKey(a.version.nameKey, b.version.nameKey) || byKey(a.offer.key, b.offer.key);
    };
    const page = firstSorted(hits, query.skip + query.top, compare).slice(query.skip);
    return { count: hits.length, hits: page.map((h) => ({ entry: h.offer.entry, visible: h.visible })) };
  }

  #visible(offer: IndexedOffer, subscriptions: readonly string[]): VisibleOffer | undefined {
    return subscriptions.some((s) => offer.audience.has(s)) ? visibleOffer(offer.entry.compiled, { subscriptionIds: subscriptions }) : offer.anonymous;
  }

  // Offers holding, for every term, a word that starts with it; all offers without terms.
  #candidates(terms: readonly string[]): Iterable<IndexedOffer> {
    if (terms.length === 0) return this.#offers.values();
    this.#sortedWords ??= [...this.#postings.keys()].sort(byKey);
    const words = this.#sortedWords;
    let keys: Set<string> | undefined;
    for (const term of terms) {
      const matching = new Set<string>();
      for (let i = lowerBound(words, term); i < words.length && (words[i] as string).startsWith(term); i++) {
        for (const key of this.#postings.get(words[i] as string) ?? []) if (keys === undefined || keys.has(key)) matching.add(key);
      }
      keys = matching;
      if (keys.size === 0) break;
    }
    return [...(keys ?? [])].map((k) => this.#offers.get(k) as IndexedOffer);
  }
}
