/**
 * Everything the HTTP server, the CLI and the web UI call: built once by the composition root.
 */
import type { Store } from '../storage/port.js';
import type { AccessService } from '../services/authorization/access-service.js';
import type { Clock, IdGenerator } from '../services/context.js';
import type { Authenticator } from '../http/request-context.js';
import type { LanternConfig } from './config.js';

export interface Services {
  readonly config: LanternConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly access: AccessService;
  readonly authenticator: Authenticator;
}
