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
import { renderRoute } from './route.ts';
import { Home } from './areas/Home.tsx';
import { NotFound } from './areas/NotFound.tsx';
import { marketplaceRoutes } from './areas/marketplace/routes.tsx';
import { partnerCenterRoutes } from './areas/partner-center/routes.tsx';
import { portalRoutes } from './areas/portal/routes.tsx';

const useStyles = makeStyles({
  main: { maxWidth: '1200px', margin: '0 auto', padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}` },
});

const ROUTES = [
  { pattern: /^\/(portal)?$/, render: () => <Home /> },
  ...marketplaceRoutes,
  ...partnerCenterRoutes,
  ...portalRoutes,
];

/** The page for a path. */
function Page({ path }: { path: string }) {
  return renderRoute(ROUTES, path) ?? <NotFound />;
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
