/**
 * Action patterns (Actions / NotActions / DataActions / NotDataActions) compiled once, and the
 * per-action verdict of a set of permission blocks cached by interned action id.
 * Semantics (lighthouse.md §4.2–4.3): case-insensitive, `*` matches any run of characters
 * including `/`, anchored at both ends; NotActions only subtract inside their own block; the
 * control plane and the data plane are evaluated separately, so `*` in Actions never grants a
 * data action.
 */
import type { Permission } from './model.js';

/** A compiled list of patterns: true when any of them matches the whole action. */
export type PatternTest = (action: string) => boolean;

const never: PatternTest = () => false;
const always: PatternTest = () => true;

/** Compiles a list of action patterns into one anchored, case-insensitive test. */
export function compilePatterns(patterns: readonly string[]): PatternTest {
  if (patterns.length === 0) return never;
  if (patterns.includes('*')) return always;
  const globs = patterns.map((p) => p.toLowerCase().split('*'));
  return (action) => {
    const lower = action.toLowerCase();
    return globs.some((parts) => globMatches(parts, lower));
  };
}

/**
 * Whether `text` is the pattern whose literal parts between its `*`s are `parts`: the first a prefix,
 * the last a suffix, the rest found in order, each as early as it occurs. Linear in the text for each
 * part, whatever the number of `*` (a custom role's pattern is user input: a backtracking regular
 * expression of many `*` against a long action held the event loop for seconds).
 */
function globMatches(parts: readonly string[], text: string): boolean {
  const first = parts[0] as string;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1] as string;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

interface CompiledBlock {
  readonly actions: PatternTest;
  readonly notActions: PatternTest;
  readonly dataActions: PatternTest;
  readonly notDataActions: PatternTest;
}

/** Verdict bits of one permission set for one action: a "known" and an "allowed" bit per plane (also the engine's per-action rows). */
export const CONTROL_KNOWN = 1;
export const CONTROL_ALLOWED = 2;
export const DATA_KNOWN = 4;
export const DATA_ALLOWED = 8;

/** The permission blocks of one role (or deny assignment), decided per action and cached. */
export class PermissionMatcher {
  readonly permissions: readonly Permission[];
  private readonly blocks: readonly CompiledBlock[];
  private cache = new Uint8Array(0);

  constructor(permissions: readonly Permission[]) {
    this.permissions = permissions;
    this.blocks = permissions.map((p) => ({
      actions: compilePatterns(p.actions),
      notActions: compilePatterns(p.notActions),
      dataActions: compilePatterns(p.dataActions),
      notDataActions: compilePatterns(p.notDataActions),
    }));
  }

  /** Uncached verdict: some block matches the action and its own Not-list does not. */
  matches(action: string, dataAction: boolean): boolean {
    return this.blocks.some((b) =>
      dataAction ? b.dataActions(action) && !b.notDataActions(action) : b.actions(action) && !b.notActions(action),
    );
  }

  /** Cached verdict for `action`, whose interned id is `actionId` (ids are dense, from 0). */
  allows(actionId: number, action: string, dataAction: boolean): boolean {
    let bits = actionId < this.cache.length ? (this.cache[actionId] as number) : 0;
    const known = dataAction ? DATA_KNOWN : CONTROL_KNOWN;
    const allowed = dataAction ? DATA_ALLOWED : CONTROL_ALLOWED;
    if ((bits & known) === 0) {
      bits |= known | (this.matches(action, dataAction) ? allowed : 0);
      if (actionId >= this.cache.length) {
        const grown = new Uint8Array(Math.max(actionId + 1, this.cache.length * 2, 64));
        grown.set(this.cache);
        this.cache = grown;
      }
      this.cache[actionId] = bits;
    }
    return (bits & allowed) !== 0;
  }

  /** Forgets cached verdicts; needed when action ids are handed out afresh. */
  clearCache(): void {
    this.cache = new Uint8Array(0);
  }
}
