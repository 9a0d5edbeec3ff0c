/**
 * The storefront's in-memory index of published offers: the text of each published version as
 * words (inverted indexes with prefix look-up, one for all the searchable text and one for the
 * name, which ranks first), its categories, and the versions in each sort order; and each offer
 * compiled for the core's visibility rule. Publishing tells the index which offer changed, so a
 * search never reads or parses stored documents.
 *
 * Visibility stays the core's rule: every hit is the rule's answer for the viewer. The rule depends
 * on the viewer only through membership in the offer's audiences (preview and private), so the
 * rule's answer for a viewer in none of them is computed once per offer when it is indexed, and a
 * search asks for the rule's answer only for the offers whose audiences hold one of the viewer's
 * subscriptions (found through an index of audience members), kept per viewer class and per
 * viewer until the next change. A search then marks the versions
 * matching every term (typed arrays, no per-hit objects) and walks the versions in the requested
 * order, kept sorted between changes, so no search sorts its hits.
 */
import type { Offer } from '../../core/marketplace/model.js';
import { viewerClass, visibleOffer, type Viewer, type VisibleOffer } from '../../core/marketplace/visibility.js';
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


interface IndexedVersion {
  /** Its slot in a search's mark arrays. */
  readonly id: number;
  readonly offer: IndexedOffer;
  readonly number: number;
  readonly words: readonly string[];
  readonly nameWords: readonly string[];
  readonly categories: ReadonlySet<string>;
  readonly nameKey: string;
  readonly publisherKey: string;
  readonly publishedAt: string;
}

/** What a viewer sees of an offer: the rule's answer and the indexed version it shows. */
interface Shown {
  readonly visible: VisibleOffer;
  readonly version: IndexedVersion;
}

interface IndexedOffer {
  readonly key: string;
  readonly entry: PublishedOfferEntry;
  readonly versions: ReadonlyMap<number, IndexedVersion>;
  /** Every subscription in a preview or private audience of the offer. */
  readonly audience: ReadonlySet<string>;
  /** The rule's answers by viewer class (`viewerClass`), as asked. */
  readonly answers: Map<string, Shown | undefined>;
}

const distinct = (words: Iterable<string>) => [...new Set(words)];

