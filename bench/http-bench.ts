/**
 * The HTTP benchmark (issue 16): Lantern against a bare Fastify server answering the same bodies
 * (bench/http-baseline.mjs), both started here as their own processes and loaded by autocannon from
 * this one, repetitions interleaved (baseline, Lantern, baseline, …) so a busy machine slows both
 * alike. Reported per world size, database and protocol: requests/s of each and their ratio
 * (median and spread over the repetitions), Lantern's p50/p99, its start time and memory, and the
 * time to page through a whole subscription.
 *
 *   npm run bench:http                          # small and large worlds, SQLite and PostgreSQL, HTTP and HTTPS
 *   npm run bench:http -- --quick               # small world, SQLite, HTTP and HTTPS, short runs
 * Flags: --sizes small,large  --databases sqlite,postgres  --protocols http,https  --seconds N  --reps N
 *        --connections N  --ops TEXT,… (only operations whose name contains one)  --property-bytes N (each
 *        seeded resource carries N more bytes of properties; default none)  --cpu-prof DIR (Lantern
 *        writes a V8 CPU profile there when it stops)  --no-write (don't rewrite bench/HTTP.md).
 *        PostgreSQL: DATABASE_URL, else a throwaway server from the machine's binaries.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { composeServices } from '../src/app/compose.js';
import { openStore } from '../src/storage/open-store.js';
import { createSubscription } from '../src/services/operator/subscription-admin.js';
import { systemContext } from '../src/services/context.js';
import { OWNER, READER, CONTRIBUTOR } from '../src/core/roles/builtin-catalog.js';
import { freePort, startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const list = (name: string, fallback: string) => (flag(name) ?? fallback).split(',').filter(Boolean);
const SIZES = list('--sizes', quick ? 'small' : 'small,large');
const DATABASES = list('--databases', quick ? 'sqlite' : 'sqlite,postgres');
const PROTOCOLS = list('--protocols', 'http,https');
const SECONDS = Number(flag('--seconds') ?? (quick ? 1 : 2));
const REPS = Number(flag('--reps') ?? (quick ? 2 : 3));
const CONNECTIONS = Number(flag('--connections') ?? 50);
const OPS = list('--ops', '');
const CPU_PROFILE_DIR = flag('--cpu-prof');
// Each seeded resource's properties: a bare provisioning state, or as many bytes as a real resource's (a site's run to kilobytes).
const PROPERTY_BYTES = Number(flag('--property-bytes') ?? 0);
const PROPERTIES = { provisioningState: 'Succeeded', ...(PROPERTY_BYTES > 0 ? { description: 'x'.repeat(PROPERTY_BYTES) } : {}) };

interface WorldSize { readonly roleAssignments: number; readonly resources: number; readonly subscriptions: number }
const WORLDS: Record<string, WorldSize> = {
  small: { roleAssignments: 1_000, resources: 100, subscriptions: 10 },
  large: { roleAssignments: 100_000, resources: 100_000, subscriptions: 1_000 },
};

interface Operation { readonly name: string; readonly method: 'GET' | 'PUT' | 'POST'; readonly path: string; readonly body?: string; readonly contentType?: string; readonly anonymous?: boolean; readonly connections?: number }

interface Seeded { readonly tenantId: string; readonly appId: string; readonly secret: string; readonly subscriptionId: string; readonly smallSubscriptionId: string }

/** Resources in the world's other listed subscription: one page's worth, beside the main one's. */
const SMALL_SUBSCRIPTION_RESOURCES = 100;

// The bench's own certificate trust: both servers present Lantern's self-signed certificate.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

