/**
 * Lantern's portal: the single-page app Lantern serves at `/`. Like the Azure portal in Entra, it is
 * a first-party client of every tenant (no registration in any directory), a SPA whose only redirect
 * URI is Lantern's own public origin, so a user of any tenant signs in to it and nothing else can
 * receive its codes. The web app imports this id too, so the two never disagree.
 */

/** The portal's client id (the Azure portal's well-known app id, as the CLI and PowerShell keep theirs). */
export const PORTAL_CLIENT_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';

/** The name the sign-in page shows for the portal. */
export const PORTAL_CLIENT_NAME = 'Lantern portal';

/** The portal's redirect URI: Lantern's public URL with the root path. */
export function portalRedirectUri(publicUrl: string): string {
  return `${new URL(publicUrl).origin}/`;
}
