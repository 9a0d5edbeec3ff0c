/**
 * Partner Center's offer editor: the left-hand menu of the offer's sections with their live statuses,
 * and the page of the section the address names. Loaded on demand (routes.tsx), so the portal's first
 * download stays small.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { OfferValidation } from '../../../../../src/core/marketplace/validate-offer.ts';
import { getJson } from '../../../api.ts';
import { RouteLink, navigate } from '../../../router.tsx';
import { Loaded, useLoad } from '../../../states.tsx';
import { NotFound } from '../../NotFound.tsx';
import { OfferOverview } from '../OfferOverview.tsx';
import { EditorContext, type EditorData, type EditorOffer, type OfferEditorContext } from './editor-context.ts';
import { ListingPage } from './ListingPage.tsx';
import { OfferSetupPage } from './OfferSetupPage.tsx';
import { PlanListingPage } from './PlanListingPage.tsx';
import { PlanOverviewPage } from './PlanOverviewPage.tsx';
import { PreviewAudiencePage } from './PreviewAudiencePage.tsx';
import { PropertiesPage } from './PropertiesPage.tsx';
import { SectionMenu } from './SectionMenu.tsx';
import { menuEntries } from './sections.ts';
import { TechnicalConfigurationPage } from './TechnicalConfigurationPage.tsx';

const useStyles = makeStyles({
  back: { display: 'inline-block', marginBottom: tokens.spacingVerticalM },
  frame: { display: 'grid', gridTemplateColumns: '240px minmax(0, 1fr)', gap: tokens.spacingHorizontalXXL },
});

async function loadEditor(api: string, signal?: AbortSignal): Promise<EditorData> {
  const [offer, validation] = await Promise.all([getJson<EditorOffer>(api, signal), getJson<OfferValidation>(`${api}/validation`, signal)]);
  return { offer, validation };
}

/** The page of `page` ('' overview, 'setup', 'plans/{id}/technical-configuration', …). */
function SectionPage({ page }: { page: string }) {
  const plan = /^plans\/([^/]+)(\/technical-configuration)?$/.exec(page);
  if (plan) {
    const planId = plan[1]!;
    return plan[2] === undefined ? <PlanListingPage key={planId} planId={planId} /> : <TechnicalConfigurationPage key={planId} planId={planId} />;
  }
  switch (page) {
    case '': return <OfferOverview />;
    case 'setup': return <OfferSetupPage />;
    case 'properties': return <PropertiesPage />;
    case 'listing': return <ListingPage />;
    case 'preview-audience': return <PreviewAudiencePage />;
    case 'plans': return <PlanOverviewPage />;
    default: return <NotFound />;
  }
}

export default function OfferEditor({ publisherId, offerId, page }: { publisherId: string; offerId: string; page: string }) {
  const styles = useStyles();
  const api = `/partner-center/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}`;
  const route = `/portal/partner-center/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`;
  const [load, retry] = useLoad((signal) => loadEditor(api, signal), api);
  const [fresh, setFresh] = useState<{ api: string; data: EditorData }>();
  const dirty = useRef(false);
  const [leaving, setLeaving] = useState<string>();
  const data = fresh?.api === api ? fresh.data : load.state === 'loaded' ? load.data : undefined;

  const refresh = useCallback(async () => setFresh({ api, data: await loadEditor(api) }), [api]);
  const setDirty = useCallback((d: boolean) => { dirty.current = d; }, []);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => { if (dirty.current) event.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);
  // Any link followed with unsaved changes (the menu, the header, a link in a form) asks first.
  useEffect(() => {
    const guard = (event: MouseEvent) => {
      if (!dirty.current || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.origin !== window.location.origin) return;
      event.preventDefault();
      event.stopPropagation();
      setLeaving(link.pathname + link.search);
    };
    document.addEventListener('click', guard, true);
    return () => document.removeEventListener('click', guard, true);
  }, []);
  const context = useMemo<OfferEditorContext | undefined>(() => data && { ...data, publisherId, offerId, api, route, refresh, setDirty }, [data, publisherId, offerId, api, route, refresh, setDirty]);

  return (
    <>
      <RouteLink to="/portal/partner-center" className={styles.back}>← Marketplace offers</RouteLink>
      <Loaded load={data ? { state: 'loaded', data } : load} what="the offer" retry={retry}>
        {() => context && (
          <EditorContext.Provider value={context}>
            <div className={styles.frame}>
              <SectionMenu route={route} entries={menuEntries(context.offer.draft)} sections={context.validation.sections} violations={context.validation.violations} />
              <div>
                {leaving === undefined ? null : (
                  // Said in the page, not a modal dialog: the choice stays beside the unsaved form it is about.
                  <MessageBar intent="warning" layout="multiline" role="alertdialog" aria-label="Leave without saving?">
                    <MessageBarBody><MessageBarTitle>Leave without saving?</MessageBarTitle>This page has changes that are not saved. Leaving discards them.</MessageBarBody>
                    <MessageBarActions>
                      <Button appearance="primary" onClick={() => setLeaving(undefined)}>Stay on this page</Button>
                      <Button onClick={() => { const to = leaving; dirty.current = false; setLeaving(undefined); navigate(to); }}>Discard changes and leave</Button>
                    </MessageBarActions>
                  </MessageBar>
                )}
                <SectionPage page={page} />
              </div>
            </div>
          </EditorContext.Provider>
        )}
      </Loaded>
    </>
  );
}
