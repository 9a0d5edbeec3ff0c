/**
 * Role assignments in struct-of-arrays form, indexed by id and chained per scope node. The engine
 * holds up to millions of these, so nothing is stored as an object: a slot is four int32 columns
 * plus the 128-bit id, and the id index is an open-addressing table of slot numbers.
 */
import { isGuid } from '../guid.js';

const INITIAL = 1024;

export class AssignmentTable {
  principal = new Int32Array(INITIAL);
  role = new Int32Array(INITIAL);
  node = new Int32Array(INITIAL);
  /** The next slot in the same scope node's chain (or in the free list), -1 at the end. */
  next = new Int32Array(INITIAL);
  private idWords = new Uint32Array(INITIAL * 4);
  private heads = new Int32Array(INITIAL).fill(-1);
  /** slot + 1 per bucket, 0 when empty; linear probing. */
  private buckets = new Int32Array(INITIAL * 2);
  // Ids that are not GUIDs (the model says GUID, but a store may hold anything) go here.
  private readonly otherIds = new Map<string, number>();
  private readonly otherIdOf = new Map<number, string>();
  private freeHead = -1;
  private highWater = 0;
  private live = 0;

  /** The number of assignments held. */
  get size(): number {
    return this.live;
  }

  /** First slot of the chain at `node`, -1 when none. */
  head(node: number): number {
    return node < this.heads.length ? (this.heads[node] as number) : -1;
  }

  /** The slot holding assignment `id` (lower-case), -1 when none. */
  find(id: string): number {
    if (!isGuid(id)) return this.otherIds.get(id) ?? -1;
    const [a, b, c, d] = guidWords(id);
    const mask = this.buckets.length - 1;
    for (let i = hashWords(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const entry = this.buckets[i] as number;
      if (entry === 0) return -1;
      const s = entry - 1;
      const w = s * 4;
      if (this.idWords[w] === a && this.idWords[w + 1] === b && this.idWords[w + 2] === c && this.idWords[w + 3] === d) return s;
    }
  }

  /** Adds an assignment (its id must not be held yet) and returns its slot. */
  add(id: string, principal: number, role: number, node: number): number {
    const slot = this.allocate();
    this.principal[slot] = principal;
    this.role[slot] = role;
    this.node[slot] = node;
    if (isGuid(id)) {
      const words = guidWords(id);
      this.idWords.set(words, slot * 4);
      if ((this.live + 1) * 4 > this.buckets.length * 3) this.rehash(this.buckets.length * 2);
      this.insertBucket(slot);
    } else {
      this.idWords.fill(0, slot * 4, slot * 4 + 4);
      this.otherIds.set(id, slot);
      this.otherIdOf.set(slot, id);
    }
    this.ensureNode(node);
    this.next[slot] = this.heads[node] as number;
    this.heads[node] = slot;
    this.live++;
    return slot;
  }

  /** Removes the assignment in `slot` from its chain and the id index. */
  remove(slot: number): void {
    const node = this.node[slot] as number;
    let prev = -1;
    for (let s = this.heads[node] as number; s !== slot; s = this.next[s] as number) prev = s;
    if (prev < 0) this.heads[node] = this.next[slot] as number;
    else this.next[prev] = this.next[slot] as number;
    const other = this.otherIdOf.get(slot);
    if (other === undefined) this.deleteBucket(slot);
    else {
      this.otherIds.delete(other);
      this.otherIdOf.delete(slot);
    }
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
    this.live--;
  }

  /** The id of the assignment in `slot`, as a lower-case GUID. */
  idOf(slot: number): string {
    const other = this.otherIdOf.get(slot);
    if (other !== undefined) return other;
    const hex = Array.from(this.idWords.subarray(slot * 4, slot * 4 + 4), (w) => w.toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private allocate(): number {
    if (this.freeHead >= 0) {
      const slot = this.freeHead;
      this.freeHead = this.next[slot] as number;
      return slot;
    }
    if (this.highWater === this.principal.length) this.growSlots(this.principal.length * 2);
    return this.highWater++;
  }

  private growSlots(capacity: number): void {
    this.principal = grow(this.principal, capacity);
    this.role = grow(this.role, capacity);
    this.node = grow(this.node, capacity);
    this.next = grow(this.next, capacity);
    const words = new Uint32Array(capacity * 4);
    words.set(this.idWords);
    this.idWords = words;
  }

  private ensureNode(node: number): void {
    if (node < this.heads.length) return;
    const heads = new Int32Array(Math.max(node + 1, this.heads.length * 2)).fill(-1);
    heads.set(this.heads);
    this.heads = heads;
  }

  private home(slot: number): number {
    const w = slot * 4;
    const ids = this.idWords;
    return hashWords(ids[w] as number, ids[w + 1] as number, ids[w + 2] as number, ids[w + 3] as number) & (this.buckets.length - 1);
  }

  private insertBucket(slot: number): void {
    const mask = this.buckets.length - 1;
    let i = this.home(slot);
    while (this.buckets[i] !== 0) i = (i + 1) & mask;
    this.buckets[i] = slot + 1;
  }

  // Backward-shift deletion keeps probe chains intact without tombstones.
  private deleteBucket(slot: number): void {
    const mask = this.buckets.length - 1;
    let i = this.home(slot);
    while (this.buckets[i] !== slot + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; this.buckets[j] !== 0; j = (j + 1) & mask) {
      const k = this.home((this.buckets[j] as number) - 1);
      const movable = i <= j ? k <= i || k > j : k <= i && k > j;
      if (movable) {
        this.buckets[i] = this.buckets[j] as number;
        i = j;
      }
    }
    this.buckets[i] = 0;
  }

  private rehash(capacity: number): void {
    const old = this.buckets;
    this.buckets = new Int32Array(capacity);
    for (const entry of old) if (entry !== 0) this.insertBucket(entry - 1);
  }
}

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

function guidWords(guid: string): [number, number, number, number] {
  const hex = guid.replace(/-/g, '');
  return [0, 8, 16, 24].map((i) => parseInt(hex.slice(i, i + 8), 16)) as [number, number, number, number];
}

function hashWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d), 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}
