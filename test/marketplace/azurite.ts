/**
 * Azurite's Table service on a free port of 127.0.0.1, in memory, for tests that need a real
 * Azure Table endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Azurite's well-known development account (documented, not a secret).
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port; rejects if the child exits first. */
async function waitForListen(port: number, child: ChildProcess): Promise<void> {
  let exited = false;
  let stderr = '';
  child.once('exit', () => (exited = true));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  for (;;) {
    if (exited) throw new Error(`azurite-table exited before listening on ${port}: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Azurite {
  readonly port: number;
  /** A connection string for the development account with `key` (the right one by default). */
  connectionString(key?: string): string;
  stop(): Promise<void>;
}

/** Starts azurite-table; `stop()` ends it and removes its working directory. */
export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  // Azurite refuses --location together with --inMemoryPersistence; a temp working directory
  // keeps anything it might still write out of the repository.
  const location = mkdtempSync(join(tmpdir(), 'lantern-azurite-'));
  const child = spawn(
    join(process.cwd(), 'node_modules/.bin/azurite-table'),
    ['--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--silent', '--skipApiVersionCheck'],
    { cwd: location, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitForListen(port, child);
  return {
    port,
    connectionString: (key = AZURITE_KEY) => `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}
