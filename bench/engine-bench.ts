/**
 * Benchmark of the authorization engine (performance.md §3–4), single core, in-process:
 * throughput (batch-timed), per-call latency, index memory per assignment, cold start from SQLite,
 * and node-casbin 5 side by side after a shared truth table.
 *
 *   npm run bench                                  # full run: 10^3, 10^5, 10^6 (~several minutes)
 *   npm run bench -- --sizes 1e3,1e4 --no-sqlite    # quick run
 * Flags: --sizes, --casbin-sizes, --sqlite-size, --no-sqlite, --no-casbin, --requests, --truth,
 *        --runs, --no-write (do not rewrite bench/RESULTS.md and bench/results.json).
 */
import { spawnSync, execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthorizationEngine, PreparedAction, PreparedCaller } from '../src/core/rbac/engine.js';
import type { CheckRequest, EngineSnapshot } from '../src/core/rbac/engine.js';
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '../src/core/rbac/model.js';
import type { GroupMembership } from '../src/core/identity/model.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../src/core/delegation/model.js';
import { parseAzRoleDefinitions } from '../src/core/roles/import-az-roles.js';
import { CasbinSide } from './casbin-side.js';
import { coldStart, type TimedStart } from './sqlite-cold-start.js';
import type { ColdStart } from './sqlite-cold-start.js';
import { World, shapeFor } from './world.js';
import type { WorldSink } from './world.js';
import { BUILTIN_ROLES_FILE } from '../test/support/shared-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROLES_FILE = BUILTIN_ROLES_FILE;

// Memory is measured after explicit collections, so re-spawn with --expose-gc when it is missing.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

interface Options {
  sizes: number[];
  casbinSizes: number[];
  sqliteSize: number | undefined;
  requests: number;
  truth: number;
  runs: number;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string, fallback: number[]) => value(name)?.split(',').map(Number) ?? fallback;
  const sizes = list('--sizes', [1e3, 1e5, 1e6]);
  return {
    sizes,
    casbinSizes: argv.includes('--no-casbin') ? [] : list('--casbin-sizes', [1e3, 1e5]).filter((s) => sizes.includes(s)),
    sqliteSize: argv.includes('--no-sqlite') ? undefined : Number(value('--sqlite-size') ?? Math.max(...sizes)),
    requests: Number(value('--requests') ?? 200_000),
    truth: Number(value('--truth') ?? 10_000),
    runs: Number(value('--runs') ?? 5),
    write: !argv.includes('--no-write'),
  };
}

interface Throughput {
  median: number;
  min: number;
  max: number;
  runs: number[];
  /** checks per second of process CPU time (user + system), less sensitive to other load */
  perCpuSecond: number;
}

interface SizeResult {
  size: number;
  assignments: number;
  roleAssignments: number;
  delegatedAuthorizations: number;
  tenants: number;
  principals: number;
  buildMs: number;
  bytesPerAssignment: number;
  roleCatalogBytes: number;
  checksPerSecond: Throughput;
  hotChecksPerSecond: Throughput;
  freshChecksPerSecond: Throughput;
  preparedFreshChecksPerSecond: Throughput;
  latencyNs: { p50: number; p99: number; p999: number; max: number; timerOverheadNs: number; samples: number };
  allowedShare: number;
  casbin?: { loadMs: number; policies: number; groupings: number; truthTable: number; disagreements: number; examples: string[]; checksPerSecond: number; engineOverCasbin: number };
  coldStart?: ColdStart & { perMillionMs: number };
}

const NOOP_SINK: WorldSink = {
  putRoleAssignment: () => undefined,
  putRegistrationDefinition: () => undefined,
  putRegistrationAssignment: () => undefined,
  putMembership: () => undefined,
  putDenyAssignment: () => undefined,
  putActivation: () => undefined,
};

// The world as one bulk load, as a start from the tables hands a store's contents to the engine.
// In a frame of its own, so no interpreter register keeps the input objects alive when memory is measured.
function load(engine: AuthorizationEngine, world: World): void {
  engine.load(snapshotOf(world));
}

