/**
 * GUIDs as four 32-bit words, for the engine's int-keyed tables: parsed straight out of a range of a
 * larger string (a bulk load's packed rows) without slicing it, hashed, and formatted back. A table
 * keyed by words needs no string per key and no V8 string hashing (slow for slices of a long string).
 */

const scratch = new Uint32Array(4);
// Hex digit values by char code, -1 for anything else (a bulk load parses millions: no branches per digit).
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[65 + c] = HEX[97 + c] = 10 + c;

// The value of the four hex digits at text[i, i + 4), or -1 when any is not a hex digit.
function hex4(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  const d = text.charCodeAt(i + 3);
  if ((a | b | c | d) > 127) return -1;
  const va = HEX[a] as number;
  const vb = HEX[b] as number;
  const vc = HEX[c] as number;
  const vd = HEX[d] as number;
  return (va | vb | vc | vd) < 0 ? -1 : (va << 12) | (vb << 8) | (vc << 4) | vd;
}

/**
 * The words of the GUID (8-4-4-4-12 hex, any case) in `text[start, end)`, in a scratch array shared
 * by every call (copy it to keep it), or undefined when the range is not a GUID.
 */
export function guidWordsAt(text: string, start: number, end: number): Uint32Array | undefined {
  if (end - start !== 36) return undefined;
  const i = start;
  if (text.charCodeAt(i + 8) !== 45 || text.charCodeAt(i + 13) !== 45 || text.charCodeAt(i + 18) !== 45 || text.charCodeAt(i + 23) !== 45) return undefined;
  const g0 = hex4(text, i);
  const g1 = hex4(text, i + 4);
  const g2 = hex4(text, i + 9);
  const g3 = hex4(text, i + 14);
  const g4 = hex4(text, i + 19);
  const g5 = hex4(text, i + 24);
  const g6 = hex4(text, i + 28);
  const g7 = hex4(text, i + 32);
  if ((g0 | g1 | g2 | g3 | g4 | g5 | g6 | g7) < 0) return undefined;
  scratch[0] = (g0 << 16) | g1;
  scratch[1] = (g2 << 16) | g3;
  scratch[2] = (g4 << 16) | g5;
  scratch[3] = (g6 << 16) | g7;
  return scratch;
}

/** The words of `guid`, or undefined when it is not a GUID; see guidWordsAt. */
export function guidWords(guid: string): Uint32Array | undefined {
  return guidWordsAt(guid, 0, guid.length);
}

/** A 32-bit hash of a GUID's words (they are mostly random already: this spreads the rest). */
export function hashGuidWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(d, 0xc2b2ae3d), 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}

/** The lower-case 8-4-4-4-12 form of the GUID held in `words[at, at + 4)`. */
export function formatGuidWords(words: Uint32Array, at = 0): string {
  const hex = Array.from(words.subarray(at, at + 4), (w) => w.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * GUID → int, insert-only, for the lookups of one bulk load (principal and role ids of packed rows).
 * Open addressing with linear probing over the words.
 */
export class GuidMap {
  private words = new Uint32Array(1024 * 4);
  private values = new Int32Array(1024);
  /** entry + 1 per bucket, 0 when empty. */
  private buckets = new Int32Array(2048);
  private count = 0;

  /** The value held for `w` (as guidWordsAt returns it), or -1. */
  get(w: Uint32Array): number {
    const e = this.entryOf(w);
    return e < 0 ? -1 : (this.values[e] as number);
  }

  /** Holds `value` for `w`, which must not be held yet. */
  set(w: Uint32Array, value: number): void {
    if (this.count === this.values.length) this.grow();
    const e = this.count++;
    this.words.set(w.subarray(0, 4), e * 4);
    this.values[e] = value;
    if (this.count * 4 > this.buckets.length * 3) this.rehash();
    else this.place(e);
  }

  private entryOf(w: Uint32Array): number {
    const a = w[0] as number;
    const b = w[1] as number;
    const c = w[2] as number;
    const d = w[3] as number;
    const mask = this.buckets.length - 1;
    for (let i = hashGuidWords(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      const entry = (this.buckets[i] as number) - 1;
      if (entry < 0) return -1;
      const at = entry * 4;
      if (this.words[at] === a && this.words[at + 1] === b && this.words[at + 2] === c && this.words[at + 3] === d) return entry;
    }
  }

  private place(e: number): void {
    const at = e * 4;
    const ws = this.words;
    const mask = this.buckets.length - 1;
    let i = hashGuidWords(ws[at] as number, ws[at + 1] as number, ws[at + 2] as number, ws[at + 3] as number) & mask;
    while (this.buckets[i] !== 0) i = (i + 1) & mask;
    this.buckets[i] = e + 1;
  }

  private grow(): void {
    const words = new Uint32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }

  private rehash(): void {
    this.buckets = new Int32Array(this.buckets.length * 2);
    for (let e = 0; e < this.count; e++) this.place(e);
  }
}
