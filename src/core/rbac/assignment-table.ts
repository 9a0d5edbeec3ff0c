/**
 * Role assignments packed into typed arrays, indexed by id and stored contiguously per scope node.
 * The engine holds up to millions of these, so nothing is stored as an object. Each node owns one
 * segment of `pool`, (principal, role, slot) triples in insertion order, so walking a node's
 * assignments reads one or two cache lines however randomly they were written; a full segment moves
 * to the end of the pool with doubled capacity, and the pool is compacted (segments laid out in
 * node order, exact size) when the space left behind by moves reaches the live size. Per slot the
 * table keeps the node and the 128-bit id; the id index is an open-addressing table of slot numbers.
 *
 * The per-node records (`nodes`, NODE_STRIDE ints each) also carry two fields for the table's
 * owner (the engine's parent pointer and extras index), so a walk up the scope tree reads one
 * record per node instead of one entry in each of three arrays.
 */
import { damaged, type CheckpointReader, type CheckpointWriter } from './checkpoint-format.js';
import { formatGuidWords, guidWords, hashGuidWords } from './guid-words.js';

const INITIAL = 1024;
/** Segment layout: `pool[i + PRINCIPAL]`, `pool[i + ROLE]`, `pool[i + SLOT]` for i = start, start + STRIDE, ... */
export const STRIDE = 3;
export const PRINCIPAL = 0;
export const ROLE = 1;
const SLOT = 2;
/** Per-node record layout: `nodes[node * NODE_STRIDE + field]`. */
export const NODE_STRIDE = 5;
export const NODE_START = 0;
export const NODE_END = 1;
const NODE_CAPACITY = 2;
/** Fields kept for the owner; the table only zeroes them when a node's record is created. */
export const NODE_OWNER_A = 3;
export const NODE_OWNER_B = 4;

export class AssignmentTable {
  /** The segments; a node's runs from `nodes[node * NODE_STRIDE + NODE_START]` to its NODE_END. */
  pool = new Int32Array(INITIAL * STRIDE);
  /** Per node: segment start, end (exclusive) and capacity end, as pool offsets, then the owner's two fields. */
  nodes = new Int32Array(INITIAL * NODE_STRIDE);
  private poolEnd = 0;
  /** Pool entries left behind by moved segments. */
  private waste = 0;
  private capacity = INITIAL;
  /** Per slot: its node, or -(next free slot + 2) while free. */
  private nodeOf = new Int32Array(INITIAL);
  private idWords = new Uint32Array(INITIAL * 4);
  /** slot + 1 per bucket, 0 when empty; linear probing. */
  private buckets = new Int32Array(INITIAL * 2);
  // Ids that are not GUIDs (the model says GUID, but a store may hold anything) go here.
  private readonly otherIds = new Map<string, number>();
  private readonly otherIdOf = new Map<number, string>();
  private freeHead = -1;
  // Whether the segments are in node order with no gaps and nothing was appended since (compact has nothing to do).
  private laidOut = true;
  private highWater = 0;
  private live = 0;

  /** The number of assignments held. */
  get size(): number {
    return this.live;
  }

  /** The slot (for `idOf`) of the triple at pool offset `i`. */
  slotAt(i: number): number {
    return this.pool[i + SLOT] as number;
  }

  /** The slot holding assignment `id` (lower-case), -1 when none. */
  find(id: string): number {
    const w = guidWords(id);
    if (w === undefined) return this.otherIds.get(id) ?? -1;
    return this.findWords(w[0] as number, w[1] as number, w[2] as number, w[3] as number);
  }

