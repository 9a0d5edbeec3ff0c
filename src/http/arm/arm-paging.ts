/**
 * ARM list answers: one page of `{ value, nextLink }`, where `nextLink` repeats the request's URL
 * with the `$skiptoken` of the next page (clients follow it verbatim).
 */
import type { FastifyRequest } from 'fastify';
import { decodeSkipToken, encodeSkipToken, pageOf, parseTop, type KeysetPage, type KeysetPageRequest } from '../../core/arm/paging.js';

/** Items per page when the request names no `$top`. */
export const ARM_PAGE_SIZE = 100;

/** One page of `items` (stable order by `key`), rendered, with `nextLink` when more remain. */
export function armPage<T, R>(request: FastifyRequest, items: readonly T[], key: (item: T) => string, render: (item: T) => R): { value: R[]; nextLink?: string } {
  const { top, skipToken } = pageParameters(request);
  const page = pageOf(items, key, { pageSize: ARM_PAGE_SIZE, ...(top !== undefined ? { top } : {}), ...(skipToken !== undefined ? { skipToken } : {}) });
  return withNextLink(request, page.value.map(render), page.skipToken);
}

/** The keyset page a request asks for: after its `$skiptoken`, `$top` or the default page size. */
export function keysetPageRequest(request: FastifyRequest): KeysetPageRequest {
  const { top, skipToken } = pageParameters(request);
  return { size: top ?? ARM_PAGE_SIZE, ...(skipToken !== undefined ? { after: decodeSkipToken(skipToken) } : {}) };
}

/** A keyset page served by the store, rendered, with `nextLink` when more remain. */
export function armKeysetPage<T, R>(request: FastifyRequest, page: KeysetPage<T>, render: (item: T) => R): { value: R[]; nextLink?: string } {
  return withNextLink(request, page.value.map(render), page.lastKey === undefined ? undefined : encodeSkipToken(page.lastKey));
}

/**
 * A keyset page of items the store holds as JSON already (resource listings), answered as the JSON
 * text of `{ value, nextLink }`: the items are joined as they are, not parsed and serialised again.
 */
export function armKeysetPageJson(request: FastifyRequest, page: KeysetPage<string>): string {
  const { nextLink } = withNextLink(request, [], page.lastKey === undefined ? undefined : encodeSkipToken(page.lastKey));
  return `{"value":[${page.value.join(',')}]${nextLink === undefined ? '' : `,"nextLink":${JSON.stringify(nextLink)}`}}`;
}

function pageParameters(request: FastifyRequest): { top?: number; skipToken?: string } {
  const query = request.query as Record<string, string | undefined>;
  const skipToken = query.$skiptoken ?? query.$skipToken;
  const top = parseTop(query.$top);
  return { ...(top !== undefined ? { top } : {}), ...(skipToken !== undefined ? { skipToken } : {}) };
}

function withNextLink<R>(request: FastifyRequest, value: R[], skipToken: string | undefined): { value: R[]; nextLink?: string } {
  if (skipToken === undefined) return { value };
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.delete('$skipToken');
  url.searchParams.set('$skiptoken', skipToken);
  return { value, nextLink: url.toString() };
}