/** Seeds a world into a fresh database through Lantern's own services, bulk rows in one transaction each. */
async function seed(size: WorldSize, dataDir: string, databaseUrl: string | undefined): Promise<Seeded> {
  const config = loadConfig([], { LANTERN_DATA_DIR: dataDir, LANTERN_LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const store = await openStore(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', path: join(dataDir, 'lantern.db') });
  const services = await composeServices(config, store);
  try {
    const { directory } = services.identity;
    const ctx = systemContext(services.ids);
    const home = await directory.createTenant({ displayName: 'Bench Home', defaultDomain: 'bench-home.example' });
    const msp = await directory.createTenant({ displayName: 'Bench MSP', defaultDomain: 'bench-msp.example' });
    const caller = await directory.createServicePrincipal({ tenantId: home.id, displayName: 'bench-caller' });
    const secret = (await directory.addClientSecret(caller.id, { displayName: 'bench' })).value;
    const operator = await directory.createServicePrincipal({ tenantId: msp.id, displayName: 'bench-operator' });
    const customers = [home.id];
    for (let t = 1; t < Math.max(1, size.subscriptions / 10); t++) {
      customers.push((await directory.createTenant({ displayName: `Bench Customer ${t}`, defaultDomain: `bench-customer-${t}.example` })).id);
    }
    const subscriptions: string[] = [];
    for (let s = 0; s < size.subscriptions; s++) {
      // The main subscription's id sorts first (its resources come first in key order).
      const subscriptionId = s === 0 ? `0${randomUUID().slice(1)}` : randomUUID();
      await createSubscription({ store, engine: services.access.engine }, { subscriptionId, tenantId: customers[s % customers.length]!, displayName: `Bench ${s}` });
      subscriptions.push(subscriptionId);
    }
    const main = subscriptions[0]!;
    const sub = `/subscriptions/${main}`;
    // The caller's tenant's subscription whose keys sort last: listing it must not read past the main one's resources.
    const small = subscriptions.filter((_, s) => s > 0 && s % customers.length === 0).sort().at(-1)!;
    await services.resources.registerProvider(main, 'Microsoft.Storage');
    const groups = Math.max(1, Math.ceil(size.resources / 1_000));
    for (let g = 0; g < groups; g++) await services.resources.putResourceGroup(main, `rg-${String(g).padStart(3, '0')}`, { location: 'westeurope' });
    const at = new Date().toISOString();
    await store.transaction(async (tx) => {
      for (let r = 0; r < size.resources; r++) {
        const group = `rg-${String(r % groups).padStart(3, '0')}`;
        const name = `sa${String(r).padStart(6, '0')}`;
        const id = `${sub}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}`;
        await tx.resources.putResource({ id, subscriptionId: main, resourceGroup: group, type: 'Microsoft.Storage/storageAccounts', name, location: 'westeurope', tags: {}, properties: PROPERTIES, createdAt: at, changedAt: at });
      }
    });
    await services.resources.putResourceGroup(small, 'rg-small', { location: 'westeurope' });
    await store.transaction(async (tx) => {
      for (let r = 0; r < SMALL_SUBSCRIPTION_RESOURCES; r++) {
        const name = `sa${String(r).padStart(6, '0')}`;
        const id = `/subscriptions/${small}/resourceGroups/rg-small/providers/Microsoft.Storage/storageAccounts/${name}`;
        await tx.resources.putResource({ id, subscriptionId: small, resourceGroup: 'rg-small', type: 'Microsoft.Storage/storageAccounts', name, location: 'westeurope', tags: {}, properties: PROPERTIES, createdAt: at, changedAt: at });
      }
    });
    // Role assignments spread over every subscription, to principals of its tenant's directory (random ids: the engine needs no user row).
    const roles = [READER, CONTRIBUTOR];
    await store.transaction(async (tx) => {
      for (let a = 0; a < size.roleAssignments; a++) {
        const subscriptionId = subscriptions[a % subscriptions.length]!;
        await tx.authorization.putRoleAssignment({ id: randomUUID(), scope: `/subscriptions/${subscriptionId}`, roleDefinitionId: roles[a % 2]!, principalId: randomUUID(), principalType: 'User', createdAt: at, createdBy: 'bench' });
      }
    });
    for (const scope of [sub, `/subscriptions/${small}`]) {
      await services.rbac.putRoleAssignment(ctx, { name: randomUUID(), scope, roleDefinitionId: OWNER, principalId: caller.id, principalType: 'ServicePrincipal' });
    }
    // One Lighthouse delegation per subscription, to the MSP tenant.
    for (const subscriptionId of subscriptions) {
      const definition = randomUUID();
      await services.delegation.putDefinition(ctx, `/subscriptions/${subscriptionId}`, definition, {
        registrationDefinitionName: 'Bench managed operations', managedByTenantId: msp.id,
        authorizations: [{ principalId: operator.id, principalIdDisplayName: 'Bench operator', roleDefinitionId: READER }], eligibleAuthorizations: [],
      });
      await services.delegation.putAssignment(ctx, `/subscriptions/${subscriptionId}`, randomUUID(), `/subscriptions/${subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}`);
    }
    return { tenantId: home.id, appId: caller.appId, secret, subscriptionId: main, smallSubscriptionId: small };
  } finally {
    await services.marketplace.stop();
    await store.close();
  }
}

interface Server { readonly http: number; readonly https: number; readonly process: ChildProcess; stop(): Promise<void> }

function stopper(child: ChildProcess): () => Promise<void> {
  return () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function waitForHealth(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `lantern serve` on the seeded data; resolves once /health answers, with the time it took. */
async function startLantern(dataDir: string, databaseUrl: string | undefined): Promise<{ server: Server; startMs: number }> {
  const [http, https] = [await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn(process.execPath, [...(CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROFILE_DIR] : []), join(root, 'bin/lantern.js'), 'serve', '--data-dir', dataDir, '--http-port', String(http), '--https-port', String(https),
    '--public-url', `https://127.0.0.1:${https}`, '--log-level', 'silent', '--throttle-reads', '1000000000', '--throttle-writes', '1000000000', '--throttle-deletes', '1000000000'], {
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth(`http://127.0.0.1:${http}/health`, Date.now() + 120_000);
  return { server: { http, https, process: child, stop: stopper(child) }, startMs: performance.now() - started };
}

async function startBaseline(routesFile: string, dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'bench/http-baseline.mjs'), routesFile, join(dataDir, 'tls/cert.pem'), join(dataDir, 'tls/key.pem')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`baseline exited ${code}`)));
  });
  const ports = JSON.parse(line) as { http: number; https: number };
  return { ...ports, process: child, stop: stopper(child) };
}

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

// `{n}` in an operation's path becomes a number no request used before (a new resource each time).
let sequence = 0;
const numbered = (path: string) => path.replace('{n}', String(sequence++));

async function request(base: string, op: Operation, token: string): Promise<{ status: number; body: string; contentType: string }> {
  const res = await fetch(`${base}${numbered(op.path)}`, {
    method: op.method,
    headers: { ...(op.anonymous ? {} : { authorization: `Bearer ${token}` }), ...(op.body !== undefined ? { 'content-type': op.contentType ?? 'application/json' } : {}) },
    ...(op.body !== undefined ? { body: op.body } : {}),
  });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? 'application/json' };
}

