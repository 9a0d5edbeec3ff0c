/** The Portal area's frame: the left-hand menu of its sections beside the page. */
import type { ReactNode } from 'react';
import { SideMenuLayout } from '../../SideMenuLayout.tsx';
import { PORTAL_SECTIONS } from './sections.ts';

export function PortalLayout({ children }: { children: ReactNode }) {
  return <SideMenuLayout label="Portal" sections={PORTAL_SECTIONS} below>{children}</SideMenuLayout>;
}
