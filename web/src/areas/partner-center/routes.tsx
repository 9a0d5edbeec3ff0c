/** Partner Center's pages; the publisher-level ones sit in PartnerCenterLayout's left-hand menu. */
import { lazy, Suspense, type ReactNode } from 'react';
import type { Route } from '../../route.ts';
import { Loading } from '../../states.tsx';
import { PartnerCenterLayout } from './PartnerCenterLayout.tsx';
import { PublisherOffers } from './PublisherOffers.tsx';

// Pages a publisher opens now and then load when first opened, keeping the initial JavaScript small.
const ReviewPublish = lazy(async () => ({ default: (await import('./publish/ReviewPublish.tsx')).ReviewPublish }));
const Compare = lazy(async () => ({ default: (await import('./publish/Compare.tsx')).Compare }));
const History = lazy(async () => ({ default: (await import('./publish/History.tsx')).History }));
const ActionCenter = lazy(async () => ({ default: (await import('./action-center/ActionCenter.tsx')).ActionCenter }));
const Referrals = lazy(async () => ({ default: (await import('./referrals/Referrals.tsx')).Referrals }));
const Users = lazy(async () => ({ default: (await import('./users/Users.tsx')).Users }));
const OfferEditor = lazy(() => import('./editor/OfferEditor.tsx'));

const later = (page: ReactNode) => <Suspense fallback={<Loading what="the page" />}>{page}</Suspense>;
const inLayout = (page: ReactNode) => <PartnerCenterLayout>{page}</PartnerCenterLayout>;
const OFFER = '\\/portal\\/partner-center\\/offers\\/([^/]+)\\/([^/]+)';
const offerRoute = (page: string) => new RegExp(`^${OFFER}\\/${page}$`);

export const partnerCenterRoutes: readonly Route[] = [
  { pattern: /^\/portal\/partner-center$/, render: () => inLayout(<PublisherOffers />) },
  { pattern: /^\/portal\/partner-center\/action-center$/, render: () => inLayout(later(<ActionCenter />)) },
  { pattern: /^\/portal\/partner-center\/referrals$/, render: () => inLayout(later(<Referrals />)) },
  { pattern: /^\/portal\/partner-center\/users$/, render: () => inLayout(later(<Users />)) },
  {
    // The offer editor: its overview, sections and plans.
    pattern: new RegExp(`^${OFFER}(?:\\/(setup|properties|listing|preview-audience|plans(?:\\/[^/]+(?:\\/technical-configuration)?)?))?$`),
    render: ([publisherId, offerId, page]) => later(<OfferEditor publisherId={publisherId!} offerId={offerId!} page={page ?? ''} />),
  },
  { pattern: offerRoute('review'), render: ([publisherId, offerId]) => later(<ReviewPublish publisherId={publisherId!} offerId={offerId!} />) },
  { pattern: offerRoute('compare'), render: ([publisherId, offerId]) => later(<Compare publisherId={publisherId!} offerId={offerId!} />) },
  { pattern: offerRoute('history'), render: ([publisherId, offerId]) => later(<History publisherId={publisherId!} offerId={offerId!} />) },
];
