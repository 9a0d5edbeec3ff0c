/**
 * Role assignments packed into typed arrays, indexed by id and chained per scope node. The engine
 * holds up to millions of these, so nothing is stored as an object: a slot is one row of four
 * int32 (principal, role, next in chain, node; together, so a chain step is one cache line) plus
 * the 128-bit id, and the id index is an open-addressing table of slot numbers.
 */
import { isGuid } from '../guid.js';

const INITIAL = 1024;
/** Row layout: `rows[slot * STRIDE + PRINCIPAL]` etc. */
export const STRIDE = 4;
export const PRINCIPAL = 0;
export const ROLE = 1;
/** The next slot in the same scope node's chain (or in the free list), -1 at the end. */
export const NEXT = 2;
const NODE = 3;

export class AssignmentTable {
  rows = new Int32Array(INITIAL * STRIDE);
  private capacity = INITIAL;
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
    const w = guidWords(id);
    const a = w[0] as number, b = w[1] as number, c = w[2] as number, d = w[3] as number;
    const mask = this.buckets.length - 1;
    for (let i = hashWords(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const entry = this.buckets[i] as number;
      if (entry === 0) return -1;
      const s = entry - 1;
      const at = s * 4;
      if (this.idWords[at] === a && this.idWords[at + 1] === b && this.idWords[at + 2] === c && this.idWords[at + 3] === d) return s;
    }
  }

  /** Adds an assignment (its id must not be held yet) and returns its slot. */
  add(id: string, principal: number, role: number, node: number): number {
    const slot = this.allocate();
    const row = slot * STRIDE;
    this.rows[row + PRINCIPAL] = principal;
    this.rows[row + ROLE] = role;
    this.rows[row + NODE] = node;
    if (isGuid(id)) {
      this.idWords.set(guidWords(id), slot * 4);
      if ((this.live + 1) * 4 > this.buckets.length * 3) this.rehash(this.buckets.length * 2);
      this.insertBucket(slot);
    } else {
      this.idWords.fill(0, slot * 4, slot * 4 + 4);
      this.otherIds.set(id, slot);
      this.otherIdOf.set(slot, id);
    }
    this.ensureNode(node);
    this.rows[row + NEXT] = this.heads[node] as number;
    this.heads[node] = slot;
    this.live++;
    return slot;
  }

  /** Removes the assignment in `slot` from its chain and the id index. */
  remove(slot: number): void {
    const rows = this.rows;
    const node = rows[slot * STRIDE + NODE] as number;
    const after = rows[slot * STRIDE + NEXT] as number;
    let prev = -1;
    for (let s = this.heads[node] as number; s !== slot; s = rows[s * STRIDE + NEXT] as number) prev = s;
    if (prev < 0) this.heads[node] = after;
    else rows[prev * STRIDE + NEXT] = after;
    const other = this.otherIdOf.get(slot);
    if (other === undefined) this.deleteBucket(slot);
    else {
      this.otherIds.delete(other);
      this.otherIdOf.delete(slot);
    }
    rows[slot * STRIDE + NEXT] = this.freeHead;
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
      this.freeHead = this.rows[slot * STRIDE + NEXT] as number;
      return slot;
    }
    if (this.highWater === this.capacity) this.growSlots(this.capacity * 2);
    return this.highWater++;
  }

  private growSlots(capacity: number): void {
    const rows = new Int32Array(capacity * STRIDE);
    rows.set(this.rows);
    this.rows = rows;
    const words = new Uint32Array(capacity * 4);
    words.set(this.idWords);
    this.idWords = words;
    this.capacity = capacity;
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

const words = new Uint32Array(4);
// The four 32-bit words of a GUID (8-4-4-4-12); returns a shared scratch array.
function guidWords(guid: string): Uint32Array {
  words[0] = parseInt(guid.slice(0, 8), 16);
  words[1] = parseInt(guid.slice(9, 13) + guid.slice(14, 18), 16);
  words[2] = parseInt(guid.slice(19, 23) + guid.slice(24, 28), 16);
  words[3] = parseInt(guid.slice(28, 36), 16);
  return words;
}

function hashWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d), 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}