function snapshotOf(world: World): EngineSnapshot {
  const s = { memberships: [] as GroupMembership[], roleAssignments: [] as RoleAssignment[], denyAssignments: [] as DenyAssignment[], registrationDefinitions: [] as RegistrationDefinition[], registrationAssignments: [] as RegistrationAssignment[], activations: [] as EligibleActivation[] };
  world.feed({
    putMembership: (m) => s.memberships.push(m),
    putRoleAssignment: (a) => s.roleAssignments.push(a),
    putDenyAssignment: (d) => s.denyAssignments.push(d),
    putRegistrationDefinition: (d) => s.registrationDefinitions.push(d),
    putRegistrationAssignment: (a) => s.registrationAssignments.push(a),
    putActivation: (a) => s.activations.push(a),
  });
  return s;
}

const mem = () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function throughput(engine: AuthorizationEngine, requests: CheckRequest[], runs: number): Throughput {
  const perRun = 200_000;
  const out: number[] = [];
  const perCpuSecond: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let done = 0;
    while (done < perRun) {
      for (const req of requests) if (engine.check(req)) sink++;
      done += requests.length;
    }
    out.push(done / (Number(process.hrtime.bigint() - t0) / 1e9));
    const cpu = process.cpuUsage(cpu0);
    perCpuSecond.push(done / ((cpu.user + cpu.system) / 1e6));
  }
  if (sink < 0) console.log(sink); // keeps the loop observable
  return summarize(out, perCpuSecond);
}

function summarize(runs: number[], perCpuSecond: number[]): Throughput {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs, perCpuSecond: median(perCpuSecond) };
}

// As a server meets them: each batch of 1,000 requests is parsed from JSON just before it is checked
// (untimed), so the strings are new, in cache, and not yet hashed; only the checks are timed.
// `prepared`: as Lantern's access service checks, with the caller prepared once per token and the action
// once per operation (untimed, as a token's first request and a route's first call pay it), so only the
// scope string of each request is new.
function freshThroughput(engine: AuthorizationEngine, requests: CheckRequest[], runs: number, prepared = false): Throughput {
  const callers = new Map<string, PreparedCaller>();
  const actions = new Map<string, PreparedAction>();
  const callerOf = (r: CheckRequest) => {
    const key = `${r.principalId} ${r.tenantId}`;
    return callers.get(key) ?? callers.set(key, new PreparedCaller(r.principalId, r.tenantId)).get(key)!;
  };
  const actionOf = (r: CheckRequest) => {
    const key = `${r.action} ${String(r.dataAction === true)}`;
    return actions.get(key) ?? actions.set(key, new PreparedAction(r.action, r.dataAction === true)).get(key)!;
  };
  const batches: string[] = [];
  for (let i = 0; i < requests.length; i += 1000) batches.push(JSON.stringify(requests.slice(i, i + 1000)));
  const out: number[] = [];
  const perCpuSecond: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    let ns = 0;
    let cpuUs = 0;
    let done = 0;
    for (const text of batches) {
      const batch = JSON.parse(text) as CheckRequest[];
      const handles = prepared ? batch.map((req) => ({ caller: callerOf(req), action: actionOf(req) })) : [];
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      if (prepared) {
        for (let i = 0; i < batch.length; i++) {
          const req = batch[i]!;
          const h = handles[i]!;
          if (engine.checkPrepared(h.caller, h.action, req.scope, req.at)) sink++;
        }
      } else {
        for (const req of batch) if (engine.check(req)) sink++;
      }
      ns += Number(process.hrtime.bigint() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuUs += cpu.user + cpu.system;
      done += batch.length;
    }
    out.push(done / (ns / 1e9));
    perCpuSecond.push(done / (cpuUs / 1e6));
  }
  if (sink < 0) console.log(sink);
  return summarize(out, perCpuSecond);
}

function latency(engine: AuthorizationEngine, requests: CheckRequest[]): SizeResult['latencyNs'] {
  const overheads = new Float64Array(100_000);
  for (let i = 0; i < overheads.length; i++) {
    const t0 = process.hrtime.bigint();
    overheads[i] = Number(process.hrtime.bigint() - t0);
  }
  const timerOverheadNs = median(Array.from(overheads));
  const samples = new Float64Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const req = requests[i] as CheckRequest;
    const t0 = process.hrtime.bigint();
    engine.check(req);
    samples[i] = Math.max(0, Number(process.hrtime.bigint() - t0) - timerOverheadNs);
  }
  samples.sort();
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] as number;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: samples[samples.length - 1] as number, timerOverheadNs, samples: samples.length };
}

