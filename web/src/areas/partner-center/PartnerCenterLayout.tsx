/** Partner Center's publisher-level frame: the left-hand menu (offers, action center, referrals, users) beside the page. */
import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { RouteLink, useLocation } from '../../router.tsx';

/** The menu, in this order: each entry's name and the path it opens. */
export const PARTNER_CENTER_SECTIONS = [
  { name: 'Marketplace offers', path: '/portal/partner-center' },
  { name: 'Action center', path: '/portal/partner-center/action-center' },
  { name: 'Referrals', path: '/portal/partner-center/referrals' },
  { name: 'Users', path: '/portal/partner-center/users' },
] as const;

const useStyles = makeStyles({
  frame: { display: 'grid', gridTemplateColumns: '200px minmax(0, 1fr)', gap: tokens.spacingHorizontalXXL },
  menu: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingRight: tokens.spacingHorizontalM },
  item: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusMedium, textDecorationLine: 'none' },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected, fontWeight: tokens.fontWeightSemibold },
});

export function PartnerCenterLayout({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const { pathname } = useLocation();
  return (
    <div className={styles.frame}>
      <nav aria-label="Partner Center" className={styles.menu}>
        {PARTNER_CENTER_SECTIONS.map((section) => {
          const here = pathname === section.path;
          return (
            <RouteLink key={section.path} to={section.path} className={mergeClasses(styles.item, here && styles.current)} aria-current={here ? 'page' : undefined}>
              {section.name}
            </RouteLink>
          );
        })}
      </nav>
      <div>{children}</div>
    </div>
  );
}
