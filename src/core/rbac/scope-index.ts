/**
 * Scope -> node id, built for the check path: a request's scope is resolved to the nearest held
 * scope at or above it in one pass over its characters, with no allocation and no lower-cased copy
 * (neither of the request nor of the held scopes; at 10^6 assignments such copies alone cost ~40
 * bytes per assignment). It is an open-addressing table of (hash, node) pairs; the hash is FNV-1a
 * over the ASCII-lower-cased characters, and a hit is confirmed against the node's display name.
 */
import { damaged, type CheckpointReader, type CheckpointWriter } from './checkpoint-format.js';

const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;
const SLASH = 47;

export class ScopeIndex {
  /** (hash, node + 1) pairs; node + 1 === 0 marks an empty slot. */
  private slots = new Int32Array(2048);
  private count = 0;
  // End offsets and hashes of each `/`-bounded prefix of the scope being resolved.
  private ends = new Int32Array(64);
  private hashes = new Int32Array(64);
  // Lower-cased names of the (rare) nodes whose names are not ASCII; they compare by toLowerCase.
  private readonly folded = new Map<number, string>();

  /** `names[node]` is the normalised display name of each node the index will hold. */
  constructor(private readonly names: readonly string[]) {}

  /** Adds `node` under its name; the name (ignoring case) must not be held yet. */
  add(node: number): void {
    if ((this.count + 1) * 2 > this.slots.length / 2) this.grow();
    const name = this.names[node] as string;
    if (!isAscii(name)) this.folded.set(node, name.toLowerCase());
    const key = this.folded.get(node) ?? name;
    this.place(hashOf(key, 0, key.length), node);
    this.count++;
  }

  /** Writes the hash table as a checkpoint section (the names are the owner's to write). */
  writeTo(out: CheckpointWriter): void {
    out.ints(this.slots);
  }

  /** Replaces the index with what `writeTo` wrote, over the names the owner has restored. */
  readFrom(input: CheckpointReader): void {
    const slots = input.ints();
    const size = slots.length >> 1;
    let count = 0;
    for (let i = 1; i < slots.length; i += 2) {
      const entry = slots[i] as number;
      if (entry === 0) continue;
      if (entry < 0 || entry > this.names.length) throw damaged(`its scope index names node ${entry - 1} of ${this.names.length}`);
      count++;
    }
    if (size < 2048 / 2 || (size & (size - 1)) !== 0 || count !== this.names.length || count * 2 > size) throw damaged('its scope index does not hold every scope once');
    this.slots = slots;
    this.count = count;
    this.folded.clear();
    this.names.forEach((name, node) => {
      if (!isAscii(name)) this.folded.set(node, name.toLowerCase());
    });
  }

  /** The node named `scope` (normalised, any casing), or -1. */
  get(scope: string): number {
    const key = isAscii(scope) ? scope : scope.toLowerCase();
    return this.lookup(key, 0, key.length, hashOf(key, 0, key.length));
  }

  /** `get` for the scope in `text[start, end)`, without slicing it out (a bulk load's packed rows). */
  getRange(text: string, start: number, end: number): number {
    for (let i = start; i < end; i++) if (text.charCodeAt(i) > 127) return this.get(text.slice(start, end));
    return this.lookup(text, start, end, hashOf(text, start, end));
  }

  /**
   * The nearest held scope at or above `scope` (normalised: one leading slash, no empty segments,
   * no trailing slash; root must be held), encoded as node * 2 + 1 when it is `scope` itself.
   */
  resolve(scope: string): number {
    if (!isAscii(scope)) return this.resolveFolded(scope.toLowerCase());
    return this.resolveFolded(scope);
  }

  private resolveFolded(scope: string): number {
    let parts = 0;
    let h = OFFSET;
    for (let i = 0; i < scope.length; i++) {
      const c = scope.charCodeAt(i);
      if (c === SLASH && i > 0) parts = this.mark(parts, i, h);
      h = Math.imul(h ^ fold(c), PRIME);
    }
    parts = this.mark(parts, scope.length, h);
    for (let j = parts - 1; j >= 0; j--) {
      const node = this.lookup(scope, 0, this.ends[j] as number, (this.hashes[j] as number) >>> 0);
      if (node >= 0) return node * 2 + (j === parts - 1 ? 1 : 0);
    }
    return 0; // root
  }

  private mark(parts: number, end: number, hash: number): number {
    if (parts === this.ends.length) {
      const ends = new Int32Array(parts * 2);
      ends.set(this.ends);
      this.ends = ends;
      const hashes = new Int32Array(parts * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.ends[parts] = end;
    this.hashes[parts] = hash;
    return parts + 1;
  }

  // The node whose name equals text[start, end) ignoring ASCII case.
  private lookup(text: string, start: number, end: number, hash: number): number {
    const mask = (this.slots.length >> 1) - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = this.slots[i * 2 + 1] as number;
      if (entry === 0) return -1;
      const node = entry - 1;
      if (this.slots[i * 2] === (hash | 0) && sameRange(this.nameOf(node), text, start, end)) return node;
    }
  }

  private nameOf(node: number): string {
    return this.folded.size === 0 ? (this.names[node] as string) : (this.folded.get(node) ?? (this.names[node] as string));
  }

  private place(hash: number, node: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let i = hash & mask;
    while (this.slots[i * 2 + 1] !== 0) i = (i + 1) & mask;
    this.slots[i * 2] = hash | 0;
    this.slots[i * 2 + 1] = node + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let i = 1; i < old.length; i += 2) {
      const entry = old[i] as number;
      if (entry !== 0) this.place((old[i - 1] as number) >>> 0, entry - 1);
    }
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

// ASCII case folding; strings that are not ASCII are lower-cased with toLowerCase beforehand.
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function hashOf(s: string, start: number, end: number): number {
  let h = OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ fold(s.charCodeAt(i)), PRIME);
  return h >>> 0;
}

// Whether `name` equals text[start, end), ignoring ASCII case.
function sameRange(name: string, text: string, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  if (start === 0 && end === text.length && name === text) return true; // the common case, compared natively
  for (let i = 0; i < name.length; i++) if (fold(name.charCodeAt(i)) !== fold(text.charCodeAt(start + i))) return false;
  return true;
}
