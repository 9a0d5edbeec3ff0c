/**
 * Cold start from SQLite, through Lantern's own store: the world is written to a new database file
 * by the SQLite adapter (its migrations, its put methods, one transaction), the store is closed and
 * opened again, and `startEngine` — what `lantern serve` runs at start — builds the engine from it,
 * three times: the first start (no checkpoint yet: every role assignment read from the tables, then
 * a checkpoint saved), a restart (the checkpoint restored), and a restart after 1,000 role
 * assignments changed (the checkpoint restored, then those re-read). Also reported: the read alone
 * (everything a start from the tables reads, drained without an engine).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/storage/open-store.js';
import type { Repositories, Store } from '../src/storage/port.js';
import type { EngineStart } from '../src/services/authorization/engine-start.js';
import type { RoleAssignment, RoleDefinition } from '../src/core/rbac/model.js';
import type { World } from './world.js';

/** One start in a fresh process (cold-start-process.ts): wall and CPU ms from process start to the first check. */
export interface TimedStart {
  readonly ms: number;
  /** Of `ms`, loading the modules (through tsx), before the store is opened. */
  readonly moduleMs: number;
  readonly cpuMs: number;
  readonly from: EngineStart['from'];
  readonly replayed: number;
  /** Of `ms`, the time spent saving a new checkpoint after the engine was built. */
  readonly saveMs: number;
}

/** The read alone, in this process: wall and CPU ms. */
export interface TimedRead {
  readonly ms: number;
  readonly cpuMs: number;
}

export interface ColdStart {
  readonly rows: number;
  readonly fileBytes: number;
  readonly checkpointBytes: number;
  readonly writeMs: number;
  readonly read: TimedRead;
  readonly first: TimedStart;
  readonly restart: TimedStart;
  readonly restartAfterChanges: TimedStart;
}

const CHANGES = 1_000;

/** Writes `world` through the SQLite store to a temp file and times starting engines from it. */
export async function coldStart(world: World, roles: readonly RoleDefinition[]): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const path = join(dir, 'lantern.db');
  try {
    const t0 = performance.now();
    const rows = await write(await openStore({ kind: 'sqlite', path }), world, roles);
    const writeMs = performance.now() - t0;
    const read = await timedRead(path);
    const first = startProcess(path);
    const restart = startProcess(path);
    const checkpointBytes = await checkpointSize(path);
    await change(path, world);
    const restartAfterChanges = startProcess(path);
    if (first.from !== 'tables' || restart.from !== 'checkpoint' || restartAfterChanges.replayed !== CHANGES) throw new Error('the cold start did not take the expected paths');
    return { rows, fileBytes: statSync(path).size, checkpointBytes, writeMs, read, first, restart, restartAfterChanges };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A start in a new Node process, as `lantern serve` starts (tsx loads the TypeScript).
function startProcess(path: string): TimedStart {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./cold-start-process.ts', import.meta.url)), path], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the cold start process failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as TimedStart;
}

// Everything a start from the tables reads, drained without an engine, on the store freshly opened.
async function timedRead(path: string): Promise<TimedRead> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const store = await openStore({ kind: 'sqlite', path });
  try {
    await readAll(store);
  } finally {
    await store.close();
  }
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function checkpointSize(path: string): Promise<number> {
  const store = await openStore({ kind: 'sqlite', path });
  try {
    return (await store.authorization.readRoleAssignmentCheckpoint())?.data.byteLength ?? 0;
  } finally {
    await store.close();
  }
}

// CHANGES role assignments changed after the checkpoint: half of them moved to another principal, half deleted.
async function change(path: string, world: World): Promise<void> {
  const store = await openStore({ kind: 'sqlite', path });
  try {
    const some: RoleAssignment[] = [];
    const ignore = () => undefined;
    world.feed({
      putRoleAssignment: (a) => void (some.length < CHANGES && some.push(a)),
      putRegistrationDefinition: ignore, putRegistrationAssignment: ignore, putMembership: ignore, putDenyAssignment: ignore, putActivation: ignore,
    });
    await store.transaction(async (tx) => {
      for (const [i, a] of some.entries()) {
        if (i % 2 === 0) await tx.authorization.putRoleAssignment({ ...a, principalId: some[i + 1]?.principalId ?? a.principalId });
        else await tx.authorization.deleteRoleAssignment(a.id);
      }
    });
  } finally {
    await store.close();
  }
}

// Everything a start from the tables reads, read and dropped.
async function readAll(store: Store): Promise<void> {
  for await (const chunk of store.authorization.roleAssignmentLines()) void chunk;
  await store.authorization.listRoleDefinitions();
  await store.identity.listMemberships();
  await store.authorization.listDenyAssignments();
  await store.delegation.listDefinitions();
  await store.delegation.listAssignments();
  await store.delegation.listActivations();
  await store.resources.listSubscriptions();
}

// The world's facts through the store's put methods, in one transaction; returns the rows written.
async function write(store: Store, world: World, roles: readonly RoleDefinition[]): Promise<number> {
  const puts: ((tx: Repositories) => Promise<void>)[] = [];
  const grants = new Set<string>();
  world.feed({
    // The store refuses a second assignment of one role to one principal at one scope (ARM's rule); the random world may draw one.
    putRoleAssignment: (a) => {
      const grant = `${a.scope.toLowerCase()} ${a.principalId.toLowerCase()} ${a.roleDefinitionId.toLowerCase()}`;
      if (grants.has(grant)) return;
      grants.add(grant);
      puts.push((tx) => tx.authorization.putRoleAssignment(a));
    },
    putRegistrationDefinition: (d) => puts.push((tx) => tx.delegation.putDefinition(d)),
    putRegistrationAssignment: (a) => puts.push((tx) => tx.delegation.putAssignment(a)),
    putMembership: (m) => puts.push((tx) => tx.identity.putMembership(m)),
    putDenyAssignment: (d) => puts.push((tx) => tx.authorization.putDenyAssignment(d)),
    putActivation: (a) => puts.push((tx) => tx.delegation.putActivation(a)),
  });
  for (const s of world.subscriptions()) {
    puts.push((tx) => tx.resources.putSubscription({ subscriptionId: s.subscriptionId, tenantId: s.tenantId, displayName: 'bench', state: 'Enabled' }));
  }
  for (const role of roles) puts.push((tx) => tx.authorization.putRoleDefinition(role));
  try {
    await store.transaction(async (tx) => {
      for (const put of puts) await put(tx);
    });
  } finally {
    await store.close();
  }
  return puts.length;
}
