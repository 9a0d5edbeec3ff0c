/**
 * Where an application's sign-in answers may be sent: Entra's redirect URIs per platform (`web`,
 * `spa`, `publicClient`) and how a requested `redirect_uri` is matched against them.
 */

/** The application platforms of an Entra app registration. */
export type RedirectPlatform = 'web' | 'spa' | 'publicClient';

export const REDIRECT_PLATFORMS: readonly RedirectPlatform[] = ['web', 'spa', 'publicClient'];

/** An application's redirect URIs per platform, in Microsoft Graph's shape (`web.redirectUris` …). */
export type ApplicationPlatforms = { readonly [P in RedirectPlatform]?: { readonly redirectUris: readonly string[] } };

const MAX_REDIRECT_URI_LENGTH = 256;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

const isLoopback = (url: URL): boolean => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());

/**
 * Why `uri` cannot be registered on `platform`, or undefined: an absolute URI of at most 256
 * characters without a fragment or wildcard; `web` and `spa` need https (or http on a loopback
 * host); `publicClient` also takes an app's own scheme (`msal{clientId}://auth`).
 */
export function redirectUriProblem(uri: string, platform: RedirectPlatform): string | undefined {
  const url = typeof uri === 'string' ? parse(uri) : undefined;
  if (!url) return 'must be an absolute URI';
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `must be at most ${MAX_REDIRECT_URI_LENGTH} characters long`;
  if (uri.includes('#')) return 'must not contain a fragment (#)';
  if (uri.includes('*')) return 'must not contain a wildcard (*)';
  if (url.protocol === 'https:' || isLoopback(url)) return undefined;
  if (url.protocol === 'http:') return "must use https (http only for a loopback host: localhost, 127.0.0.1, [::1])";
  if (platform !== 'publicClient') return `must use https on the ${platform} platform (an app's own scheme is for the publicClient platform)`;
  if (['javascript:', 'data:', 'file:', 'vbscript:'].includes(url.protocol)) return `must not use the ${url.protocol} scheme`;
  return undefined;
}

/**
 * The platform under which `requested` is registered, or undefined. The match is exact, except
 * that an http loopback URI matches on any port (native clients listen on a port of their choosing,
 * and Entra ignores the port of a loopback redirect URI).
 */
export function matchRedirectUri(platforms: ApplicationPlatforms, requested: string): RedirectPlatform | undefined {
  const asked = parse(requested);
  for (const platform of REDIRECT_PLATFORMS) {
    for (const registered of platforms[platform]?.redirectUris ?? []) {
      if (registered === requested) return platform;
      const url = parse(registered);
      if (asked && url && isLoopback(url) && isLoopback(asked) && url.hostname === asked.hostname && url.pathname === asked.pathname && url.search === asked.search && !asked.hash) {
        return platform;
      }
    }
  }
  return undefined;
}
