/**
 * Starts Lantern: opens the store, composes the services, and serves the same routes over HTTP
 * and HTTPS (the Azure SDK's identity client insists on an https authority).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

function listenUrl(server: Server, scheme: 'http' | 'https', host: string): string {
  const port = (server.address() as AddressInfo | null)?.port ?? 0;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

/**
 * The plain-HTTP listener: a second server on the HTTPS app's own request handler, with its
 * timeouts and client-error answer (one app, so its schemas are compiled once, not twice).
 */
function plainServerFor(app: FastifyInstance): Server {
  const server = createServer((request, response) => app.routing(request, response));
  server.keepAliveTimeout = app.server.keepAliveTimeout;
  server.requestTimeout = app.server.requestTimeout;
  server.setTimeout(app.server.timeout);
  for (const listener of app.server.listeners('clientError')) server.on('clientError', listener as (...args: unknown[]) => void);
  return server;
}

function listenPlain(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closePlain(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
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
  const app = await buildApp({ services, logLevel: config.logLevel }, { cert: tls.cert, key: tls.key });
  // The listener's own "listening at" line is left out: the caller announces the start.
  const quiet = ['fatal', 'error', 'silent'].includes(config.logLevel) ? config.logLevel : 'warn';
  app.log.level = quiet;
  await app.ready();
  const plain = plainServerFor(app);
  try {
    await listenPlain(plain, config.host, config.httpPort);
    await app.listen({ host: config.host, port: config.httpsPort });
  } catch (error) {
    // Not half started: the caller may try again (another port) in the same process.
    await closePlain(plain);
    await app.close();
    if (options.store === undefined) await store.close();
    throw error;
  }
  const running: RunningLantern = {
    services,
    httpUrl: listenUrl(plain, 'http', config.host),
    httpsUrl: listenUrl(app.server, 'https', config.host),
    certPath: tls.certPath,
    certGenerated: tls.generated,
    async close() {
      await closePlain(plain);
      await app.close();
      await services.marketplace.stop();
      await services.marketplace.idle();
      await services.store.close();
    },
  };
  options.announce?.(running);
  app.log.level = config.logLevel;
  // Interrupted publishing and configure jobs continue in the process that serves.
  await services.marketplace.resume();
  services.storefront.warm().catch((error: unknown) => app.log.error({ err: error }, 'the storefront index could not be built at start; it is built on first use'));
  return running;
}