async function withCasbin(world: World, roles: readonly RoleDefinition[], engine: AuthorizationEngine, requests: CheckRequest[], engineRate: number): Promise<NonNullable<SizeResult['casbin']>> {
  const side = new CasbinSide(roles);
  const t0 = performance.now();
  world.feed(side);
  const counts = await side.build();
  const loadMs = performance.now() - t0;
  let disagreements = 0;
  const examples: string[] = [];
  const c0 = performance.now();
  for (const req of requests) {
    const theirs = side.check(req);
    if (theirs !== engine.check(req)) {
      disagreements++;
      if (examples.length < 5) examples.push(`${req.principalId} ${req.action} ${req.scope}: casbin ${theirs}`);
    }
  }
  const checksPerSecond = requests.length / ((performance.now() - c0) / 1000);
  return { loadMs, ...counts, truthTable: requests.length, disagreements, examples, checksPerSecond, engineOverCasbin: engineRate / checksPerSecond };
}

async function runSize(size: number, roles: readonly RoleDefinition[], opts: Options): Promise<SizeResult> {
  const world = new World(shapeFor(size), roles);
  const m0 = mem();
  const engine = new AuthorizationEngine();
  for (const role of roles) engine.putRoleDefinition(role);
  const m1 = mem();
  const t0 = performance.now();
  load(engine, world);
  const feedMs = performance.now() - t0;
  const m2 = mem();

  // As an HTTP layer would hand them over: parsed from JSON, so every string is flat and fresh.
  const requests = JSON.parse(JSON.stringify(world.requests(opts.requests))) as CheckRequest[];
  let allowed = 0;
  for (const req of requests) if (engine.check(req)) allowed++; // warm-up, and the allow share
  const checksPerSecond = throughput(engine, requests, opts.runs);
  // The same mix from a pool of 1,000 requests, which stays in the CPU caches.
  const hot = throughput(engine, requests.slice(0, 1000), opts.runs);
  console.log(`  hot pool: ${Math.round(hot.median).toLocaleString('en-US')} checks/s, ${Math.round(hot.perCpuSecond).toLocaleString('en-US')} per CPU-second`);
  const fresh = freshThroughput(engine, requests, opts.runs);
  console.log(`  fresh strings: ${Math.round(fresh.median).toLocaleString('en-US')} checks/s`);
  const preparedFresh = freshThroughput(engine, requests, opts.runs, true);
  console.log(`  prepared caller and action, fresh scope strings: ${Math.round(preparedFresh.median).toLocaleString('en-US')} checks/s`);
  console.log(`  ${Math.round(checksPerSecond.median).toLocaleString('en-US')} checks/s (median of ${opts.runs}), ${Math.round(checksPerSecond.perCpuSecond).toLocaleString('en-US')} per CPU-second, load ${loadavg()[0]?.toFixed(1)}`);
  const lat = latency(engine, requests);
  console.log(`  p50 ${lat.p50} ns, p99 ${lat.p99} ns, p99.9 ${lat.p999} ns`);
  // Making the input objects and strings is the workload's cost, not the engine's: timed apart, last,
  // so its garbage does not shape the heap the engine was measured in.
  const g0 = performance.now();
  world.feed(NOOP_SINK);
  const buildMs = feedMs - (performance.now() - g0);
  console.log(`  built ${world.assignmentCount} assignments in ${buildMs.toFixed(0)} ms, ${((m2 - m1) / world.assignmentCount).toFixed(1)} B/assignment`);
  const result: SizeResult = {
    size,
    assignments: world.assignmentCount,
    roleAssignments: world.shape.localAssignments,
    delegatedAuthorizations: world.assignmentCount - world.shape.localAssignments,
    tenants: world.shape.tenants,
    principals: world.principalCount,
    buildMs,
    bytesPerAssignment: (m2 - m1) / world.assignmentCount,
    roleCatalogBytes: m1 - m0,
    checksPerSecond,
    hotChecksPerSecond: hot,
    freshChecksPerSecond: fresh,
    preparedFreshChecksPerSecond: preparedFresh,
    latencyNs: lat,
    allowedShare: allowed / requests.length,
  };
  if (opts.casbinSizes.includes(size)) {
    result.casbin = await withCasbin(world, roles, engine, requests.slice(0, opts.truth), checksPerSecond.median);
    console.log(`  casbin: ${result.casbin.checksPerSecond.toFixed(0)} checks/s, ${result.casbin.disagreements} disagreements in ${result.casbin.truthTable}`);
  }
  if (opts.sqliteSize === size) {
    const cs = await coldStart(world, roles);
    // Per 10^6 assignments: loading the modules is a fixed cost of the process, not of the assignments (shown apart).
    const r = cs.restartAfterChanges;
    result.coldStart = { ...cs, perMillionMs: ((r.ms - r.moduleMs) * 1e6) / world.assignmentCount };
    const t = (s: TimedStart) => `${s.ms.toFixed(0)} ms (modules ${s.moduleMs.toFixed(0)} ms, CPU ${s.cpuMs.toFixed(0)} ms${s.saveMs > 0 ? `, saving ${s.saveMs.toFixed(0)} ms` : ''})`;
    console.log(`  cold start: read ${cs.read.ms.toFixed(0)} ms; first start ${t(cs.first)}; restart ${t(cs.restart)}; restart after ${cs.restartAfterChanges.replayed} changes ${t(cs.restartAfterChanges)}; load ${loadavg()[0]?.toFixed(1)}`);
  }
  return result;
}

