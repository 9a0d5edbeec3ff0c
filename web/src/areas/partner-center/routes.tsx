/** Partner Center's pages. */
import type { Route } from '../../route.ts';
import { OfferOverview } from './OfferOverview.tsx';
import { PublisherOffers } from './PublisherOffers.tsx';

export const partnerCenterRoutes: readonly Route[] = [
  { pattern: /^\/portal\/partner-center$/, render: () => <PublisherOffers /> },
  { pattern: /^\/portal\/partner-center\/offers\/([^/]+)\/([^/]+)$/, render: ([publisherId, offerId]) => <OfferOverview publisherId={publisherId!} offerId={offerId!} /> },
];
