/**
 * The portal: signs the user in (or finishes the sign-in that just came back), loads the user's
 * directories, and shows the header and the page the address names.
 */
import { useEffect, useMemo, useState } from 'react';
import type { AccountInfo } from '@azure/msal-browser';
import { makeStyles, tokens } from '@fluentui/react-components';
import { startSession } from './auth.ts';
import { getJson, API_VERSIONS } from './api.ts';
import { Header } from './Header.tsx';
import { SignInLanding } from './SignInLanding.tsx';
import { SessionContext, type Directory, type Session } from './session.tsx';
import { Loading, useLoad, Loaded } from './states.tsx';
import { useLocation } from './router.tsx';
import { Home } from './areas/Home.tsx';
import { NotFound } from './areas/NotFound.tsx';
import { Browse } from './areas/marketplace/Browse.tsx';
import { OfferPage } from './areas/marketplace/OfferPage.tsx';
import { Subscriptions } from './areas/portal/Subscriptions.tsx';
import { ResourceGroups } from './areas/portal/ResourceGroups.tsx';
import { Resources } from './areas/portal/Resources.tsx';
import { PublisherOffers } from './areas/partner-center/PublisherOffers.tsx';
import { OfferOverview } from './areas/partner-center/OfferOverview.tsx';

const useStyles = makeStyles({
  main: { maxWidth: '1200px', margin: '0 auto', padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}` },
});

/** The page for a path. */
function Page({ path }: { path: string }) {
  const offer = /^\/portal\/marketplace\/offers\/([^/]+)$/.exec(path);
  if (offer) return <OfferPage offerId={decodeURIComponent(offer[1] ?? '')} />;
  const published = /^\/portal\/partner-center\/offers\/([^/]+)\/([^/]+)$/.exec(path);
  if (published) return <OfferOverview publisherId={decodeURIComponent(published[1] ?? '')} offerId={decodeURIComponent(published[2] ?? '')} />;
  switch (path) {
    case '/':
    case '/portal':
      return <Home />;
    case '/portal/marketplace':
      return <Browse />;
    case '/portal/partner-center':
      return <PublisherOffers />;
    case '/portal/subscriptions':
      return <Subscriptions />;
    case '/portal/resource-groups':
      return <ResourceGroups />;
    case '/portal/resources':
      return <Resources />;
    default:
      return <NotFound />;
  }
}

function SignedIn({ account }: { account: AccountInfo }) {
  const styles = useStyles();
  const location = useLocation();
  const [chosen, setChosen] = useState('all');
  const [directories, retry] = useLoad((signal) => getJson<{ value: Directory[] }>(`/tenants?api-version=${API_VERSIONS.subscriptions}`, signal), 'tenants');
  const loaded = directories.state === 'loaded' ? directories.data.value : undefined;
  const session = useMemo<Session | undefined>(
    () => loaded && { account, directories: loaded, directory: chosen, chooseDirectory: setChosen },
    [account, loaded, chosen],
  );
  if (!session) {
    return (
      <main className={styles.main}>
        <Loaded load={directories} what="your directories" retry={retry}>{() => null}</Loaded>
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Header />
      <main className={styles.main}>
        <Page path={location.pathname.replace(/\/+$/, '') || '/'} />
      </main>
    </SessionContext.Provider>
  );
}

export function App() {
  const [account, setAccount] = useState<AccountInfo | null | Error>();
  useEffect(() => {
    startSession().then((signedIn) => setAccount(signedIn ?? null), (error: unknown) => setAccount(error instanceof Error ? error : new Error(String(error))));
  }, []);
  if (account === undefined) return <main><Loading what="Lantern" /></main>;
  if (account instanceof Error) return <SignInLanding error={account} />;
  if (account === null) return <SignInLanding />;
  return <SignedIn account={account} />;
}
