/**
 * The offer's left-hand menu: every section with its live status (the API's validation of the saved
 * draft), then Review and publish, Compare and History.
 */
import { Badge, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { SectionStatus } from '../../../../../src/core/marketplace/validate-offer.ts';
import type { Violation } from '../../../../../src/core/marketplace/rules.ts';
import { RouteLink, useLocation } from '../../../router.tsx';
import { sectionRoute } from './editor-context.ts';
import type { MenuEntry } from './sections.ts';

export const STATUS_COLOR = { Complete: 'success', Incomplete: 'danger', 'Not started': 'subtle' } as const;

const useStyles = makeStyles({
  menu: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingRight: tokens.spacingHorizontalM },
  item: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusMedium, textDecorationLine: 'none' },
  current: { backgroundColor: tokens.colorNeutralBackground1Selected, fontWeight: tokens.fontWeightSemibold },
  rule: { borderTop: `1px solid ${tokens.colorNeutralStroke2}`, marginTop: tokens.spacingVerticalS, paddingTop: tokens.spacingVerticalS },
});

/** "Incomplete · 2 errors": the status and how many errors the section has. */
function statusText(status: SectionStatus['status'], errors: number): string {
  return status === 'Incomplete' && errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : status;
}

export function SectionMenu({ route, entries, sections, violations }: {
  route: string;
  entries: readonly MenuEntry[];
  sections: readonly SectionStatus[];
  violations: readonly Violation[];
}) {
  const styles = useStyles();
  const { pathname } = useLocation();
  return (
    <nav aria-label="Offer sections" className={styles.menu}>
      {entries.map((entry) => {
        const to = sectionRoute(route, entry.page);
        const here = pathname === to;
        const status = sections.find((s) => s.section === entry.section)?.status;
        const errors = violations.filter((v) => v.section === entry.section && v.severity === 'error').length;
        return (
          <div key={entry.page} className={entry.page === 'review' ? styles.rule : undefined} style={{ paddingLeft: `${entry.depth * 12}px` }}>
            <RouteLink to={to} className={mergeClasses(styles.item, here && styles.current)} aria-current={here ? 'page' : undefined}>
              <span>{entry.name}</span>
              {status === undefined ? null : <Badge size="small" appearance="tint" color={STATUS_COLOR[status]}>{statusText(status, errors)}</Badge>}
            </RouteLink>
          </div>
        );
      })}
    </nav>
  );
}
