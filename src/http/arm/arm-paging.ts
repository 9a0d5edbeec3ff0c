/**
 * ARM list answers: one page of `{ value, nextLink }`, where `nextLink` repeats the request's URL
 * with the `$skiptoken` of the next page (clients follow it verbatim).
 */
import type { FastifyRequest } from 'fastify';
import { pageOf, parseTop } from '../../core/arm/paging.js';

/** Items per page when the request names no `$top`. */
export const ARM_PAGE_SIZE = 100;

/** One page of `items` (stable order by `key`), rendered, with `nextLink` when more remain. */
export function armPage<T, R>(request: FastifyRequest, items: readonly T[], key: (item: T) => string, render: (item: T) => R): { value: R[]; nextLink?: string } {
  const query = request.query as Record<string, string | undefined>;
  const skipToken = query.$skiptoken ?? query.$skipToken;
  const top = parseTop(query.$top);
  const page = pageOf(items, key, { pageSize: ARM_PAGE_SIZE, ...(top !== undefined ? { top } : {}), ...(skipToken !== undefined ? { skipToken } : {}) });
  const value = page.value.map(render);
  if (page.skipToken === undefined) return { value };
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.delete('$skipToken');
  url.searchParams.set('$skiptoken', page.skipToken);
  return { value, nextLink: url.toString() };
}
