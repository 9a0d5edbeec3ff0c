/**
 * A real Lantern server process for the crash tests: `lantern serve --demo` on its own data
 * directory (and PostgreSQL database), killed with SIGKILL and started again on the same data.
 * The server is compiled once per test process by the repository's own build script, run from a
 * throwaway root that links to the sources, data and packages (so the shared dist/ is left alone),
 * and a restart loads compiled JavaScript instead of compiling the TypeScript sources again.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DemoCredentials } from '../../src/services/demo/demo-world.js';
import { childEnv } from '../support/cli.js';
import { freePort } from '../support/lantern.js';

const ROOT = resolve(import.meta.dirname, '../..');

let compiled: Promise<{ main: string; dir: string }> | undefined;

/** The compiled server (built on first use); remove it with `removeCompiledServer`. */
function compiledServer(): Promise<{ main: string; dir: string }> {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-crash-build-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(ROOT, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
    for (const name of ['src', 'package.json', 'docs', 'data', 'node_modules']) symlinkSync(join(ROOT, name), join(dir, name));
    // The server only: the portal is not served by these tests, and its sources are not linked here.
    await promisify(execFile)(process.execPath, [join(dir, 'scripts', 'build.mjs'), '--quiet', '--server-only']);
    return { main: join(dir, 'dist', 'cli', 'main.js'), dir };
  })();
  return compiled;
}

/** Removes the compiled server, if one was built. */
export async function removeCompiledServer(): Promise<void> {
  if (compiled === undefined) return;
  rmSync((await compiled).dir, { recursive: true, force: true });
  compiled = undefined;
}

export interface ServerOptions {
  /** Data directory (SQLite database, demo credentials); kept across restarts. */
  readonly dataDir: string;
  /** PostgreSQL URL; SQLite in the data directory without one. */
  readonly databaseUrl?: string;
  /** Pause before each deployment step (LANTERN_TEST_DEPLOYMENT_STEP_DELAY_MS). */
  readonly stepDelayMs?: number;
}

export interface RunningServer {
  readonly pid: number;
  /** HTTPS base URL on localhost (the certificate's and token issuer's name). */
  readonly baseUrl: string;
  readonly credentials: DemoCredentials;
  /** SIGKILL: no shutdown, no flush, whatever was in flight is lost. */
  kill(): Promise<void>;
  /** SIGTERM: the orderly stop. */
  stop(): Promise<void>;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * Starts `lantern serve --demo` on the data and waits until it serves. A start refused because the
 * previous process's database lock is still held (PostgreSQL ends a killed client's session a
 * moment later) is tried again.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const cert = process.env.LANTERN_TEST_TLS_CERT;
  const key = process.env.LANTERN_TEST_TLS_KEY;
  if (!cert || !key) throw new Error('LANTERN_TEST_TLS_CERT/KEY are not set: run the tests with `npm test`');
  const { main } = await compiledServer();
  mkdirSync(options.dataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const env = childEnv({
      LANTERN_DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      LANTERN_HTTP_PORT: '0',
      LANTERN_HTTPS_PORT: String(port),
      LANTERN_PUBLIC_URL: `https://localhost:${port}`,
      LANTERN_TLS_CERT: cert,
      LANTERN_TLS_KEY: key,
      LANTERN_LOG_LEVEL: 'error',
      // The bursts are far beyond ARM's hourly budgets: throttling is not what these tests look at.
      LANTERN_THROTTLE_READS: '100000000',
      LANTERN_THROTTLE_WRITES: '100000000',
      LANTERN_THROTTLE_DELETES: '100000000',
      LANTERN_TEST_DEPLOYMENT_STEP_DELAY_MS: String(options.stepDelayMs ?? 0),
    });
    const child = spawn(process.execPath, [main, 'serve', '--demo'], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const ready = await new Promise<boolean>((resolveReady) => {
      child.stdout.on('data', () => {
        if (out.includes('First request:')) resolveReady(true);
      });
      child.once('exit', () => resolveReady(false));
    });
    if (ready) {
      const credentials = JSON.parse(readFileSync(join(options.dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
      return {
        pid: child.pid as number,
        baseUrl: `https://localhost:${port}`,
        credentials,
        async kill() {
          child.kill('SIGKILL');
          await exited(child);
        },
        async stop() {
          child.kill('SIGTERM');
          await exited(child);
        },
      };
    }
    if (attempt < 20 && /another Lantern server|EADDRINUSE|in use/.test(err)) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    throw new Error(`lantern serve exited before serving:\n${err}${out}`);
  }
}

/** A fresh data directory for a crash test; `rmSync` it when done. */
export function crashDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'lantern-crash-'));
}
