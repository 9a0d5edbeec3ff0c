/** Wires the identity plane's services together over one store: the composition the server and tests share. */
import type { Store } from '../../storage/port.js';
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
}

export interface IdentityPlane {
  readonly directory: DirectoryService;
  readonly keys: SigningKeyRing;
  readonly tokens: TokenService;
  readonly discovery: Discovery;
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
  return { directory, keys, tokens, discovery };
}
