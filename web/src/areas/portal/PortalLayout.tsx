/** The Portal area's frame: the left-hand menu of its sections beside the page. */
import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { RouteLink, useLocation } from '../../router.tsx';
import { PORTAL_SECTIONS } from './sections.ts';

const useStyles = makeStyles({
  frame: { display: 'grid', gridTemplateColumns: '200px minmax(0, 1fr)', gap: tokens.spacingHorizontalXXL },
  menu: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingRight: tokens.spacingHorizontalM },
  item: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusMedium, textDecorationLine: 'none' },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected, fontWeight: tokens.fontWeightSemibold },
});

export function PortalLayout({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const { pathname } = useLocation();
  return (
    <div className={styles.frame}>
      <nav aria-label="Portal" className={styles.menu}>
        {PORTAL_SECTIONS.map((section) => {
          const here = [section.path, ...(section.paths ?? [])].some((p) => pathname === p || pathname.startsWith(`${p}/`));
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
