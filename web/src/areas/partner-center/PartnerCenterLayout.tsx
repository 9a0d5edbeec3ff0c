/** Partner Center's publisher-level frame: the left-hand menu (offers, action center, referrals, users) beside the page. */
import type { ReactNode } from 'react';
import { SideMenuLayout } from '../../SideMenuLayout.tsx';

/** The menu, in this order: each entry's name and the path it opens. */
export const PARTNER_CENTER_SECTIONS = [
  { name: 'Marketplace offers', path: '/portal/partner-center' },
  { name: 'Action center', path: '/portal/partner-center/action-center' },
  { name: 'Referrals', path: '/portal/partner-center/referrals' },
  { name: 'Users', path: '/portal/partner-center/users' },
] as const;

export function PartnerCenterLayout({ children }: { children: ReactNode }) {
  return <SideMenuLayout label="Partner Center" sections={PARTNER_CENTER_SECTIONS} below={false}>{children}</SideMenuLayout>;
}