interface Load { readonly rps: number; readonly p50: number; readonly p99: number; readonly bad: number }

async function load(base: string, op: Operation, token: string): Promise<Load> {
  const result = await autocannon({
    url: `${base}${numbered(op.path)}`, method: op.method, connections: op.connections ?? CONNECTIONS, duration: SECONDS,
    ...(op.path.includes('{n}') ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: numbered(op.path) }) }] } : {}),
    headers: { ...(op.anonymous ? {} : { authorization: `Bearer ${token}` }), ...(op.body !== undefined ? { 'content-type': op.contentType ?? 'application/json' } : {}) },
    ...(op.body !== undefined ? { body: op.body } : {}),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row { size: string; database: string; protocol: string; op: string; baselineRps: number; lanternRps: number; ratio: number; ratioMin: number; ratioMax: number; p50: number; p99: number; bad: number }
interface WorldRow { size: string; database: string; startMs: number; rssMiB: number; pages: number; allPagesMs: number; seedMs: number }

async function run(): Promise<void> {
  const rows: Row[] = [];
  const worlds: WorldRow[] = [];
  let postgres: { url: string; stop: () => void } | undefined;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: postgres!.url });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  try {
    for (const database of DATABASES) {
      if (database === 'postgres' && !postgres) postgres = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, stop: () => undefined } : await startThrowawayPostgres();
      for (const sizeName of SIZES) {
        const size = WORLDS[sizeName];
        if (!size) throw new Error(`unknown size ${sizeName}`);
        const dataDir = mkdtempSync(join(tmpdir(), 'lantern-bench-http-'));
        let databaseUrl: string | undefined;
        if (database === 'postgres') {
          const name = `bench_${sizeName}_${Date.now()}`;
          await admin(`create database ${name}`);
          const url = new URL(postgres!.url);
          url.pathname = `/${name}`;
          databaseUrl = url.toString();
        }
        const seedStart = performance.now();
        const world = await seed(size, dataDir, databaseUrl);
        const seedMs = performance.now() - seedStart;
        const { server: lantern, startMs } = await startLantern(dataDir, databaseUrl);
        try {
          const lanternBase = (protocol: string) => `${protocol}://127.0.0.1:${protocol === 'http' ? lantern.http : lantern.https}`;
          const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: world.appId, client_secret: world.secret, scope: 'https://management.azure.com/.default' }).toString();
          const tokenOp: Operation = { name: 'token issuance', method: 'POST', path: `/${world.tenantId}/oauth2/v2.0/token`, body: form, contentType: 'application/x-www-form-urlencoded', anonymous: true, connections: 10 };
          const token = (JSON.parse((await request(lanternBase('http'), tokenOp, '')).body) as { access_token: string }).access_token;
          const sub = `/subscriptions/${world.subscriptionId}`;
          const ops: Operation[] = [
            { name: 'GET resource group', method: 'GET', path: `${sub}/resourceGroups/rg-000?api-version=2025-04-01` },
            { name: 'list resources (first page)', method: 'GET', path: `${sub}/resources?api-version=2025-04-01` },
            { name: 'list resources (small subscription, sorted after)', method: 'GET', path: `/subscriptions/${world.smallSubscriptionId}/resources?api-version=2025-04-01` },
            { name: 'GET /subscriptions', method: 'GET', path: '/subscriptions?api-version=2022-12-01' },
            { name: 'GET /tenants', method: 'GET', path: '/tenants?api-version=2022-12-01' },
            { name: 'resource PUT (one resource, contended)', method: 'PUT', path: `${sub}/resourceGroups/rg-000/providers/Microsoft.Storage/storageAccounts/benchput?api-version=2023-05-01`, body: JSON.stringify({ location: 'westeurope', tags: { bench: 'http' } }) },
            { name: 'resource PUT (new resources)', method: 'PUT', path: `${sub}/resourceGroups/rg-000/providers/Microsoft.Storage/storageAccounts/benchnew{n}?api-version=2023-05-01`, body: JSON.stringify({ location: 'westeurope', tags: { bench: 'http' } }) },
            { name: 'registrationAssignments $expand', method: 'GET', path: `${sub}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01&$expandRegistrationDefinition=true` },
            tokenOp,
          ];
          // The baseline answers exactly what Lantern answered (captured once, over HTTP).
          const routes: Record<string, { status: number; body: string; contentType: string; anonymous: boolean }> = {};
          for (const op of ops) {
            const answer = await request(lanternBase('http'), op, token);
            if (answer.status >= 300) throw new Error(`${op.name}: Lantern answered ${answer.status} ${answer.body.slice(0, 300)}`);
            routes[`${op.method} ${op.path}`] = { ...answer, anonymous: op.anonymous === true };
          }
          const routesFile = join(dataDir, 'baseline-routes.json');
          writeFileSync(routesFile, JSON.stringify({ token, routes }));
          const baseline = await startBaseline(routesFile, dataDir);
          try {
            for (const protocol of PROTOCOLS) {
              const baselineBase = `${protocol}://127.0.0.1:${protocol === 'http' ? baseline.http : baseline.https}`;
              for (const op of ops.filter((o) => OPS.length === 0 || OPS.some((text) => o.name.includes(text)))) {
                const ratios: number[] = [];
                const l: Load[] = [];
                const b: Load[] = [];
                for (let rep = 0; rep < REPS; rep++) {
                  b.push(await load(baselineBase, op, token));
                  l.push(await load(lanternBase(protocol), op, token));
                  ratios.push(l[rep]!.rps / b[rep]!.rps);
                }
                const row: Row = {
                  size: sizeName, database, protocol, op: op.name, baselineRps: median(b.map((x) => x.rps)), lanternRps: median(l.map((x) => x.rps)),
                  ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios), p50: median(l.map((x) => x.p50)), p99: median(l.map((x) => x.p99)),
                  bad: l.reduce((n, x) => n + x.bad, 0) + b.reduce((n, x) => n + x.bad, 0),
                };
                rows.push(row);
                console.log(`${sizeName} ${database} ${protocol} ${op.name}: ${row.lanternRps.toFixed(0)} vs ${row.baselineRps.toFixed(0)} req/s = ${row.ratio.toFixed(2)} (${row.ratioMin.toFixed(2)}–${row.ratioMax.toFixed(2)}), p50 ${row.p50} ms, p99 ${row.p99} ms${row.bad ? `, ${row.bad} non-2xx/errors` : ''}`);
              }
            }
          } finally {
            await baseline.stop();
          }
          // Paging through the whole subscription, one client following nextLink.
          const pagingStart = performance.now();
          let pages = 0;
          for (let next: string | undefined = `${lanternBase('http')}${sub}/resources?api-version=2025-04-01`; next !== undefined; pages++) {
            const res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
            next = ((await res.json()) as { nextLink?: string }).nextLink;
          }
          worlds.push({ size: sizeName, database, startMs, rssMiB: rssMiB(lantern.process), pages, allPagesMs: performance.now() - pagingStart, seedMs });
          console.log(`${sizeName} ${database}: start ${startMs.toFixed(0)} ms, RSS ${rssMiB(lantern.process).toFixed(0)} MiB, ${pages} pages in ${(performance.now() - pagingStart).toFixed(0)} ms, seeded in ${seedMs.toFixed(0)} ms`);
        } finally {
          await lantern.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    postgres?.stop();
  }
  if (!argv.includes('--no-write')) write(rows, worlds);
}