function textOf(offer: Offer, publisherId: string, publisherName: string): { words: string[]; nameWords: string[]; categories: Set<string> } {
  const l = offer.listing;
  // Only public plans' text is searchable: a private plan's words must not reveal it through a match.
  const publicPlans = offer.plans.filter((p) => p.visibility === 'public').flatMap((p) => [p.name, p.summary]);
  const nameWords = distinct(wordsOf(l.name));
  const words = distinct([...nameWords, ...[l.searchResultsSummary, l.shortDescription, l.description, publisherName, publisherId, ...publicPlans].flatMap(wordsOf)]);
  const categories = new Set(offer.properties.categories.flatMap((c) => [c.category, ...c.subcategories]).map((c) => c.toLowerCase()));
  return { words, nameWords, categories };
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

/** Words → ids of the versions holding them, with prefix look-up over the sorted vocabulary. */
class WordIndex {
  readonly #postings = new Map<string, Set<number>>();
  #sorted: string[] | undefined;

  add(id: number, words: readonly string[]): void {
    for (const w of words) {
      let posting = this.#postings.get(w);
      if (posting === undefined) {
        posting = new Set();
        this.#postings.set(w, posting);
        this.#sorted = undefined;
      }
      posting.add(id);
    }
  }

  delete(id: number, words: readonly string[]): void {
    for (const w of words) {
      const posting = this.#postings.get(w);
      posting?.delete(id);
      if (posting?.size === 0) {
        this.#postings.delete(w);
        this.#sorted = undefined;
      }
    }
  }

  /** The postings of every word starting with `prefix`. */
  *startingWith(prefix: string): Iterable<ReadonlySet<number>> {
    this.#sorted ??= [...this.#postings.keys()].sort(byKey);
    const words = this.#sorted;
    for (let i = lowerBound(words, prefix); i < words.length && (words[i] as string).startsWith(prefix); i++) yield this.#postings.get(words[i] as string) as Set<number>;
  }
}

const MAX_CLASSES = 64;
const MAX_VIEWERS = 1_000;

/** The versions of the offers whose audiences hold a viewer, and the rule's answers for them by slot. */
interface AudienceAnswers {
  readonly hidden: readonly number[];
  readonly shown: ReadonlyMap<number, Shown>;
}

type SortKey = Exclude<StorefrontOrder, 'relevance'>;

const byName = (a: IndexedVersion, b: IndexedVersion) => byKey(a.nameKey, b.nameKey) || byKey(a.offer.key, b.offer.key) || a.number - b.number;
const ORDERS: Record<SortKey, (a: IndexedVersion, b: IndexedVersion) => number> = {
  name: byName,
  publisher: (a, b) => byKey(a.publisherKey, b.publisherKey) || byName(a, b),
  newest: (a, b) => byKey(b.publishedAt, a.publishedAt) || byName(a, b),
};

/** Keys → ids of the versions holding them (categories, publishers). */
function addTo(postings: Map<string, Set<number>>, key: string, id: number): void {
  let posting = postings.get(key);
  if (posting === undefined) postings.set(key, (posting = new Set()));
  posting.add(id);
}

function deleteFrom(postings: Map<string, Set<number>>, key: string, id: number): void {
  const posting = postings.get(key);
  posting?.delete(id);
  if (posting?.size === 0) postings.delete(key);
}

/** `array`, or a copy twice as long when it is shorter than `size`. */
function atLeast(array: Uint8Array, size: number): Uint8Array {
  if (array.length >= size) return array;
  const grown = new Uint8Array(size * 2);
  grown.set(array);
  return grown;
}

/**
 * An empty index; `put` and `remove` keep it in step with publishing. A search touches the
 * versions' objects only for the page it returns: matching, visibility and filters are marks in
 * typed arrays per version slot, walked in the requested order.
 */
export class StorefrontIndex {
  readonly #offers = new Map<string, IndexedOffer>();
  /** Version slots; a removed version's slot is reused. */
  readonly #versions: (IndexedVersion | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  readonly #words = new WordIndex();
  readonly #names = new WordIndex();
  readonly #categories = new Map<string, Set<number>>();
  readonly #publishers = new Map<string, Set<number>>();
  /** Audience member (normalized subscription id) → the offers whose audiences hold it. */
  readonly #audiences = new Map<string, Set<IndexedOffer>>();
  /** Per slot: 1 where the version is what a viewer in no audience sees of its offer. */
  #anonymous: Uint8Array = new Uint8Array(0);
  /** Per slot marked in `#anonymous`: the rule's answer for a viewer in no audience. */
  readonly #anonymousShown: (Shown | undefined)[] = [];
  /** Per set of viewer subscriptions, the rule's answers for the offers of their audiences, until the next change. */
  readonly #viewers = new Map<string, AudienceAnswers>();
  /** The version slots in each sort order, rebuilt on the first search after a change. */
  #orders: Partial<Record<SortKey, Int32Array>> = {};
  // A search's marks per version slot (reused between searches): shown to the viewer, in the
  // category, of the publisher, terms matched anywhere, terms matched in the name, and the last term
  // counted for the name.
  #shown: Uint8Array = new Uint8Array(0);
  #inCategory = new Uint8Array(0);
  #ofPublisher = new Uint8Array(0);
  #termMarks = new Uint32Array(0);
  #nameMarks = new Uint32Array(0);
  #nameTerm = new Uint32Array(0);

  get size(): number {
    return this.#offers.size;
  }

  /** Adds or replaces an offer's published versions. */
  put(entry: PublishedOfferEntry): void {
    const key = `${entry.publisherId}/${entry.offerId}`;
    this.remove(entry.publisherId, entry.offerId);
    const audience = new Set(entry.compiled.previewAudience);
    for (const members of entry.compiled.privateAudiences.values()) for (const m of members) audience.add(m);
    const versions = new Map<number, IndexedVersion>();
    const offer: IndexedOffer = { key, entry, versions, audience, answers: new Map() };
    for (const v of [entry.compiled.source.live, entry.compiled.source.preview]) {
      if (v === undefined || versions.has(v.number)) continue;
      const id = this.#freeSlots.pop() ?? this.#versions.length;
      const text = textOf(v.offer, entry.publisherId, entry.publisherName);
      const version: IndexedVersion = { id, offer, number: v.number, ...text, nameKey: v.offer.listing.name.toLowerCase(), publisherKey: entry.publisherName.toLowerCase(), publishedAt: v.createdAt };
      versions.set(v.number, version);
      this.#versions[id] = version;
      this.#words.add(id, version.words);
      this.#names.add(id, version.nameWords);
      for (const c of version.categories) addTo(this.#categories, c, id);
      addTo(this.#publishers, entry.publisherId, id);
    }
    const anonymous = this.#show(offer, []);
    this.#anonymous = atLeast(this.#anonymous, this.#versions.length);
    if (anonymous !== undefined) {
      this.#anonymous[anonymous.version.id] = 1;
      this.#anonymousShown[anonymous.version.id] = anonymous;
    }
    for (const member of audience) {
      let offers = this.#audiences.get(member);
      if (offers === undefined) this.#audiences.set(member, (offers = new Set()));
      offers.add(offer);
    }
    this.#offers.set(key, offer);
    this.#orders = {};
    this.#viewers.clear();
  }

  /** Drops an offer (no longer published). */
  remove(publisherId: string, offerId: string): void {
    const key = `${publisherId}/${offerId}`;
    const old = this.#offers.get(key);
    if (old === undefined) return;
    this.#offers.delete(key);
    for (const v of old.versions.values()) {
      this.#words.delete(v.id, v.words);
      this.#names.delete(v.id, v.nameWords);
      for (const c of v.categories) deleteFrom(this.#categories, c, v.id);
      deleteFrom(this.#publishers, publisherId, v.id);
      this.#versions[v.id] = undefined;
      this.#anonymous[v.id] = 0;
      this.#anonymousShown[v.id] = undefined;
      this.#freeSlots.push(v.id);
    }
    for (const member of old.audience) {
      const offers = this.#audiences.get(member);
      offers?.delete(old);
      if (offers?.size === 0) this.#audiences.delete(member);
    }
    this.#orders = {};
    this.#viewers.clear();
  }

  /** The offer as the viewer sees it, or undefined. */
  get(publisherId: string, offerId: string, viewer: Viewer): StorefrontHit | undefined {
    const offer = this.#offers.get(`${publisherId}/${offerId}`);
    if (offer === undefined) return undefined;
    const subscriptions = viewer.subscriptionIds.map(normalizeGuid);
    const shown = subscriptions.some((s) => offer.audience.has(s))
      ? this.#show(offer, subscriptions)
      : [...offer.versions.values()].map((v) => this.#anonymousShown[v.id]).find((a) => a !== undefined);
    return shown === undefined ? undefined : { entry: offer.entry, visible: shown.visible };
  }

  /** Every published offer (for marketplace registration definitions). */
  entries(): PublishedOfferEntry[] {
    return [...this.#offers.values()].map((o) => o.entry);
  }

  /** One page of the offers the viewer sees that match the query. */
  search(viewer: Viewer, query: StorefrontQuery): StorefrontPage {
    this.#grow();
    const terms = distinct(wordsOf(query.search ?? ''));
    const relevance = query.orderBy === 'relevance' && terms.length > 0;
    if (terms.length > 0 && !this.#mark(terms, relevance)) return { count: 0, hits: [] };
    const shownToAudience = this.#markShown(viewer.subscriptionIds.map(normalizeGuid));
    const category = query.category === undefined ? undefined : this.#markAll(this.#inCategory, this.#categories.get(query.category.toLowerCase()));
    const publisher = query.publisherId === undefined ? undefined : this.#markAll(this.#ofPublisher, this.#publishers.get(query.publisherId.toLowerCase()));
    const want = query.skip + query.top;
    // Slots in the order walked; for relevance one list per number of terms not matched in the
    // name (all matched first), each in name order. No list needs more than `want` slots.
    const lists: number[][] = Array.from({ length: relevance ? terms.length + 1 : 1 }, () => []);
    const [shown, termMarks, nameMarks] = [this.#shown, this.#termMarks, this.#nameMarks];
    let count = 0;
    for (const id of this.#order(query.orderBy === 'relevance' ? 'name' : query.orderBy)) {
      if (shown[id] === 0 || (terms.length > 0 && termMarks[id] !== terms.length) || category?.[id] === 0 || publisher?.[id] === 0) continue;
      count++;
      const list = lists[relevance ? terms.length - (nameMarks[id] as number) : 0] as number[];
      if (list.length < want) list.push(id);
    }
    const page = lists.flat().slice(query.skip, want).map((id) => (shownToAudience.get(id) ?? this.#anonymousShown[id]) as Shown);
    return { count, hits: page.map((s) => ({ entry: s.version.offer.entry, visible: s.visible })) };
  }

  /** The rule's answer for the viewer, with the indexed version it shows (kept per viewer class). */
  #show(offer: IndexedOffer, subscriptions: readonly string[]): Shown | undefined {
    const viewer = { subscriptionIds: subscriptions };
    const key = viewerClass(offer.entry.compiled, viewer);
    if (offer.answers.has(key)) return offer.answers.get(key);
    const visible = visibleOffer(offer.entry.compiled, viewer);
    const version = visible === undefined ? undefined : offer.versions.get(visible.version.number);
    const shown = visible === undefined || version === undefined ? undefined : { visible, version };
    // A few classes per offer in practice; the cap bounds an offer with many private plans.
    if (offer.answers.size >= MAX_CLASSES) offer.answers.clear();
    offer.answers.set(key, shown);
    return shown;
  }

  /**
   * Marks the versions shown to the viewer: what a viewer in no audience sees, corrected by the
   * rule's answers for the offers whose audiences hold one of the viewer's subscriptions (returned
   * by slot). The corrections are kept per set of subscriptions until the next change.
   */
  #markShown(subscriptions: readonly string[]): ReadonlyMap<number, Shown> {
    const key = [...subscriptions].sort().join(',');
    let audience = this.#viewers.get(key);
    if (audience === undefined) {
      audience = this.#audienceAnswers(subscriptions);
      if (this.#viewers.size >= MAX_VIEWERS) this.#viewers.clear();
      this.#viewers.set(key, audience);
    }
    const shown = this.#shown;
    shown.fill(0);
    shown.set(this.#anonymous.subarray(0, Math.min(this.#anonymous.length, shown.length)));
    for (const id of audience.hidden) shown[id] = 0;
    for (const id of audience.shown.keys()) shown[id] = 1;
    return audience.shown;
  }

  // For the offers whose audiences hold one of the subscriptions: their versions, and what the rule shows of them.
  #audienceAnswers(subscriptions: readonly string[]): AudienceAnswers {
    const hidden: number[] = [];
    const shown = new Map<number, Shown>();
    const done = new Set<IndexedOffer>();
    for (const s of subscriptions) {
      for (const offer of this.#audiences.get(s) ?? []) {
        if (done.has(offer)) continue;
        done.add(offer);
        for (const v of offer.versions.values()) hidden.push(v.id);
        const answer = this.#show(offer, subscriptions);
        if (answer !== undefined) shown.set(answer.version.id, answer);
      }
    }
    return { hidden, shown };
  }

  // Marks the slots of `posting` (and no other) in `marks`.
  #markAll(marks: Uint8Array, posting: ReadonlySet<number> | undefined): Uint8Array {
    marks.fill(0);
    for (const id of posting ?? []) marks[id] = 1;
    return marks;
  }

  // The search marks, as long as the slots.
  #grow(): void {
    const size = this.#versions.length;
    if (this.#shown.length >= size) return;
    this.#shown = new Uint8Array(size * 2);
    this.#inCategory = new Uint8Array(size * 2);
    this.#ofPublisher = new Uint8Array(size * 2);
    this.#termMarks = new Uint32Array(size * 2);
    this.#nameMarks = new Uint32Array(size * 2);
    this.#nameTerm = new Uint32Array(size * 2);
  }

  #order(key: SortKey): Int32Array {
    let order = this.#orders[key];
    if (order === undefined) {
      const sorted = this.#versions.filter((v) => v !== undefined).sort(ORDERS[key]);
      order = Int32Array.from(sorted, (v) => v.id);
      this.#orders[key] = order;
    }
    return order;
  }

  /**
   * Marks, per version slot, how many terms in a row it matches (a word starting with each term),
   * and with `names`, how many terms its name matches. False when no version matches them all.
   */
  #mark(terms: readonly string[], names: boolean): boolean {
    const all = this.#termMarks;
    all.fill(0);
    for (let t = 0; t < terms.length; t++) {
      let advanced = 0;
      for (const posting of this.#words.startingWith(terms[t] as string)) {
        for (const id of posting) {
          if (all[id] === t) {
            all[id] = t + 1;
            advanced++;
          }
        }
      }
      if (advanced === 0) return false;
    }
    if (!names) return true;
    const name = this.#nameMarks;
    const counted = this.#nameTerm;
    name.fill(0);
    counted.fill(0);
    for (let t = 0; t < terms.length; t++) {
      for (const posting of this.#names.startingWith(terms[t] as string)) {
        for (const id of posting) {
          if (counted[id] !== t + 1) {
            counted[id] = t + 1;
            name[id] = (name[id] as number) + 1;
          }
        }
      }
    }
    return true;
  }
}
