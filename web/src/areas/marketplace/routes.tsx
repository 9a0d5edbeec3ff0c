/** Marketplace's pages. */
import { Suspense, lazy } from 'react';
import type { Route } from '../../route.ts';
import { Loading } from '../../states.tsx';
import { Browse } from './Browse.tsx';
import { OfferPage } from './OfferPage.tsx';

// Create loads when first opened, keeping it out of the initial JavaScript.
const CreateOffer = lazy(() => import('./create/CreateOffer.tsx').then((m) => ({ default: m.CreateOffer })));

export const marketplaceRoutes: readonly Route[] = [
  { pattern: /^\/portal\/marketplace$/, render: () => <Browse /> },
  { pattern: /^\/portal\/marketplace\/offers\/([^/]+)$/, render: ([offerId]) => <OfferPage offerId={offerId!} /> },
  { pattern: /^\/portal\/marketplace\/offers\/([^/]+)\/create$/, render: ([offerId]) => <Suspense fallback={<Loading what="the page" />}><CreateOffer offerId={offerId!} /></Suspense> },
];
