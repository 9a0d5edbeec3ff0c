/** The top of an offer's publishing pages: the way back to the offer, the heading, and the tabs between its pages. */
import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { RouteLink } from '../../../router.tsx';
import { offerPage } from './offer-api.ts';

const PAGES = [
  { page: undefined, name: 'Offer overview' },
  { page: 'review', name: 'Review and publish' },
  { page: 'compare', name: 'Compare' },
  { page: 'history', name: 'History' },
] as const;

const useStyles = makeStyles({
  tabs: { display: 'flex', gap: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, marginBottom: tokens.spacingVerticalL },
  tab: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, textDecorationLine: 'none' },
  current: { borderBottom: `3px solid ${tokens.colorBrandStroke1}`, fontWeight: tokens.fontWeightSemibold },
});

export function OfferPageFrame({ publisherId, offerId, page, title, intro, children }: {
  publisherId: string; offerId: string; page: 'review' | 'compare' | 'history'; title: string; intro?: ReactNode; children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <>
      <PageHeading title={title}>{intro}</PageHeading>
      <nav aria-label="Offer pages" className={styles.tabs}>
        {PAGES.map((p) => (
          <RouteLink key={p.name} to={offerPage(publisherId, offerId, p.page)} className={mergeClasses(styles.tab, p.page === page && styles.current)} aria-current={p.page === page ? 'page' : undefined}>
            {p.name}
          </RouteLink>
        ))}
      </nav>
      {children}
    </>
  );
}
