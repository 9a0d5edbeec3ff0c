#!/usr/bin/env node
// Runs every test file with Node's test runner. When TEST_PG_URL is unset it starts a throwaway
// PostgreSQL server from the machine's binaries, so the PostgreSQL suite never silently skips.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, chownSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

function listTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.test.ts') && statSync(f).isFile())
    .sort();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

async function startThrowawayPostgres() {
  const bin = pgBinDir();
  if (!bin) throw new Error('TEST_PG_URL is unset and no PostgreSQL binaries were found under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'lantern-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'lantern', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  const stop = () => {
    try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://lantern@127.0.0.1:${port}/postgres`, stop };
}

const files = [...listTests('src'), ...listTests('test')];
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

let pg;
const env = { ...process.env };
if (!env.TEST_PG_URL) {
  pg = await startThrowawayPostgres();
  env.TEST_PG_URL = pg.url;
  console.log(`started a throwaway PostgreSQL for the tests at ${pg.url}`);
}
// One certificate for every test server, trusted by every test process (real TLS, no verification switched off).
const certDir = mkdtempSync(join(tmpdir(), 'lantern-tls-'));
const cert = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-test-certificate.ts', certDir]).toString());
env.NODE_EXTRA_CA_CERTS = cert.certPath;
env.LANTERN_TEST_TLS_CERT = cert.certPath;
env.LANTERN_TEST_TLS_KEY = cert.keyPath;

let status = 1;
try {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], { stdio: 'inherit', env });
  status = result.status ?? 1;
} finally {
  pg?.stop();
  rmSync(certDir, { recursive: true, force: true });
}
process.exit(status);
