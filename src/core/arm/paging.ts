/**
 * ARM list paging: a page holds at most `$top` (or the default page size) items in a stable order,
 * and `nextLink` carries an opaque `$skiptoken` naming the last key served, so items added or
 * removed between pages neither repeat nor shift the rest.
 */
import { invalid } from '../errors.js';

export interface Page<T> {
  readonly value: T[];
  /** The `$skiptoken` of the next page; absent on the last page. */
  readonly skipToken?: string;
}

export interface PageRequest {
  readonly top?: number;
  readonly skipToken?: string;
  /** Items per page when `$top` is absent. */
  readonly pageSize: number;
}

/** A page asked for by key (the store pages in its index order): after `after`, at most `size` items. */
export interface KeysetPageRequest {
  readonly after?: string;
  readonly size: number;
}

/** A keyset page; `lastKey`, the key of its last item, is set when more items follow. */
export interface KeysetPage<T> {
  readonly value: T[];
  readonly lastKey?: string;
}

/** The most items one page may hold; a larger `$top` is refused. */
export const MAX_PAGE_SIZE = 1000;

/** Parses `$top`: a whole number from 1 to MAX_PAGE_SIZE, or absent. */
export function parseTop(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE_SIZE) {
    throw invalid('InvalidTopParameter', `The value '${raw}' of query parameter '$top' is not valid: it must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, '$top');
  }
  return n;
}

/** One page of `items`, ordered by `key` (case-insensitively), after the key in `skipToken`. */
export function pageOf<T>(items: readonly T[], key: (item: T) => string, request: PageRequest): Page<T> {
  const after = request.skipToken === undefined ? undefined : decodeSkipToken(request.skipToken);
  const keyed = items.map((item) => ({ item, k: key(item).toLowerCase() })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const rest = after === undefined ? keyed : keyed.filter((e) => e.k > after);
  const size = request.top ?? request.pageSize;
  const page = rest.slice(0, size);
  const last = page[page.length - 1];
  return { value: page.map((e) => e.item), ...(rest.length > size && last ? { skipToken: encodeSkipToken(last.k) } : {}) };
}

/** The opaque token for "after `key`". */
export function encodeSkipToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

/** The key a token names; throws InvalidSkipToken for anything Lantern did not issue. */
export function decodeSkipToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { after?: unknown }).after === 'string') {
      return (parsed as { after: string }).after;
    }
  } catch {
    // fall through to the refusal
  }
  throw invalid('InvalidSkipToken', `The $skiptoken '${token}' is not valid: pass the nextLink of the previous page back unchanged.`, '$skiptoken');
}
