/**
 * The next scope up from a normalised scope, as `ancestorScopes` walks it, validating the scope as
 * `parseScope` does. The shapes that make up nearly every held scope (subscription, resource
 * group, a resource directly in a resource group) are recognised from their slashes alone:
 * `parseScope` splits, lower-cases and builds objects, which at 10^6 assignments was a second of a
 * cold start. Anything else goes through `parseScope`.
 */
import { parseScope } from '../scope.js';
import type { ParsedScope } from '../scope.js';

const SLASH = 47;

/** The parent of normalised `scope` (undefined for `/`); throws `InvalidResourceId` as `parseScope` does. */
export function parentOf(scope: string): string | undefined {
  // Offsets of the slashes that start segments 1..8 (at most); segment 0 starts at 1.
  const cuts: number[] = [];
  for (let i = scope.indexOf('/', 1); i >= 0 && cuts.length < 8; i = scope.indexOf('/', i + 1)) cuts.push(i);
  if (scope.length > 1 && scope.charCodeAt(0) === SLASH && is(scope, cuts, 0, 'subscriptions')) {
    if (cuts.length === 1) return '/';
    if (cuts.length === 3 && is(scope, cuts, 2, 'resourcegroups')) return scope.slice(0, cuts[1]);
    if (cuts.length === 7 && is(scope, cuts, 2, 'resourcegroups') && is(scope, cuts, 4, 'providers') && !is(scope, cuts, 6, 'providers') && !is(scope, cuts, 7, 'providers')) {
      return scope.slice(0, cuts[3]);
    }
  }
  return parentScope(parseScope(scope));
}

// Whether segment k of `scope` (cut at `cuts`) is `word`, ignoring case.
function is(scope: string, cuts: readonly number[], k: number, word: string): boolean {
  const from = k === 0 ? 1 : (cuts[k - 1] as number) + 1;
  const to = cuts[k] ?? scope.length;
  return to - from === word.length && scope.slice(from, to).toLowerCase() === word;
}

// The next scope up, as ancestorScopes walks it, from one parse (ancestorScopes parses every level).
function parentScope(p: ParsedScope): string | undefined {
  if (p.level === 'root') return undefined;
  if (p.level === 'resource') return p.parent ?? '/';
  if (p.level === 'resourceGroup') return `/subscriptions/${p.subscriptionId}`;
  return '/';
}
