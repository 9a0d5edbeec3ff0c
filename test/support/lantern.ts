/**
 * Starts a whole Lantern for a test: a real store (SQLite or PostgreSQL), the composed services,
 * and HTTP + HTTPS listeners on 127.0.0.1. HTTPS serves the certificate the test runner made and
 * handed to this process as NODE_EXTRA_CA_CERTS, so real Azure SDK clients trust it as they would
 * a real one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LanternConfig } from '../../src/app/config.js';
import { startLantern, type RunningLantern } from '../../src/app/server.js';
import type { ComposeOptions } from '../../src/app/compose.js';
import type { TestDatabase } from './databases.js';

export interface TestLantern extends RunningLantern {
  readonly config: LanternConfig;
  /** The HTTPS base URL with host `localhost`, matching the certificate and the token issuer. */
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the token issuer must know its URL before the server listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts Lantern on a fresh database of the given kind; `stop()` removes everything it made. */
export async function startTestLantern(database: TestDatabase, options: ComposeOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<TestLantern> {
  const cert = process.env.LANTERN_TEST_TLS_CERT;
  const key = process.env.LANTERN_TEST_TLS_KEY;
  if (!cert || !key) throw new Error('LANTERN_TEST_TLS_CERT/KEY are not set: run the tests with `npm test`');
  const dataDir = mkdtempSync(join(tmpdir(), 'lantern-data-'));
  const { store, cleanup } = await database.open();
  const remove = async () => {
    await cleanup().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  // The port is free when chosen but may be taken (by any socket of the parallel test files) before
  // Lantern listens on it: choose again, a few times.
  for (let attempt = 1; ; attempt++) {
    const httpsPort = await freePort();
    const config = loadConfig([], {
      LANTERN_DATA_DIR: dataDir,
      LANTERN_HTTP_PORT: '0',
      LANTERN_HTTPS_PORT: String(httpsPort),
      LANTERN_PUBLIC_URL: `https://localhost:${httpsPort}`,
      LANTERN_TLS_CERT: cert,
      LANTERN_TLS_KEY: key,
      LANTERN_LOG_LEVEL: 'silent',
      ...options.env,
    });
    try {
      return withStop(await startLantern(config, { ...options, store }), config, remove);
    } catch (error) {
      if (attempt < 3 && (error as { code?: string }).code === 'EADDRINUSE') continue;
      await remove();
      throw error;
    }
  }
}

// The running server with the test's `stop()`: close it, then remove its database and data directory.
function withStop(running: RunningLantern, config: LanternConfig, remove: () => Promise<void>): TestLantern {
  return {
    ...running,
    config,
    baseUrl: config.publicUrl,
    async stop() {
      await running.close();
      await remove();
    },
  };
}
