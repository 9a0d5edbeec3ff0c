/** The Azure-portal views' pages; the left-hand menu of their sections is in sections.ts. */
import type { ReactNode } from 'react';
import type { Route } from '../../route.ts';
import { PortalLayout } from './PortalLayout.tsx';
import { ResourceGroups } from './ResourceGroups.tsx';
import { Resources } from './Resources.tsx';
import { Subscriptions } from './Subscriptions.tsx';

const inLayout = (page: ReactNode) => <PortalLayout>{page}</PortalLayout>;

export const portalRoutes: readonly Route[] = [
  { pattern: /^\/portal\/subscriptions$/, render: () => inLayout(<Subscriptions />) },
  { pattern: /^\/portal\/resource-groups$/, render: () => inLayout(<ResourceGroups />) },
  { pattern: /^\/portal\/resources$/, render: () => inLayout(<Resources />) },
];
