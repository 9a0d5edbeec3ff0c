/**
 * Bulk role assignments and the start-up of the world they make (issue 16.4), on SQLite and PostgreSQL:
 * a directory of 1,000 groups and 30 subscriptions is seeded through Lantern's services, then
 * `lantern roles import-assignments` (the built command, a new process) loads 100,000 rows as
 * `az role assignment list --all` prints them, and `lantern serve` starts twice on the result (the
 * first start reads the tables and saves the engine's checkpoint; the second restores it), timed
 * from process start to /health.
 *   npm run bench:bulk [-- --rows 100000 --databases sqlite,postgres]
 * Writes bench/BULK.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { composeServices } from '../src/app/compose.js';
import { openStore } from '../src/storage/open-store.js';
import { createSubscription } from '../src/services/operator/subscription-admin.js';
import { CONTRIBUTOR, READER } from '../src/core/roles/builtin-catalog.js';
import { freePort, startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const ROWS = Number(arg('--rows', '100000'));
const DATABASES = arg('--databases', 'sqlite,postgres').split(',');
const GROUPS = 1000;
const SUBSCRIPTIONS = Math.max(1, Math.ceil(ROWS / 3500));
const ROLES = [READER, CONTRIBUTOR];

/** A tenant with GROUPS groups and SUBSCRIPTIONS subscriptions; the import file's rows over them. */
async function seed(dataDir: string, databaseUrl: string | undefined): Promise<string> {
  const config = loadConfig([], { LANTERN_DATA_DIR: dataDir, LANTERN_LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const store = await openStore(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', path: join(dataDir, 'lantern.db') });
  const services = await composeServices(config, store);
  try {
    const tenant = await services.identity.directory.createTenant({ displayName: 'Bulk', defaultDomain: 'bulk.example' });
    const groups: string[] = [];
    for (let g = 0; g < GROUPS; g++) groups.push((await services.identity.directory.createGroup({ tenantId: tenant.id, displayName: `Team ${g}` })).id);
    const subscriptions: string[] = [];
    for (let s = 0; s < SUBSCRIPTIONS; s++) {
      const subscriptionId = `b0b0b0b0-0000-4000-8000-${String(s).padStart(12, '0')}`;
      await createSubscription({ store, engine: services.access.engine }, { subscriptionId, tenantId: tenant.id, displayName: `Bulk ${s}` });
      subscriptions.push(subscriptionId);
    }
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      principalId: groups[i % GROUPS], principalType: 'Group', roleDefinitionId: ROLES[Math.floor(i / GROUPS) % 2],
      scope: `/subscriptions/${subscriptions[i % SUBSCRIPTIONS]}/resourceGroups/rg-${Math.floor(i / (GROUPS * 2)) % 1000}`,
    }));
    const file = join(dataDir, 'assignments.json');
    writeFileSync(file, JSON.stringify(rows));
    return file;
  } finally {
    await services.marketplace.stop();
    await store.close();
  }
}

function lantern(args: string[], databaseUrl: string | undefined): { ms: number; out: string } {
  const started = performance.now();
  const out = execFileSync(process.execPath, [join(root, 'bin/lantern.js'), ...args], { env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, encoding: 'utf8' });
  return { ms: performance.now() - started, out };
}

/** Milliseconds from `lantern serve` to its first /health answer; the server is then stopped. */
async function startMs(dataDir: string, databaseUrl: string | undefined): Promise<number> {
  const http = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/lantern.js'), 'serve', '--data-dir', dataDir, '--http-port', String(http), '--https-port', '0', '--log-level', 'silent'], {
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${http}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - started;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return ms;
}

execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet', '--server-only'], { stdio: 'inherit' });
const results: string[] = [];
let postgres: { url: string; stop: () => void } | undefined;
try {
  for (const database of DATABASES) {
    const dataDir = mkdtempSync(join(tmpdir(), 'lantern-bench-bulk-'));
    let databaseUrl: string | undefined;
    if (database === 'postgres') {
      postgres ??= process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: () => undefined } : await startThrowawayPostgres();
      const name = `bench_bulk_${Date.now()}`;
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(postgres.url);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    try {
      const file = await seed(dataDir, databaseUrl);
      const imported = lantern(['roles', 'import-assignments', file, '--data-dir', dataDir], databaseUrl);
      const inside = Number(/\((?:\d+) rows, (\d+) ms\)/.exec(imported.out)?.[1]);
      const again = lantern(['roles', 'import-assignments', file, '--data-dir', dataDir], databaseUrl);
      const first = await startMs(dataDir, databaseUrl);
      const second = await startMs(dataDir, databaseUrl);
      const third = await startMs(dataDir, databaseUrl);
      console.log(`${database}: ${imported.out.trim()} | process ${imported.ms.toFixed(0)} ms | again: ${again.out.trim()} | starts ${first.toFixed(0)} / ${second.toFixed(0)} / ${third.toFixed(0)} ms`);
      results.push(`| ${database} | ${ROWS.toLocaleString('en-US')} | ${inside.toLocaleString('en-US')} | ${imported.ms.toFixed(0)} | ${again.ms.toFixed(0)} | ${first.toFixed(0)} | ${second.toFixed(0)} / ${third.toFixed(0)} |`);
    } finally {
      if (process.env.KEEP_BULK_DIR === undefined) rmSync(dataDir, { recursive: true, force: true }); else console.log(`kept ${dataDir}`);
    }
  }
} finally {
  postgres?.stop();
}

writeFileSync(join(root, 'bench', 'BULK.md'), `# Bulk role assignments and the start-up of a 10^5-assignment world

Generated by \`bench/bulk-import-bench.ts\` on ${new Date().toISOString()} (commit \`${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}\`).
Command: \`npm run bench:bulk\`. Machine: ${cpus().length} vCPU, Node ${process.version}, load average at the end ${loadavg()[0]?.toFixed(1)}.

The world: one tenant with ${GROUPS.toLocaleString('en-US')} security groups and ${SUBSCRIPTIONS} subscriptions (seeded through Lantern's services). The file:
${ROWS.toLocaleString('en-US')} rows as \`az role assignment list --all\` prints them (Reader or Contributor to a group at a resource group),
under the 4,000-per-subscription limit. \`lantern roles import-assignments\` runs as its own process (the built command); "inside" is
the time it reports for opening the store, checking every row and writing them in one transaction, "process" adds Node's start and
reading the file. "Again" imports the same file a second time (every row found unchanged, nothing written). Then \`lantern serve\` starts
three times on the result, timed to its first /health answer: the first start reads every assignment from the tables and saves the
engine's checkpoint; the later ones restore it.

| database | rows | import, inside (ms) | import, process (ms) | import again, process (ms) | first start (ms) | starts from the checkpoint (ms) |
|---|---:|---:|---:|---:|---:|---:|
${results.join('\n')}
`);
console.log('wrote bench/BULK.md');
