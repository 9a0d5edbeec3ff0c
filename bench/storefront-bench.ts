/**
 * Benchmark of the storefront search over real HTTP (issue 12: search over 10,000 live offers within
 * 20 ms p95). Starts a whole Lantern (SQLite in a temporary directory, the composed services, its
 * HTTP listener on 127.0.0.1), seeds the demo world and 10,000 published offers into the store
 * (varied words, categories and publishers; 5 % with a private plan, 2 % with a preview; some of
 * both audiences hold Fabrikam Production), then sends `GET /marketplace/offers` as demo users with
 * bearer tokens from the token endpoint and times each answer, per query kind: one word, two words,
 * 3-letter prefixes, word + category sorted by name, publisher sorted by newest, browsing sorted by
 * name (first page, and a page of 100 at offset 5,000), category sorted by publisher. Viewers take
 * turns: Fabrikam's Owner (in private and preview audiences), Northwind's Owner (in none), and
 * Fabrikam's Owner narrowed to one subscription (`subscriptionId=`). The same requests are then timed
 * against a copy of the index alone, to tell the search from the HTTP path around it.
 *
 *   npm run bench:storefront             # 10,000 offers, 300 requests per query kind, one client
 *   npm run bench:storefront -- --quick  # 2,000 offers, 40 per kind (a smoke run; writes nothing)
 * Flags: --offers N, --requests N (per kind), --clients N (concurrent clients), --no-write
 * (don't rewrite bench/STOREFRONT.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../src/app/config.js';
import { startLantern } from '../src/app/server.js';
import { contosoOffer, makePng } from '../src/core/marketplace/test-fixtures.js';
import type { Offer } from '../src/core/marketplace/model.js';
import type { PublicationState } from '../src/core/marketplace/pipeline.js';
import { snapshotOffer } from '../src/core/marketplace/versions.js';
import { DEMO_IDS, seedDemoWorldInto } from '../src/services/demo/demo-world.js';
import { marketplaceDocs } from '../src/services/marketplace/records.js';
import { StorefrontIndex, type StorefrontOrder } from '../src/services/marketplace/storefront-index.js';
import { freePort } from '../test/support/lantern.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const OFFERS = Number(flag('--offers') ?? (quick ? 2_000 : 10_000));
const PER_KIND = Number(flag('--requests') ?? (quick ? 40 : 300));
const CLIENTS = Number(flag('--clients') ?? 1);

// A deterministic generator, so every run indexes the same world and sends the same requests.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;

const WORDS = [
  'monitoring', 'backup', 'security', 'patching', 'compliance', 'network', 'identity', 'cost', 'optimization', 'migration', 'kubernetes', 'database',
  'analytics', 'devops', 'governance', 'automation', 'recovery', 'firewall', 'storage', 'observability', 'incident', 'response', 'sentinel', 'defender',
  'landing', 'zone', 'hybrid', 'edge', 'sap', 'oracle', 'windows', 'linux', 'containers', 'serverless', 'ai', 'data', 'lake', 'warehouse', 'vdi', 'avd',
  'managed', 'operations', 'support', 'assessment', 'advisory', 'modernization', 'resilience', 'continuity', 'audit', 'policy',
];
const CATEGORIES = ['it-and-management-tools', 'security', 'analytics', 'databases', 'devops', 'networking', 'storage', 'compute', 'migration', 'monitoring-and-diagnostics'];
const PUBLISHERS = Array.from({ length: 200 }, (_, i) => `publisher${i}`);
const sub = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const LOGO = makePng(48, 48);

function offer(i: number): Offer {
  const base = contosoOffer();
  const gold = base.plans[0]!;
  // Every 20th offer has a private plan; every 40th's audience holds Fabrikam Production.
  const audience = [...Array.from({ length: 50 }, (_, k) => ({ id: sub(i * 100 + k), type: 'subscription' as const })), ...(i % 40 === 0 ? [{ id: DEMO_IDS.fabrikamProduction, type: 'subscription' as const }] : [])];
  const privatePlan = i % 20 === 0 ? [{ ...gold, id: 'private', name: 'Private', visibility: 'private' as const, privateAudience: audience }] : [];
  return {
    ...base,
    id: `offer-${i}`,
    publisherId: pick(PUBLISHERS),
    listing: {
      ...base.listing,
      name: `${sentence(2)} ${i}`,
      searchResultsSummary: sentence(8),
      shortDescription: sentence(20),
      description: `<p>${sentence(120)}</p><ul><li>${sentence(10)}</li></ul>`,
      logos: { large: { fileName: 'logo.png', bytes: LOGO } },
      screenshots: [],
      videos: [],
    },
    properties: { ...base.properties, categories: [{ category: pick(CATEGORIES), subcategories: [] }, { category: pick(CATEGORIES), subcategories: [] }] },
    previewAudience: [{ id: i % 100 === 0 ? DEMO_IDS.fabrikamProduction : sub(9_000_000 + i), type: 'subscription' }],
    plans: [gold, ...privatePlan],
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'lantern-storefront-bench-'));
const httpsPort = await freePort();
const config = loadConfig([], {
  LANTERN_DATA_DIR: dataDir,
  LANTERN_HOST: '127.0.0.1',
  LANTERN_HTTP_PORT: '0',
  LANTERN_HTTPS_PORT: String(httpsPort),
  LANTERN_LOG_LEVEL: 'silent',
});
const lantern = await startLantern(config);
try {
  const { services } = lantern;
  const credentials = await seedDemoWorldInto(services);

  // The offers, written as publishing leaves them: the offer record and its published versions.
  const t0 = performance.now();
  const seeded: [string, string][] = [];
  await services.store.transaction(async (tx) => {
    const docs = marketplaceDocs(tx);
    for (let i = 0; i < OFFERS; i++) {
      const o = offer(i);
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      const preview = i % 50 === 0;
      const publication: PublicationState = {
        offerId: o.id, status: 'Live', liveVersion: 1, previewVersion: preview ? 2 : 1, distribution: 'active',
        publishedPlanIds: o.plans.map((p) => p.id), livePlanIds: o.plans.map((p) => p.id), stoppedPlanIds: [], nextSubmissionNumber: preview ? 3 : 2, history: [],
      };
      await docs.putOffer({ publisherId: o.publisherId, offerId: o.id, draft: o, publication, createdAt: at, updatedAt: at });
      seeded.push([o.publisherId, o.id]);
      await docs.putVersion({ ...snapshotOffer(o, 1, at), publisherId: o.publisherId, createdBy: 'bench', origin: 'submission' });
      if (preview) await docs.putVersion({ ...snapshotOffer({ ...o, listing: { ...o.listing, name: `${o.listing.name} next` } }, 2, at), publisherId: o.publisherId, createdBy: 'bench', origin: 'submission' });
    }
  });
  const seedMs = performance.now() - t0;
  // Told as publishing tells it (the server built its index at start, before these offers existed).
  for (const [publisherId, offerId] of seeded) services.storefront.publicationChanged(publisherId, offerId);

  const token = async (upn: string) => {
    const user = credentials.users.find((u) => u.userPrincipalName === upn);
    const tenant = credentials.tenants.find((t) => t.name === user?.tenant);
    if (!user || !tenant) throw new Error(`no demo user ${upn}`);
    const form = { grant_type: 'password', client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', username: upn, password: user.password, scope: 'https://management.azure.com/.default' };
    return (await services.identity.tokens.token(tenant.tenantId, form)).access_token;
  };
  const subscriptionsOf = (tenantId: string) => credentials.subscriptions.filter((x) => x.tenantId === tenantId).map((x) => x.subscriptionId);
  const viewers = [
    { name: 'Fabrikam Owner', token: await token('owner@fabrikam.example'), query: '', subscriptionIds: subscriptionsOf(DEMO_IDS.fabrikamTenant) },
    { name: 'Northwind Owner', token: await token('owner@northwind.example'), query: '', subscriptionIds: subscriptionsOf(DEMO_IDS.northwindTenant) },
    { name: 'Fabrikam Owner, one subscription', token: await token('owner@fabrikam.example'), query: `&subscriptionId=${DEMO_IDS.fabrikamProduction}`, subscriptionIds: [DEMO_IDS.fabrikamProduction] },
  ];

  const kinds: { name: string; query: () => string }[] = [
    { name: 'one word', query: () => `search=${pick(WORDS)}` },
    { name: 'two words', query: () => `search=${pick(WORDS)}%20${pick(WORDS)}` },
    { name: '3-letter prefix', query: () => `search=${pick(WORDS).slice(0, 3)}` },
    { name: 'word + category, by name', query: () => `search=${pick(WORDS)}&category=${pick(CATEGORIES)}&orderby=name` },
    { name: 'publisher, newest', query: () => `publisher=${pick(PUBLISHERS)}&orderby=newest` },
    { name: 'browse by name, page 1', query: () => 'orderby=name' },
    { name: 'browse by name, 100 at offset 5,000', query: () => 'orderby=name&$top=100&$skiptoken=5000' },
    { name: 'category, by publisher', query: () => `category=${pick(CATEGORIES)}&orderby=publisher` },
  ];

  const get = async (viewer: (typeof viewers)[number], query: string) => {
    const res = await fetch(`${lantern.httpUrl}/marketplace/offers?${query}${viewer.query}`, { headers: { authorization: `Bearer ${viewer.token}` } });
    const body = (await res.json()) as { count?: number };
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
    return body.count ?? 0;
  };

  // The first search builds the index from the store; then a warm-up of every kind.
  const t1 = performance.now();
  const firstCount = await get(viewers[0]!, 'search=data');
  const firstMs = performance.now() - t1;
  if (firstCount === 0) throw new Error('the first search found no offer: the index does not hold the seeded world');
  for (let i = 0; i < 5; i++) for (const kind of kinds) for (const viewer of viewers) await get(viewer, kind.query());

  const load = loadavg()[0] ?? 0;
  const timings = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  const matches = new Map<string, number>(kinds.map((k) => [k.name, 0]));
  // Requests in a fixed interleaved order (kind by kind, viewers in turn), spread over the clients.
  const plan = Array.from({ length: PER_KIND * kinds.length }, (_, n) => ({ kind: kinds[n % kinds.length]!, viewer: viewers[Math.floor(n / kinds.length) % viewers.length]! }))
    .map(({ kind, viewer }) => ({ kind, viewer, query: kind.query() }));
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < plan.length) {
        const { kind, viewer, query } = plan[next++]!;
        const start = performance.now();
        const count = await get(viewer, query);
        timings.get(kind.name)!.push(performance.now() - start);
        matches.set(kind.name, matches.get(kind.name)! + count);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerRequest = (cpu.user + cpu.system) / 1000 / plan.length;

  // The same requests answered by the index alone (a copy of the server's), to tell the search from the HTTP path around it.
  const index = new StorefrontIndex();
  for (const entry of await services.storefront.entries()) index.put(entry);
  const indexTimings = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  for (const { kind, viewer, query } of plan) {
    const q = new URLSearchParams(query);
    const search = q.get('search') ?? undefined;
    const start = performance.now();
    index.search(viewer, {
      ...(search === undefined ? {} : { search }),
      ...(q.has('category') ? { category: q.get('category') as string } : {}),
      ...(q.has('publisher') ? { publisherId: q.get('publisher') as string } : {}),
      orderBy: (q.get('orderby') ?? (search === undefined ? 'name' : 'relevance')) as StorefrontOrder,
      skip: Number(q.get('$skiptoken') ?? 0),
      top: Number(q.get('$top') ?? 20),
    });
    indexTimings.get(kind.name)!.push(performance.now() - start);
  }

  const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const stats = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
  };
  const ms = (v: number) => v.toFixed(2);
  const rows = kinds.map((k) => ({ kind: k.name, ...stats(timings.get(k.name)!), index: stats(indexTimings.get(k.name)!), meanMatches: Math.round(matches.get(k.name)! / PER_KIND) }));
  const all = { kind: 'all', ...stats([...timings.values()].flat()), index: stats([...indexTimings.values()].flat()), meanMatches: Math.round([...matches.values()].reduce((a, b) => a + b, 0) / plan.length) };
  const summary = { offers: OFFERS, requests: plan.length, clients: CLIENTS, seedMs: Math.round(seedMs), firstSearchMs: Math.round(firstMs), requestsPerSecond: Math.round(plan.length / (wallMs / 1000)), cpuMsPerRequest: cpuPerRequest.toFixed(2), p50: ms(all.p50), p95: ms(all.p95), p99: ms(all.p99), max: ms(all.max) };
  console.log(JSON.stringify(summary));
  for (const r of rows) console.log(`${r.kind.padEnd(38)} p50 ${ms(r.p50).padStart(7)}  p95 ${ms(r.p95).padStart(7)}  p99 ${ms(r.p99).padStart(7)}  max ${ms(r.max).padStart(7)}  index p95 ${ms(r.index.p95).padStart(6)}  matches ${r.meanMatches}`);

  if (!argv.includes('--no-write') && !quick) {
    const here = dirname(fileURLToPath(import.meta.url));
    let commit = 'unknown';
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
    } catch {
      // not a git checkout
    }
    const command = `npm run bench:storefront${CLIENTS === 1 ? '' : ` -- --clients ${CLIENTS}`}`;
    const line = (r: typeof all) => `| ${r.kind} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.index.p50)} | ${ms(r.index.p95)} | ${ms(r.index.p99)} | ${r.meanMatches} |`;
    const lines = [
      '# Storefront search benchmark',
      '',
      `Generated by \`bench/storefront-bench.ts\` on ${new Date().toISOString()} (commit \`${commit}\`).`,
      '',
      `- Command: \`${command}\` (also run by \`npm run bench\`)`,
      `- Machine: ${cpus()[0]?.model.trim() ?? 'cpu'}, ${cpus().length} vCPU, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; load average (1 min) at the start of the timed run: ${load.toFixed(1)} (a machine shared with other engineers' builds and tests)`,
      `- World: ${OFFERS.toLocaleString('en-US')} live offers (5 % with a private plan, 2 % with a preview, 200 publishers, 10 categories) written to SQLite in ${Math.round(seedMs).toLocaleString('en-US')} ms; the first search brought the in-memory index up to date with them (one read per offer, as after publishing) in ${Math.round(firstMs).toLocaleString('en-US')} ms`,
      `- Requests: ${plan.length.toLocaleString('en-US')} \`GET /marketplace/offers\` over HTTP (keep-alive, ${CLIENTS} client${CLIENTS === 1 ? '' : 's'} in the server's process, ${summary.requestsPerSecond} requests/s, ${summary.cpuMsPerRequest} ms of CPU per request, client included), ${PER_KIND} per query kind, after a warm-up; each as Fabrikam's Owner (in private and preview audiences), Northwind's Owner (in none) or Fabrikam's Owner with \`subscriptionId=\`, in turn. Timed from sending the request to the parsed JSON answer: token check, the caller's subscriptions, visibility, search, sort, page and serialisation included.`,
      '',
      'Over HTTP, and (last three figures) the same requests answered by `StorefrontIndex.search` alone in the same process:',
      '',
      '| query | p50 ms | p95 ms | p99 ms | max ms | index p50 ms | index p95 ms | index p99 ms | mean matches |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows.map(line),
      `| **all** | **${ms(all.p50)}** | **${ms(all.p95)}** | **${ms(all.p99)}** | ${ms(all.max)} | ${ms(all.index.p50)} | ${ms(all.index.p95)} | ${ms(all.index.p99)} | ${all.meanMatches} |`,
      '',
    ];
    writeFileSync(join(here, 'STOREFRONT.md'), lines.join('\n'));
  }
} finally {
  await lantern.close();
  rmSync(dataDir, { recursive: true, force: true });
}