  private findWords(a: number, b: number, c: number, d: number): number {
    const mask = this.buckets.length - 1;
    for (let i = hashGuidWords(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const entry = this.buckets[i] as number;
      if (entry === 0) return -1;
      const s = entry - 1;
      const at = s * 4;
      if (this.idWords[at] === a && this.idWords[at + 1] === b && this.idWords[at + 2] === c && this.idWords[at + 3] === d) return s;
    }
  }

  /** Makes room for `count` more assignments in one step (a bulk load knows its size). */
  reserve(count: number): void {
    const need = this.live + count;
    // Grown at least twofold, so reserving chunk by chunk stays linear.
    if (need > this.capacity) this.growSlots(Math.max(need, this.capacity * 2));
    if (need * 4 > this.buckets.length * 3) this.rehash(bucketsFor(need));
    if (this.poolEnd + count * STRIDE > this.pool.length) this.resizePool(Math.max(this.poolEnd + count * STRIDE, this.pool.length * 2));
  }

  /** Adds assignment `id` (lower-case), replacing the one held under that id, and returns its slot. */
  put(id: string, principal: number, role: number, node: number): number {
    const w = guidWords(id);
    if (w !== undefined) return this.putWords(w, principal, role, node);
    const held = this.otherIds.get(id);
    if (held !== undefined) this.remove(held);
    const slot = this.add(principal, role, node);
    this.idWords.fill(0, slot * 4, slot * 4 + 4);
    this.otherIds.set(id, slot);
    this.otherIdOf.set(slot, id);
    return slot;
  }

  /** `put` for a GUID id given as its words (guid-words.ts), as a bulk load parses it. */
  putWords(w: Uint32Array, principal: number, role: number, node: number): number {
    const a = w[0] as number;
    const b = w[1] as number;
    const c = w[2] as number;
    const d = w[3] as number;
    const held = this.findWords(a, b, c, d);
    if (held >= 0) this.remove(held);
    const slot = this.add(principal, role, node);
    const at = slot * 4;
    this.idWords[at] = a;
    this.idWords[at + 1] = b;
    this.idWords[at + 2] = c;
    this.idWords[at + 3] = d;
    if (this.live * 4 > this.buckets.length * 3) this.rehash(this.buckets.length * 2);
    this.insertBucket(slot);
    return slot;
  }

  // Takes a slot and appends the triple to the node's segment; the caller records the id.
  private add(principal: number, role: number, node: number): number {
    const slot = this.allocate();
    this.nodeOf[slot] = node;
    const at = this.appendAt(node);
    this.pool[at + PRINCIPAL] = principal;
    this.pool[at + ROLE] = role;
    this.pool[at + SLOT] = slot;
    this.live++;
    return slot;
  }

  /** Removes the assignment in `slot` from its node and the id index. */
  remove(slot: number): void {
    const at = (this.nodeOf[slot] as number) * NODE_STRIDE;
    const nodes = this.nodes;
    const end = nodes[at + NODE_END] as number;
    let i = nodes[at + NODE_START] as number;
    while (this.pool[i + SLOT] !== slot) i += STRIDE;
    // Shifted, not swapped with the last: the walk reports grants in insertion order.
    this.pool.copyWithin(i, i + STRIDE, end);
    this.laidOut = false;
    nodes[at + NODE_END] = end - STRIDE;
    const other = this.otherIdOf.get(slot);
    if (other === undefined) this.deleteBucket(slot);
    else {
      this.otherIds.delete(other);
      this.otherIdOf.delete(slot);
    }
    this.nodeOf[slot] = -(this.freeHead + 2);
    this.freeHead = slot;
    this.live--;
  }

  /** The id of the assignment in `slot`, as a lower-case GUID. */
  idOf(slot: number): string {
    const other = this.otherIdOf.get(slot);
    if (other !== undefined) return other;
    return formatGuidWords(this.idWords, slot * 4);
  }

  /** Writes the table, laid out afresh (so the checkpoint holds no gaps), as checkpoint sections. */
  writeTo(out: CheckpointWriter, nodeCount: number): void {
    this.compact();
    out.ints(Int32Array.of(this.poolEnd, this.waste, this.freeHead, this.highWater, this.live));
    out.ints(this.pool.subarray(0, this.poolEnd)).ints(this.nodes.subarray(0, nodeCount * NODE_STRIDE));
    out.ints(this.nodeOf.subarray(0, this.highWater)).ints(this.idWords.subarray(0, this.highWater * 4));
    out.ints(Int32Array.from(this.otherIdOf.keys())).strings([...this.otherIdOf.values()]);
    out.ints(this.buckets);
  }

  /**
   * Reads back what `writeTo` wrote into this empty table, checking every segment, slot and id
   * index entry against the counts given (a walk or a probe must never leave the arrays or loop).
   */
  readFrom(input: CheckpointReader, nodeCount: number, principalCount: number, roleCount: number): void {
    if (this.live !== 0 || this.highWater !== 0) throw new Error('AssignmentTable.readFrom needs an empty table');
    const [poolEnd = 0, waste = 0, freeHead = 0, highWater = 0, live = 0] = input.ints();
    const pool = input.ints();
    const nodes = input.ints();
    const nodeOf = input.ints();
    const idWords = input.uints();
    const otherSlots = input.ints();
    const otherIds = input.strings();
    const buckets = input.ints();
    const check = (ok: boolean, what: string) => {
      if (!ok) throw damaged(`its assignment table ${what}`);
    };
    check(pool.length === poolEnd && nodes.length === nodeCount * NODE_STRIDE, 'has the wrong size');
    check(nodeOf.length === highWater && idWords.length === highWater * 4 && otherSlots.length === otherIds.length, 'has the wrong number of slots');
    let held = 0;
    for (let n = 0; n < nodeCount; n++) {
      const s = n * NODE_STRIDE;
      const start = nodes[s + NODE_START] as number;
      const end = nodes[s + NODE_END] as number;
      check(start >= 0 && start <= end && end <= (nodes[s + NODE_CAPACITY] as number) && (nodes[s + NODE_CAPACITY] as number) <= poolEnd && (end - start) % STRIDE === 0, `segment of node ${n} is out of bounds`);
      for (let i = start; i < end; i += STRIDE) {
        const slot = pool[i + SLOT] as number;
        const p = pool[i + PRINCIPAL] as number;
        const r = pool[i + ROLE] as number;
        check(p >= 0 && p < principalCount && r >= 0 && r < roleCount && slot >= 0 && slot < highWater && nodeOf[slot] === n, `entry at ${i} does not match its node, principal, role or slot`);
        held++;
      }
    }
    let free = 0;
    for (const n of nodeOf) {
      if (n >= 0) continue;
      const next = -n - 2;
      check(next === -1 || (next >= 0 && next < highWater && (nodeOf[next] as number) < 0), 'free list points at a slot in use');
      free++;
    }
    const isFree = (slot: number) => slot === -1 || (slot >= 0 && slot < highWater && (nodeOf[slot] as number) < 0);
    check(held === live && free === highWater - live && waste >= 0 && isFree(freeHead), 'counts do not add up');
    for (const slot of otherSlots) check(slot >= 0 && slot < highWater && (nodeOf[slot] as number) >= 0, 'names a free slot for an id');
    let indexed = 0;
    for (const entry of buckets) {
      if (entry === 0) continue;
      check(entry > 0 && entry <= highWater && (nodeOf[entry - 1] as number) >= 0, 'id index names a slot not in use');
      indexed++;
    }
    // At most 3/4 full, so a probe always meets an empty bucket.
    const size = buckets.length;
    check(size >= INITIAL * 2 && (size & (size - 1)) === 0 && indexed * 4 <= size * 3 && indexed === live - otherSlots.length, 'id index does not hold every GUID id once');
    this.capacity = Math.max(INITIAL, highWater);
    this.pool = grownTo(pool, Math.max(INITIAL * STRIDE, poolEnd));
    this.nodes = grownTo(nodes, Math.max(INITIAL, nodeCount) * NODE_STRIDE);
    this.nodeOf = grownTo(nodeOf, this.capacity);
    this.idWords = new Uint32Array(this.capacity * 4);
    this.idWords.set(idWords);
    this.poolEnd = poolEnd;
    this.waste = waste;
    this.freeHead = freeHead;
    this.highWater = highWater;
    this.live = live;
    this.laidOut = waste === 0 && poolEnd === live * STRIDE;
    otherSlots.forEach((slot, k) => {
      this.otherIds.set(otherIds[k] as string, slot);
      this.otherIdOf.set(slot, otherIds[k] as string);
    });
    this.buckets = buckets;
  }

  /** Lays the segments out in node order with no gaps (after a bulk load, or when moves left much waste). */
  compact(): void {
    if (this.laidOut) return;
    const nodes = this.nodes;
    const pool = new Int32Array(Math.max(INITIAL * STRIDE, this.live * STRIDE));
    let at = 0;
    for (let s = 0; s < nodes.length; s += NODE_STRIDE) {
      const from = nodes[s + NODE_START] as number;
      const to = nodes[s + NODE_END] as number;
      pool.set(this.pool.subarray(from, to), at);
      nodes[s + NODE_START] = at;
      at += to - from;
      nodes[s + NODE_END] = at;
      nodes[s + NODE_CAPACITY] = at;
    }
    this.pool = pool;
    this.poolEnd = at;
    this.waste = 0;
    this.laidOut = true;
  }

  // The pool offset for one more triple at `node`, moving its segment to the end when it is full.
  private appendAt(node: number): number {
    this.laidOut = false;
    this.ensureNode(node);
    const nodes = this.nodes;
    const s = node * NODE_STRIDE;
    const end = nodes[s + NODE_END] as number;
    if (end < (nodes[s + NODE_CAPACITY] as number)) {
      nodes[s + NODE_END] = end + STRIDE;
      return end;
    }
    const start = nodes[s + NODE_START] as number;
    const used = end - start;
    const cap = Math.max(STRIDE, used * 2);
    if (this.poolEnd + cap > this.pool.length) {
      if (this.waste * 2 >= this.poolEnd) this.compact();
      if (this.poolEnd + cap > this.pool.length) this.resizePool(Math.max(this.pool.length * 2, this.poolEnd + cap));
      return this.appendAt(node);
    }
    const to = this.poolEnd;
    this.pool.copyWithin(to, start, end);
    this.waste += (nodes[s + NODE_CAPACITY] as number) - start;
    nodes[s + NODE_START] = to;
    nodes[s + NODE_END] = to + used + STRIDE;
    nodes[s + NODE_CAPACITY] = to + cap;
    this.poolEnd = to + cap;
    return to + used;
  }

  private resizePool(length: number): void {
    const pool = new Int32Array(length);
    pool.set(this.pool.subarray(0, this.poolEnd));
    this.pool = pool;
  }

  private allocate(): number {
    if (this.freeHead >= 0) {
      const slot = this.freeHead;
      this.freeHead = -(this.nodeOf[slot] as number) - 2;
      return slot;
    }
    if (this.highWater === this.capacity) this.growSlots(this.capacity * 2);
    return this.highWater++;
  }

  private growSlots(capacity: number): void {
    const nodes = new Int32Array(capacity);
    nodes.set(this.nodeOf);
    this.nodeOf = nodes;
    const words = new Uint32Array(capacity * 4);
    words.set(this.idWords);
    this.idWords = words;
    this.capacity = capacity;
  }

  /** Makes sure `node` has a record (new records are all zero: an empty segment). */
  ensureNode(node: number): void {
    if (node * NODE_STRIDE < this.nodes.length) return;
    const nodes = new Int32Array(Math.max(node + 1, (this.nodes.length / NODE_STRIDE) * 2) * NODE_STRIDE);
    nodes.set(this.nodes);
    this.nodes = nodes;
  }

  private home(slot: number): number {
    const w = slot * 4;
    const ids = this.idWords;
    return hashGuidWords(ids[w] as number, ids[w + 1] as number, ids[w + 2] as number, ids[w + 3] as number) & (this.buckets.length - 1);
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

// `values` in an array of at least `length` (zero-filled past its end).
function grownTo(values: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  if (values.length >= length) return values;
  const out = new Int32Array(length);
  out.set(values);
  return out;
}

// The smallest power-of-two bucket count that keeps `count` entries at most 3/4 full.
function bucketsFor(count: number): number {
  let n = INITIAL * 2;
  while (count * 4 > n * 3) n *= 2;
  return n;
}
