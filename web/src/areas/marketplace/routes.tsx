/** Marketplace's pages. */
import type { Route } from '../../route.ts';
import { Browse } from './Browse.tsx';
import { OfferPage } from './OfferPage.tsx';

export const marketplaceRoutes: readonly Route[] = [
  { pattern: /^\/portal\/marketplace$/, render: () => <Browse /> },
  { pattern: /^\/portal\/marketplace\/offers\/([^/]+)$/, render: ([offerId]) => <OfferPage offerId={offerId!} /> },
];
