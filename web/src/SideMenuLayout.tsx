/** An area's frame: its left-hand menu of sections beside the page (Portal, Partner Center). */
import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { RouteLink, useLocation } from './router.tsx';

export interface MenuSection {
  readonly name: string;
  readonly path: string;
  /** Pages under the section (a resource group's resources), which it shows as current too. */
  readonly paths?: readonly string[];
}

const useStyles = makeStyles({
  frame: { display: 'grid', gridTemplateColumns: '200px minmax(0, 1fr)', gap: tokens.spacingHorizontalXXL },
  menu: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingRight: tokens.spacingHorizontalM },
  item: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusMedium, textDecorationLine: 'none' },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected, fontWeight: tokens.fontWeightSemibold },
});

/** `sections` as a menu named `label`; `below` also marks a section current on the pages under its path. */
export function SideMenuLayout({ label, sections, below, children }: { label: string; sections: readonly MenuSection[]; below: boolean; children: ReactNode }) {
  const styles = useStyles();
  const { pathname } = useLocation();
  return (
    <div className={styles.frame}>
      <nav aria-label={label} className={styles.menu}>
        {sections.map((section) => {
          const here = [section.path, ...(section.paths ?? [])].some((p) => pathname === p || (below && pathname.startsWith(`${p}/`)));
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