function markdown(results: SizeResult[], meta: Record<string, string>): string {
  const n = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const us = (ns: number) => n(ns / 1000, 2);
  const rows = results.map((r) =>
    `| ${n(r.assignments)} | ${n(r.roleAssignments)} + ${n(r.delegatedAuthorizations)} | ${n(r.principals)} | ${n(r.buildMs)} | **${n(r.bytesPerAssignment, 1)}** | **${n(r.checksPerSecond.median)}** (${n(r.checksPerSecond.min)}–${n(r.checksPerSecond.max)}) | ${n(r.checksPerSecond.perCpuSecond)} | ${n(r.hotChecksPerSecond.median)} (${n(r.hotChecksPerSecond.perCpuSecond)}) | ${n(r.freshChecksPerSecond.median)} (${n(r.freshChecksPerSecond.min)}–${n(r.freshChecksPerSecond.max)}) | **${n(r.preparedFreshChecksPerSecond.median)}** (${n(r.preparedFreshChecksPerSecond.min)}–${n(r.preparedFreshChecksPerSecond.max)}) | ${us(r.latencyNs.p50)} | **${us(r.latencyNs.p99)}** | ${us(r.latencyNs.p999)} | ${n(r.allowedShare * 100, 1)} % |`,
  );
  const casbin = results.filter((r) => r.casbin).map((r) => {
    const c = r.casbin!;
    return `| ${n(r.assignments)} | ${n(c.loadMs)} | ${n(c.policies)} p / ${n(c.groupings)} g | ${n(c.checksPerSecond)} | ${n(r.checksPerSecond.median)} | **${n(c.engineOverCasbin)}×** | ${c.disagreements} / ${n(c.truthTable)} |`;
  });
  const cold = results.filter((r) => r.coldStart).map((r) => {
    const c = r.coldStart!;
    const start = (s: TimedStart) => `${n(s.ms)} (${n(s.cpuMs)}; modules ${n(s.moduleMs)})`;
    return `| ${n(r.assignments)} | ${n(c.rows)} | ${n(c.fileBytes / 1e6, 1)} MB | ${n(c.checkpointBytes / 1e6, 1)} MB | ${n(c.writeMs)} | ${n(c.read.ms)} (${n(c.read.cpuMs)}) | ${start(c.first)}, of which saving ${n(c.first.saveMs)} | ${start(c.restart)} | **${start(c.restartAfterChanges)}** | ${n(c.perMillionMs)} |`;
  });
  const find = (size: number) => results.find((r) => r.size === size);
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured in this run' : ok ? '**met**' : '**not met**');
  const r5 = find(1e5);
  const r6 = find(1e6);
  const bytes = results.filter((r) => r.size >= 1e5);
  const cs = results.find((r) => r.coldStart)?.coldStart;
  const speedups = results.flatMap((r) => (r.casbin ? [r.casbin.engineOverCasbin] : []));
  return `# Authorization engine benchmark

Generated by \`bench/engine-bench.ts\` on ${meta.date} (commit \`${meta.commit}\`).

- Machine: ${meta.machine}
- Node: ${meta.node}
- Command: \`${meta.command}\`
- Load average (1 min) when the run started / ended: ${meta.loadStart} / ${meta.loadEnd}. Other engineers' builds and tests share these 2 vCPUs, so wall-clock
  figures are depressed; "per CPU-second" divides by this process's own CPU time instead (still inflated by cache sharing).
- Single thread, in-process, no pinning. Throughput is batch-timed over 200,000 checks per run (${results[0]?.checksPerSecond.runs.length ?? 0} runs: median, min–max).
  Latency is per call (\`process.hrtime.bigint()\` around each check, minus the median timer overhead of ${n(results[0]?.latencyNs.timerOverheadNs ?? 0)} ns),
  over the ${n(results[0]?.latencyNs.samples ?? 0)}-request pool. "Build" excludes making the input objects (timed apart). Memory is \`heapUsed + arrayBuffers\` after \`gc()\`, before and after feeding the world
  (the 928-role catalog is loaded first and not counted: ${n((results[0]?.roleCatalogBytes ?? 0) / 1e6, 1)} MB).

## Workload (performance.md §4, seeded)
Customer tenants × 2 subscriptions × 3 resource groups × 3 resources (6 real resource types); one Lighthouse delegation per subscription
(20 % at a resource group) to one of the MSP tenants, 10 authorizations each (70 % to MSP groups, 30 % to users, 12 real Lighthouse-eligible
built-in roles) plus one eligible authorization; MSP groups nested 3 deep (fan-out 3), users in 1–3 groups; customer-local assignments of
12 real built-in roles to users and groups at subscription (20 %), resource group (40 %) and resource (40 %) scope; 1 system deny assignment
(\`*/delete\`, \`*/write\` for All Principals) per 100 tenants; 1 JIT activation per 100 delegations, half live. "Assignments" = role assignments +
delegated authorizations. Requests: 55 % reads, 15 % writes, 5 % deletes hitting NotActions, 10 % actions matched only through wildcards
(random literal actions of the built-in catalog), 5 % \`roleAssignments/write\`, 10 % non-delegated or non-existent scopes; half from MSP users,
half from customer users; each request has its own freshly built strings.

## Engine

| assignments | role + delegated | principals | build ms | B / assignment | checks/s, request pool (min–max) | … per CPU-second | checks/s, hot pool of 1,000 (per CPU-s) | checks/s, fresh strings (min–max) | checks/s, prepared caller and action, fresh scope (min–max) | p50 µs | p99 µs | p99.9 µs | allowed |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

## Cold start from SQLite
The world is written through Lantern's own SQLite store (its migrations and put methods, one transaction; the 928 built-in roles and one
row per customer subscription included) to a temporary file. Then three starts, each in a new Node process that runs what
\`lantern serve\` runs (\`bench/cold-start-process.ts\`: tsx loads the TypeScript, the store is opened and migrated, \`startEngine\`
builds the engine, one check is answered), timed from process start to that first check:
"first start": no checkpoint yet, so every role assignment is read from the tables (packed line chunks read on a worker thread while the
main thread reads the other tables and parses earlier chunks), then a checkpoint of the engine's role assignment index is saved;
"restart": the checkpoint is restored (checksummed, every table bound-checked) and the rest (roles, groups, delegations, denies,
subscriptions) is read as entities; "restart after changes": the same after 1,000 role assignments were changed through the store (half
moved to another principal, half deleted): the database's trigger-numbered change log names them and they are re-read. "read" drains
everything a first start reads, without an engine, in the benchmark's process. The file is in the OS page cache (warm). Figures are wall ms
(CPU ms of every thread); "modules" is the part before the store is opened. The target is judged on the restart after changes; a first
start happens once per database (after an import, or when the checkpoint format changes).

| assignments | rows | file | checkpoint | write ms | read ms | first start ms | restart ms | restart after 1,000 changes ms | per 10^6 assignments, store open → first check ms |
|---|---|---|---|---|---|---|---|---|---|
${cold.join('\n') || '| – | not run | | | | | | | | |'}

## node-casbin ${meta.casbin} side by side
RBAC with domains, exact scope domains; the caller walks ancestors × (principal + transitive groups), one \`enforceSync\` per (scope, identity).
Each role block is one \`p\` row carrying its own NotActions regex (Casbin's deny effect is global, Azure's NotActions are per role);
delegated authorizations are grouping rules in a \`scope#managingTenant\` domain; JIT activations live at the check time are added as grouping
rules; deny assignments are a second enforcer. Casbin's time is measured over the truth table itself (the first ${n(results.find((r) => r.casbin)?.casbin?.truthTable ?? 0)} requests).

| assignments | casbin load ms | rules | casbin checks/s | engine checks/s | engine ÷ casbin | disagreements |
|---|---|---|---|---|---|---|
${casbin.join('\n') || '| – | not run | | | | | |'}

## Targets
| target | result |
|---|---|
| ≥ 1,000,000 checks/s at 10^5 | ${verdict(r5 && r5.checksPerSecond.median >= 1e6)}${r5 ? ` (${n(r5.checksPerSecond.median)})` : ''} |
| p99 ≤ 10 µs at 10^6 | ${verdict(r6 && r6.latencyNs.p99 <= 10_000)}${r6 ? ` (${us(r6.latencyNs.p99)} µs)` : ''} |
| ≤ 150 B per assignment (10^5, 10^6) | ${verdict(bytes.length ? bytes.every((r) => r.bytesPerAssignment <= 150) : undefined)}${bytes.map((r) => ` ${n(r.bytesPerAssignment, 1)} B at ${n(r.assignments)}`).join(';')} |
| cold start ≤ 2 s per 10^6 assignments | ${verdict(cs && cs.perMillionMs <= 2000)}${cs ? ` (restart after 1,000 changes: ${n(cs.perMillionMs)} ms per 10^6 from opening the store to the first check; ${n(cs.restartAfterChanges.ms)} ms from process start, of which ${n(cs.restartAfterChanges.moduleMs)} ms loading modules; a first start, from the tables: ${n(cs.first.ms)} ms)` : ''} |
| ≥ 500× casbin throughput | ${verdict(speedups.length ? speedups.every((s) => s >= 500) : undefined)}${speedups.map((s) => ` ${n(s)}×`).join(';')} |

${meta.notes}
`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const loadStart = (loadavg()[0] ?? 0).toFixed(1);
  const file = (await import(ROLES_FILE, { with: { type: 'json' } })) as { default: unknown };
  const roles = parseAzRoleDefinitions(file.default);
  const results: SizeResult[] = [];
  for (const size of opts.sizes) {
    console.log(`size ${size.toLocaleString('en-US')}`);
    results.push(await runSize(size, roles, opts));
  }
  const cpu = cpus();
  const meta = {
    date: new Date().toISOString(),
    commit: execSync('git rev-parse --short HEAD', { cwd: here }).toString().trim(),
    machine: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} vCPU, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}`,
    node: process.version,
    casbin: (JSON.parse(readFileSync(join(here, '..', 'node_modules', 'casbin', 'package.json'), 'utf8')) as { version: string }).version,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    notes: NOTES,
    loadStart,
    loadEnd: (loadavg()[0] ?? 0).toFixed(1),
  };
  if (opts.write) {
    writeFileSync(join(here, 'results.json'), JSON.stringify({ ...meta, options: opts, results }, null, 2) + '\n');
    writeFileSync(join(here, 'RESULTS.md'), markdown(results, meta));
    console.log('wrote bench/RESULTS.md and bench/results.json');
  }
}

const NOTES = `## Caveats
- One machine, one process, no core pinning, no 10 s warm-up: one untimed pass over the requests warms the caches, then the runs.
- The world is handed to the engine in one \`engine.load\` (the bulk path a start from the tables uses), which sizes the tables once
  and lays each scope's role assignments out contiguously, in scope order. Later puts append to a scope's segment (moving it, with doubled
  capacity, when full) and the pool is compacted when moved-away space reaches half of it, so an index built by puts alone holds up to
  about 20 B per assignment more than the figures here until its next compaction.
- The engine caches resolved request scopes (each entry also says whether a deny assignment is held at or above the scope), callers
  (identities and last tenant, by principal id), the id of each action string, and every role's verdict per action (one byte per role
  and action). The scope and caller caches hold at least 131,072 entries, or as many as the index holds scopes or principals, and are
  cleared when full. Their memory is not part of "B / assignment" (it depends on the traffic, not on the assignments held); an entry
  costs a dictionary slot and keeps its key string alive.
- Three throughput figures, because each input set flatters something. "Request pool": 200,000 requests parsed from JSON once and
  reused across runs. "Hot pool": the first 1,000 of them, everything in the CPU caches. "Fresh strings": each batch of 1,000 is
  parsed from JSON just before it is checked (untimed), as a server meets its requests: strings in cache but never hashed, so every
  lookup hashes its key first (V8 hashes ≈ 1.5–5 ns per character here; a scope is ≈ 125 characters). The target is judged on the
  request pool.
- What the reuse does to the request pool: V8 has hashed every string, and since the engine's caches are null-prototype objects, it
  has internalized each request string on the warm-up pass (found again by identity); its garbage collector then lets the requests
  share one copy of each distinct string. Measured at 10^5, the parsed pool takes ≈ 200 MB of heap, and after one pass it adds
  nothing beyond what the engine's caches keep anyway. The request objects and strings still come from DRAM, but far fewer of them:
  part of this round's gain on the request pool is this, a property of reused input, not of the engine. The hot pool and the 10^6
  row show the engine's own gains; "fresh strings" is the figure a check by strings meets when every string is new, and
  "prepared" the one Lantern's access service meets: the caller prepared once per token and the action once per operation
  (\`PreparedCaller\`, \`PreparedAction\`), so only the request's scope string is new and hashed.
- Memory counts the engine only: interned strings, the scope tree, the role-assignment segments with their id index, delegations,
  and the group graph (direct edges only: transitive groups are derived per caller and cached with the caller's identities).
- Casbin is measured in mode (a) of performance.md (fair: exact domains, caller-side walk), not the idiomatic domain-pattern model.

## What changed in this round, and where the time still goes
- Callers are flat records (tenant, identity count, identities) in one Int32Array, found by one dictionary lookup on the principal id
  as given (caller-cache.ts); a cached caller object holding a typed array cost three dependent memory reads more.
- The request-scope cache, the caller index and the action ids are null-prototype objects instead of Maps: V8 internalizes their
  keys, and finds a string looked up before by identity, where a Map compares it character by character with its key and with every
  other key of equal length in its bucket (request scopes are mostly of one length). The interners stay Maps: filling a dictionary
  with 10^5 names at a cold start cost ≈ 200 ms more.
- Each node's Lighthouse delegations (tenant, registration, then the (principal, role) pairs of its definition) are laid out in one
  shared Int32Array with a record of start, end, definitions version and activation count per node with extras (int-runs.ts); the
  walk reads two arrays instead of node extras → registrations → delegations array → its buffer.
- The scope and caller caches grow with the index (at least as many entries as it has scopes or principals). Cleared at a fixed
  131,072 entries, the scope cache missed 72 % of the 10^6 request pool, which spans ≈ 138,000 distinct scopes, and every miss
  re-hashed the scope in JavaScript.
- Where a check's time goes now (profile at 10^5, request pool): the four request strings and the request object (≈ 60 % of a
  check: each is a DRAM miss, then a dictionary probe), and the walk (≈ 25 %, one or two misses per level). With fresh strings,
  V8 hashing the scope alone is ≈ 0.5 µs.
- Cold start: restoring the checkpoint and reading the other tables (roles, memberships, registration definitions and assignments
  as entities: ≈ 0.8 s of a 10^6 start) are unchanged this round.`;

await main();
