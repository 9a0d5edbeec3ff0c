// A start that cannot listen leaves nothing listening behind (so the process can exit, or try again).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { startLantern } from '../../src/app/server.js';
import { openStore } from '../../src/storage/open-store.js';
import { freePort } from '../support/lantern.js';

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('lantern serve start-up', () => {
  it('closes the HTTP listener when the HTTPS port is taken', async () => {
    const cert = process.env.LANTERN_TEST_TLS_CERT;
    const key = process.env.LANTERN_TEST_TLS_KEY;
    assert.ok(cert && key, 'set by `npm test`');
    const dataDir = mkdtempSync(join(tmpdir(), 'lantern-start-'));
    const taken = createServer();
    try {
      const [httpPort, httpsPort] = [await freePort(), await freePort()];
      await listen(taken, httpsPort);
      const config = loadConfig([], {
        LANTERN_DATA_DIR: dataDir, LANTERN_HTTP_PORT: String(httpPort), LANTERN_HTTPS_PORT: String(httpsPort),
        LANTERN_PUBLIC_URL: `https://localhost:${httpsPort}`, LANTERN_TLS_CERT: cert, LANTERN_TLS_KEY: key, LANTERN_LOG_LEVEL: 'silent',
      });
      const store = await openStore({ kind: 'sqlite', path: join(dataDir, 'lantern.db') });
      try {
        await assert.rejects(startLantern(config, { store }), (e: unknown) => (e as { code?: string }).code === 'EADDRINUSE');
      } finally {
        await store.close();
      }
      const probe = createServer();
      await listen(probe, httpPort); // free again: the HTTP listener was closed
      await close(probe);
    } finally {
      await close(taken);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