function write(rows: Row[], worlds: WorldRow[]): void {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  const lines = [
    '# HTTP benchmark',
    '',
    `Generated by \`bench/http-bench.ts\` on ${new Date().toISOString()} (commit \`${commit}\`).`,
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, Node ${process.version}; load average at the end ${loadavg()[0]!.toFixed(1)} (other work shares the machine).`,
    `- Command: \`npm run bench:http -- ${argv.join(' ')}\``.replace(' -- `', '`'),
    `- autocannon, ${CONNECTIONS} connections (token issuance: 10, under the sign-in concurrency limit), ${SECONDS} s per run, ${REPS} repetitions interleaved baseline/Lantern; ratio = Lantern ÷ baseline req/s per repetition (median, min–max).`,
    '- Baseline: bench/http-baseline.mjs, Fastify answering the bodies Lantern answered, behind a bearer-token string check.',
    `- Worlds: ${Object.entries(WORLDS).filter(([n]) => SIZES.includes(n)).map(([n, w]) => `${n} = ${w.roleAssignments.toLocaleString('en')} role assignments, ${w.resources.toLocaleString('en')} resources in one subscription and ${SMALL_SUBSCRIPTION_RESOURCES} in the subscription whose id sorts last, ${w.subscriptions.toLocaleString('en')} subscriptions each delegated`).join('; ')}.`,
    `- Resource bodies: ${PROPERTY_BYTES > 0 ? `properties of ${PROPERTY_BYTES.toLocaleString('en')} bytes each (--property-bytes)` : 'a bare provisioning state'}.`,
    '',
    '| world | database | protocol | operation | Lantern req/s | baseline req/s | ratio (min–max) | p50 ms | p99 ms | non-2xx |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.size} | ${r.database} | ${r.protocol} | ${r.op} | ${r.lanternRps.toFixed(0)} | ${r.baselineRps.toFixed(0)} | **${r.ratio.toFixed(2)}** (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${r.p50} | ${r.p99} | ${r.bad} |`),
    '',
    '| world | database | start to /health ms | RSS after load MiB | pages of 100 | all pages ms | ms per page | seed ms |',
    '|---|---|---|---|---|---|---|---|',
    ...worlds.map((w) => `| ${w.size} | ${w.database} | ${w.startMs.toFixed(0)} | ${w.rssMiB.toFixed(0)} | ${w.pages} | ${w.allPagesMs.toFixed(0)} | ${(w.allPagesMs / w.pages).toFixed(1)} | ${w.seedMs.toFixed(0)} |`),
    '',
  ];
  writeFileSync(join(root, 'bench/HTTP.md'), lines.join('\n'));
  writeFileSync(join(root, 'bench/http-results.json'), `${JSON.stringify({ rows, worlds }, null, 2)}\n`);
}

await run();
