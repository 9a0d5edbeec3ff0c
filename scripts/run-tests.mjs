#!/usr/bin/env node
// Runs every test file with Node's test runner. When TEST_PG_URL is unset it starts a throwaway
// PostgreSQL server from the machine's binaries, so the PostgreSQL suite never silently skips.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

function listTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.test.ts') && statSync(f).isFile())
    .sort();
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
