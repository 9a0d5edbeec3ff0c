/**
 * Scope key -> node id, without keeping a lower-cased copy of every scope next to its display
 * name (at 10^6 assignments that copy alone is ~40 bytes per assignment): an open-addressing table
 * of node ids hashed by the lower-cased key and compared, case-insensitively, with the node's name.
 */
export class ScopeIndex {
  private slots = new Int32Array(1024).fill(-1);
  private count = 0;

  /** `names[node]` is the display name of each node the index will hold. */
  constructor(private readonly names: readonly string[]) {}

  /** The node whose name equals `key` (lower-case, normalised) ignoring case, if any. */
  get(key: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let i = hash(key) & mask; ; i = (i + 1) & mask) {
      const node = this.slots[i] as number;
      if (node < 0) return undefined;
      if (sameIgnoringCase(this.names[node] as string, key)) return node;
    }
  }

  /** Adds `node` under `key` (lower-case, normalised); the key must not be held yet. */
  add(key: string, node: number): void {
    if ((this.count + 1) * 4 > this.slots.length * 3) this.grow();
    this.place(hash(key), node);
    this.count++;
  }

  private place(h: number, node: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== -1) i = (i + 1) & mask;
    this.slots[i] = node;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    for (const node of old) if (node >= 0) this.place(hash((this.names[node] as string).toLowerCase()), node);
  }
}

// FNV-1a over UTF-16 code units.
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// `name.toLowerCase() === key` without allocating, for the ASCII case; exact fallback otherwise.
function sameIgnoringCase(name: string, key: string): boolean {
  if (name.length !== key.length) return name.toLowerCase() === key;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c > 127) return name.toLowerCase() === key;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== key.charCodeAt(i)) return false;
  }
  return true;
}
