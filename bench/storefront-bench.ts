/**
 * Benchmark of the storefront search (issue 12: 10,000 live offers within 20 ms p95): the in-memory
 * index the storefront service answers from, filled with 10,000 published offers (varied words,
 * categories and publishers; 5 % with a private plan, 2 % with a preview), then timed per search for
 * a mix of queries (one word, two words, prefixes, category and publisher filters, no search with
 * sort by name, deep pages) as an anonymous viewer and as a viewer in private audiences.
 *
 *   npm run bench:storefront             # 10,000 offers, 2,000 searches
 *   npm run bench:storefront -- --quick  # 2,000 offers, 300 searches (a smoke run)
 * Flags: --offers N, --searches N, --no-write (don't rewrite bench/STOREFRONT.md).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { contosoOffer } from '../src/core/marketplace/test-fixtures.js';
import type { Offer } from '../src/core/marketplace/model.js';
import { snapshotOffer } from '../src/core/marketplace/versions.js';
import { compileOffer } from '../src/core/marketplace/visibility.js';
import { StorefrontIndex, type StorefrontQuery } from '../src/services/marketplace/storefront-index.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const OFFERS = Number(flag('--offers') ?? (quick ? 2_000 : 10_000));
const SEARCHES = Number(flag('--searches') ?? (quick ? 300 : 2_000));

// A deterministic generator, so every run indexes the same world.
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

function offer(i: number): Offer {
  const base = contosoOffer();
  const name = `${sentence(2)} ${i}`;
  const gold = base.plans[0]!;
  const privatePlan = i % 20 === 0 ? [{ ...gold, id: 'private', name: 'Private', visibility: 'private' as const, privateAudience: Array.from({ length: 50 }, (_, k) => ({ id: sub(i * 100 + k), type: 'subscription' as const })) }] : [];
  return {
    ...base,
    id: `offer-${i}`,
    publisherId: pick(PUBLISHERS),
    listing: { ...base.listing, name, searchResultsSummary: sentence(8), shortDescription: sentence(20), description: `<p>${sentence(120)}</p><ul><li>${sentence(10)}</li></ul>` },
    properties: { ...base.properties, categories: [{ category: pick(CATEGORIES), subcategories: [] }, { category: pick(CATEGORIES), subcategories: [] }] },
    previewAudience: [{ id: sub(9_000_000 + i), type: 'subscription' }],
    plans: [gold, ...privatePlan],
  };
}

const index = new StorefrontIndex();
const t0 = performance.now();
for (let i = 0; i < OFFERS; i++) {
  const o = offer(i);
  const live = snapshotOffer(o, 1, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString());
  const preview = i % 50 === 0 ? snapshotOffer({ ...o, listing: { ...o.listing, name: `${o.listing.name} next` } }, 2, live.createdAt) : live;
  const publication = { liveVersion: 1, previewVersion: preview.number, distribution: 'active' as const, stoppedPlanIds: [] };
  index.put({ publisherId: o.publisherId, offerId: o.id, publisherName: o.publisherId.toUpperCase(), compiled: compileOffer({ publication, live, preview }) });
}
const buildMs = performance.now() - t0;

const queries: (() => StorefrontQuery)[] = [
  () => ({ search: pick(WORDS), orderBy: 'relevance', skip: 0, top: 20 }),
  () => ({ search: `${pick(WORDS)} ${pick(WORDS)}`, orderBy: 'relevance', skip: 0, top: 20 }),
  () => ({ search: pick(WORDS).slice(0, 3), orderBy: 'relevance', skip: 0, top: 20 }),
  () => ({ search: pick(WORDS), category: pick(CATEGORIES), orderBy: 'name', skip: 0, top: 20 }),
  () => ({ publisherId: pick(PUBLISHERS), orderBy: 'newest', skip: 0, top: 20 }),
  () => ({ orderBy: 'name', skip: 0, top: 20 }),
  () => ({ orderBy: 'name', skip: 5_000, top: 100 }),
  () => ({ category: pick(CATEGORIES), orderBy: 'publisher', skip: 0, top: 20 }),
];
const viewers = [{ subscriptionIds: [] }, { subscriptionIds: [sub(100), sub(2_000), sub(9_000_050)] }];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

for (let i = 0; i < 100; i++) index.search(pick(viewers), pick(queries)()); // warm-up
const times: number[] = [];
let hits = 0;
for (let i = 0; i < SEARCHES; i++) {
  const viewer = viewers[i % viewers.length]!;
  const query = queries[i % queries.length]!();
  const start = performance.now();
  hits += index.search(viewer, query).count;
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const ms = (v: number) => v.toFixed(2);
const result = {
  offers: OFFERS,
  searches: SEARCHES,
  buildMs: Math.round(buildMs),
  p50: ms(percentile(times, 50)),
  p95: ms(percentile(times, 95)),
  p99: ms(percentile(times, 99)),
  max: ms(times.at(-1) ?? 0),
  meanHits: Math.round(hits / SEARCHES),
};
console.log(JSON.stringify(result));

if (!argv.includes('--no-write') && !quick) {
  const here = dirname(fileURLToPath(import.meta.url));
  const lines = [
    '# Storefront search benchmark',
    '',
    `Command: \`npm run bench:storefront\` (bench/storefront-bench.ts), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} (shared machine, single run).`,
    '',
    'The storefront answers from its in-memory index (src/services/marketplace/storefront-index.ts);',
    'this times `StorefrontIndex.search` alone: the HTTP layer, token check and the caller\'s',
    'subscription look-up come on top. Mix: one word, two words, 3-letter prefixes, word + category',
    'sorted by name, publisher sorted by newest, no search sorted by name (page 1 and a page at',
    'offset 5,000 of 100), category sorted by publisher; half as an anonymous viewer, half as a viewer',
    'in private and preview audiences.',
    '',
    '| offers | searches | index build | p50 | p95 | p99 | max | mean matches |',
    '|---|---|---|---|---|---|---|---|',
    `| ${result.offers} | ${result.searches} | ${result.buildMs} ms | ${result.p50} ms | ${result.p95} ms | ${result.p99} ms | ${result.max} ms | ${result.meanHits} |`,
    '',
  ];
  writeFileSync(join(here, 'STOREFRONT.md'), lines.join('\n'));
}
