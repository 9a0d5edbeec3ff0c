/** Wires the identity plane's services together over one store: the composition the server and tests share. */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../storage/port.js';
import { createAuthenticators, type Authenticators } from './authenticators.js';
import { createMyAuthenticator, type MyAuthenticator } from './my-authenticator.js';
import { createAuthorizationRequests } from './authorization-requests.js';
import { createDeviceCodes, type DeviceCodes } from './device-codes.js';
import { createInteractiveGrants, type InteractiveGrants } from './interactive-grants.js';
import { createSignInFlow, type SignInFlow } from './sign-in-flow.js';
import { createAdfsTokens, type AdfsTokens } from './adfs.js';
import { createDirectoryService } from './directory-service.js';
import type { DirectoryChange, DirectoryService } from './directory-service.js';
import { createDiscovery } from './discovery.js';
import type { Discovery } from './discovery.js';
import type { Clock, IdGenerator } from '../context.js';
import { createSigningKeyRing } from './signing-keys.js';
import type { SigningKeyRing } from './signing-keys.js';
import { createTokenService } from './token-service.js';
import { DEFAULT_LOCKOUT, SignInLockout, type LockoutPolicy } from '../../core/identity/sign-in-lockout.js';
import type { TokenService } from './token-service.js';

export interface IdentityPlaneOptions {
  readonly store: Store;
  /** Lantern's public base URL, e.g. `https://localhost:8443`: the authority host and token issuer. */
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Access-token lifetime; default 3600 s. */
  readonly tokenLifetimeSeconds?: number;
  /** Time between publishing a rotated signing key and signing with it; default 300 s. */
  readonly keyActivationDelaySeconds?: number;
  readonly onChange?: (change: DirectoryChange) => void;
  /** Smart lockout of the token endpoint; default: Entra's settings (DEFAULT_LOCKOUT). */
  readonly lockout?: LockoutPolicy;
  /**
   * 32 bytes sealing users' authenticator secrets. The server passes the data directory's key file
   * (compose.ts); without one a key for this process only is made (tests), and enrolments do not
   * outlive it.
   */
  readonly secretsKey?: Uint8Array;
  /** Seconds a device waits between device-code polls; default 5. */
  readonly deviceCodeIntervalSeconds?: number;
}

export interface IdentityPlane {
  readonly directory: DirectoryService;
  readonly keys: SigningKeyRing;
  readonly tokens: TokenService;
  readonly discovery: Discovery;
  /** Authorization codes and refresh tokens (the token endpoint's interactive grants). */
  readonly grants: InteractiveGrants;
  readonly devices: DeviceCodes;
  readonly authenticators: Authenticators;
  /** The signed-in user's own authenticator (the self-service API). */
  readonly myAuthenticator: MyAuthenticator;
  /** The sign-in pages' states (authorize and /devicelogin). */
  readonly signIn: SignInFlow;
  /** The ADFS-style authority (`/adfs`) of the az CLI's Azure Stack Hub route. */
  readonly adfs: AdfsTokens;
}

// Replaced keys stay published this long beyond the token lifetime, covering clock skew.
const RETENTION_MARGIN_SECONDS = 600;

/** Builds the identity services and makes sure a signing key exists. */
export async function openIdentityPlane(options: IdentityPlaneOptions): Promise<IdentityPlane> {
  const { clock, ids } = options;
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const directory = createDirectoryService({ store: options.store, clock, ids, onChange: options.onChange });
  const keys = createSigningKeyRing({
    repository: options.store.identity,
    clock,
    retentionSeconds: tokenLifetimeSeconds + RETENTION_MARGIN_SECONDS,
    activationDelaySeconds: options.keyActivationDelaySeconds,
  });
  await keys.ensureKey();
  const tokens = createTokenService({ directory, keys, clock, baseUrl: options.baseUrl, tokenLifetimeSeconds, lockout: new SignInLockout(options.lockout ?? DEFAULT_LOCKOUT) });
  const discovery = createDiscovery({ directory, keys, baseUrl: options.baseUrl });
  const { store, baseUrl } = options;
  const grants = createInteractiveGrants({ store, directory, tokens, clock });
  const devices = createDeviceCodes({ store, directory, tokens, grants, clock, baseUrl, intervalSeconds: options.deviceCodeIntervalSeconds });
  const authenticators = createAuthenticators({ store, directory, clock, secretsKey: options.secretsKey ?? randomBytes(32) });
  const requests = createAuthorizationRequests({ directory, tokens, publicUrl: baseUrl });
  const signIn = createSignInFlow({ keys, clock, baseUrl, tokens, directory, requests, grants, devices, authenticators });
  return { directory, keys, tokens, discovery, grants, devices, authenticators, myAuthenticator: createMyAuthenticator(authenticators), signIn, adfs: createAdfsTokens({ directory, tokens }) };
}
