/** The storefront API (`/marketplace`, docs/api.md); its answers' shapes are the core's (storefront-views.ts). */
import { getJson } from '../../api.ts';
import type { StorefrontOfferPage, StorefrontOfferSummary } from '../../../../src/core/marketplace/storefront-views.ts';

export interface SearchResult {
  readonly value: StorefrontOfferSummary[];
  readonly count: number;
  readonly nextLink?: string;
}

/** `GET /marketplace/offers`: a search (`search`, `category`), name order without words. */
export function searchOffers(query: { search?: string; category?: string }, signal: AbortSignal): Promise<SearchResult> {
  const params = new URLSearchParams({ $top: '50' });
  if (query.search) params.set('search', query.search);
  if (query.category) params.set('category', query.category);
  return getJson(`/marketplace/offers?${params.toString()}`, signal);
}

/** `GET /marketplace/offers/{publisher}.{offer}`: the offer page. */
export function getOffer(id: string, signal: AbortSignal): Promise<StorefrontOfferPage> {
  return getJson(`/marketplace/offers/${encodeURIComponent(id)}`, signal);
}
