/**
 * Case-insensitive string interning: each distinct lower-cased string gets a dense int id, so the
 * engine compares and indexes ints. Raw spellings seen on lookup are kept in the same map (up to a
 * bound) so that a repeated mixed-case string costs one map lookup, not a lower-casing and two.
 */
import { damaged } from './checkpoint-format.js';

const ALIAS_LIMIT = 1 << 16;

export class Interner {
  private ids = new Map<string, number>();
  private aliases = 0;
  /** The lower-cased string of each id. */
  readonly names: string[] = [];

  /** The number of ids handed out. */
  get size(): number {
    return this.names.length;
  }

  /** Gives this empty interner `names` (lower-case, distinct) as ids 0, 1, …, as a checkpoint holds them. */
  restore(names: readonly string[]): void {
    if (this.names.length > 0) throw new Error('Interner.restore needs an empty interner');
    for (const name of names) {
      if (name !== name.toLowerCase() || this.ids.has(name)) throw damaged(`its name '${name}' is not lower-case or is held twice`);
      this.ids.set(name, this.names.length);
      this.names.push(name);
    }
  }

  /** The id of `value`, allocating one if it is new. */
  intern(value: string): number {
    const known = this.find(value);
    if (known >= 0) return known;
    const canonical = value.toLowerCase();
    const id = this.names.length;
    this.ids.set(canonical, id);
    this.names.push(canonical);
    this.remember(value, id);
    return id;
  }

  /** The id of `value` (any casing), or -1 when it was never interned. */
  find(value: string): number {
    const direct = this.ids.get(value);
    if (direct !== undefined) return direct;
    const id = this.ids.get(value.toLowerCase());
    if (id === undefined) return -1;
    this.remember(value, id);
    return id;
  }

  private remember(raw: string, id: number): void {
    if (this.names[id] === raw) return;
    if (this.aliases >= ALIAS_LIMIT) {
      // Too many spellings seen: keep only the canonical keys.
      this.ids = new Map(this.names.map((name, i) => [name, i]));
      this.aliases = 0;
    }
    this.ids.set(raw, id);
    this.aliases++;
  }
}
