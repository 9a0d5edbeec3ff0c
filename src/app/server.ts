/**
 * Starts Lantern: opens the store, composes the services, and serves the same routes over HTTP
 * and HTTPS (the Azure SDK's identity client insists on an https authority).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.js';
import { ensureTlsCertificate } from '../http/tls.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/port.js';
import { composeServices, type ComposeOptions } from './compose.js';
import type { LanternConfig } from './config.js';
import type { Services } from './services.js';

export interface RunningLantern {
  readonly services: Services;
  readonly httpUrl: string;
  readonly httpsUrl: string;
  /** Where the served certificate lives (for NODE_EXTRA_CA_CERTS). */
  readonly certPath: string;
  readonly certGenerated: boolean;
  close(): Promise<void>;
}

/** Opens the configured database: PostgreSQL with DATABASE_URL, else SQLite in the data directory. */
export function openConfiguredStore(config: LanternConfig): Promise<Store> {
  return config.databaseUrl
    ? openStore({ kind: 'postgres', url: config.databaseUrl })
    : openStore({ kind: 'sqlite', path: join(config.dataDir, 'lantern.db') });
}

function listenUrl(app: FastifyInstance, scheme: 'http' | 'https', host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

export interface StartOptions extends ComposeOptions {
  readonly store?: Store;
  /** Runs on the composed services before the listeners open (e.g. seeding the demo world). */
  readonly beforeListen?: (services: Services) => Promise<void>;
  /** Runs once both listeners are open, before the request log starts (so a banner comes first). */
  readonly announce?: (running: RunningLantern) => void;
}

/**
 * Serves Lantern on `store` (or the configured one) until `close()`. When a listener cannot open
 * (a port in use) nothing is left started: the other listener is closed and no job has resumed.
 */
export async function startLantern(config: LanternConfig, options: StartOptions = {}): Promise<RunningLantern> {
  const store = options.store ?? (await openConfiguredStore(config));
  const services = await composeServices(config, store, options);
  // Deployments the last process died in are marked Failed (DeploymentInterrupted) before anyone can
  // read them, and before this process starts deployments of its own.
  await services.deployments.recoverInterrupted();
  await options.beforeListen?.(services);
  const tls = await ensureTlsCertificate({
    dataDir: config.dataDir,
    hostName: new URL(config.publicUrl).hostname,
    ...(config.tlsCertFile && config.tlsKeyFile ? { certPath: config.tlsCertFile, keyPath: config.tlsKeyFile } : {}),
  });
  const httpApp = await buildApp({ services, logLevel: config.logLevel });
  const httpsApp = await buildApp({ services, logLevel: config.logLevel }, { cert: tls.cert, key: tls.key });
  // The listeners' own "listening at" lines are left out: the caller announces the start.
  const quiet = ['fatal', 'error', 'silent'].includes(config.logLevel) ? config.logLevel : 'warn';
  for (const app of [httpApp, httpsApp]) app.log.level = quiet;
  try {
    await httpApp.listen({ host: config.host, port: config.httpPort });
    await httpsApp.listen({ host: config.host, port: config.httpsPort });
  } catch (error) {
    // Not half started: the caller may try again (another port) in the same process.
    await httpApp.close();
    await httpsApp.close();
    if (options.store === undefined) await store.close();
    throw error;
  }
  const running: RunningLantern = {
    services,
    httpUrl: listenUrl(httpApp, 'http', config.host),
    httpsUrl: listenUrl(httpsApp, 'https', config.host),
    certPath: tls.certPath,
    certGenerated: tls.generated,
    async close() {
      await httpApp.close();
      await httpsApp.close();
      await services.marketplace.stop();
      await services.marketplace.idle();
      await services.store.close();
    },
  };
  options.announce?.(running);
  for (const app of [httpApp, httpsApp]) app.log.level = config.logLevel;
  // Interrupted publishing and configure jobs continue in the process that serves.
  await services.marketplace.resume();
  return running;
}
