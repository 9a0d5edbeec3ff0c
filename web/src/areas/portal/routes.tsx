/** The Azure-portal views' pages; the left-hand menu of their sections is in sections.ts. */
import { Suspense, lazy, type ReactNode } from 'react';
import type { Route } from '../../route.ts';
import { Loading } from '../../states.tsx';
import { AllResources } from './AllResources.tsx';
import { PortalLayout } from './PortalLayout.tsx';
import { ResourceGroups } from './ResourceGroups.tsx';
import { Resources } from './Resources.tsx';
import { Subscriptions } from './Subscriptions.tsx';

// The operational views load when first opened, keeping them out of the initial JavaScript.
const MyRoles = lazy(() => import('./my-roles/MyRoles.tsx').then((m) => ({ default: m.MyRoles })));
const ActivityLog = lazy(() => import('./activity-log/ActivityLog.tsx').then((m) => ({ default: m.ActivityLog })));
const AccessCheck = lazy(() => import('./access-check/AccessCheck.tsx').then((m) => ({ default: m.AccessCheck })));
const ServiceProviders = lazy(() => import('./service-providers/ServiceProviders.tsx').then((m) => ({ default: m.ServiceProviders })));
const AddOffer = lazy(() => import('./service-providers/AddOffer.tsx').then((m) => ({ default: m.AddOffer })));
const MyCustomers = lazy(() => import('./my-customers/MyCustomers.tsx').then((m) => ({ default: m.MyCustomers })));

const inLayout = (page: ReactNode) => <PortalLayout>{page}</PortalLayout>;
const lazyInLayout = (page: ReactNode) => inLayout(<Suspense fallback={<Loading what="the page" />}>{page}</Suspense>);

export const portalRoutes: readonly Route[] = [
  { pattern: /^\/portal\/subscriptions$/, render: () => inLayout(<Subscriptions />) },
  { pattern: /^\/portal\/resource-groups$/, render: () => inLayout(<ResourceGroups />) },
  { pattern: /^\/portal\/resources$/, render: () => inLayout(<Resources />) },
  { pattern: /^\/portal\/all-resources$/, render: () => inLayout(<AllResources />) },
  { pattern: /^\/portal\/my-roles$/, render: () => lazyInLayout(<MyRoles />) },
  { pattern: /^\/portal\/activity-log$/, render: () => lazyInLayout(<ActivityLog />) },
  { pattern: /^\/portal\/access-check$/, render: () => lazyInLayout(<AccessCheck />) },
  { pattern: /^\/portal\/service-providers$/, render: () => lazyInLayout(<ServiceProviders />) },
  { pattern: /^\/portal\/service-providers\/add$/, render: () => lazyInLayout(<AddOffer />) },
  { pattern: /^\/portal\/my-customers$/, render: () => lazyInLayout(<MyCustomers />) },
];
