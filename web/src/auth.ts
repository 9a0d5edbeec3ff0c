/**
 * Signing in to Lantern with MSAL, as any SPA signs in to Entra ID: authorization code with PKCE
 * against Lantern's own authority (this page's origin), as Lantern's first-party portal client.
 * `organizations` lets a user of any tenant sign in; the user's name picks the tenant.
 */
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import { PORTAL_CLIENT_ID } from '../../src/core/identity/portal-client.ts';

/** ARM's delegated scope: every Lantern API (ARM, Partner Center, ingestion, storefront) accepts its token. */
const API_SCOPES = ['https://management.azure.com/user_impersonation'];
const origin = window.location.origin;

const msal = new PublicClientApplication({
  auth: {
    clientId: PORTAL_CLIENT_ID,
    authority: `${origin}/organizations`,
    knownAuthorities: [window.location.host],
    redirectUri: `${origin}/`,
    postLogoutRedirectUri: `${origin}/`,
  },
  cache: { cacheLocation: 'sessionStorage' },
});

/** Finishes a sign-in that just came back from Lantern's page, and answers the signed-in account, if any. */
export async function startSession(): Promise<AccountInfo | undefined> {
  await msal.initialize();
  const result = await msal.handleRedirectPromise();
  const account = result?.account ?? msal.getActiveAccount() ?? msal.getAllAccounts()[0];
  if (account) msal.setActiveAccount(account);
  return account ?? undefined;
}

/** Goes to Lantern's sign-in page; the browser comes back to the page it left. */
export function signIn(): Promise<void> {
  return msal.loginRedirect({ scopes: API_SCOPES, prompt: 'select_account', redirectStartPage: window.location.href });
}

/** Signs the same user in again on Lantern's page (which asks for the authenticator's code when one is enrolled), for a token with `amr: mfa`. */
export function signInAgain(): Promise<void> {
  const account = msal.getActiveAccount();
  return msal.loginRedirect({ scopes: API_SCOPES, prompt: 'login', ...(account ? { loginHint: account.username } : {}), redirectStartPage: window.location.href });
}

/** Forgets the tokens in this browser (Lantern keeps no browser session to end). */
export async function signOut(): Promise<void> {
  await msal.clearCache();
  window.location.assign('/');
}

/** A token for Lantern's APIs: from the cache, refreshed with the refresh token, or a new sign-in. */
export async function accessToken(): Promise<string> {
  const account = msal.getActiveAccount();
  if (!account) {
    await signIn();
    throw new Error('Signing in again.');
  }
  try {
    return (await msal.acquireTokenSilent({ scopes: API_SCOPES, account })).accessToken;
  } catch (error) {
    if (!(error instanceof InteractionRequiredAuthError)) throw error;
    await msal.acquireTokenRedirect({ scopes: API_SCOPES, account });
    throw new Error('Signing in again.', { cause: error });
  }
}
