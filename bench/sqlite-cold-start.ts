/**
 * Cold start from SQLite, through Lantern's own store: the world is written to a new database file
 * by the SQLite adapter (its migrations, its put methods, one transaction), the store is closed and
 * opened again, and `loadEngine` — what `lantern serve` runs at start — builds a fresh engine from
 * it. Reported: the read alone (everything loadEngine reads, drained without an engine) and
 * loadEngine whole (read + build; the role assignments are read on a worker thread while the engine
 * takes earlier chunks in, so the two overlap).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/storage/open-store.js';
import type { Repositories, Store } from '../src/storage/port.js';
import { loadEngine } from '../src/services/authorization/access-service.js';
import type { RoleDefinition } from '../src/core/rbac/model.js';
import type { World } from './world.js';

export interface ColdStart {
  readonly rows: number;
  readonly fileBytes: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly readAndBuildMs: number;
  /** This process's CPU time (user + system, every thread) for the same two steps. */
  readonly readCpuMs: number;
  readonly readAndBuildCpuMs: number;
}

/** Writes `world` through the SQLite store to a temp file and times loading it back into a new engine. */
export async function coldStart(world: World, roles: readonly RoleDefinition[]): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const path = join(dir, 'lantern.db');
  try {
    const t0 = performance.now();
    const rows = await write(await openStore({ kind: 'sqlite', path }), world, roles);
    const writeMs = performance.now() - t0;
    const [readMs, readCpuMs] = await timed(path, readAll);
    const [readAndBuildMs, readAndBuildCpuMs] = await timed(path, async (store) => {
      const engine = await loadEngine(store);
      if (engine.roleAssignmentCount === 0) throw new Error('the cold start loaded nothing');
    });
    return { rows, fileBytes: statSync(path).size, writeMs, readMs, readAndBuildMs, readCpuMs, readAndBuildCpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// [wall ms, CPU ms] of `f` on the store freshly opened (opening and migrating it is timed too, as at start).
async function timed(path: string, f: (store: Store) => Promise<void>): Promise<[number, number]> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const store = await openStore({ kind: 'sqlite', path });
  try {
    await f(store);
  } finally {
    await store.close();
  }
  const cpu = process.cpuUsage(c0);
  return [performance.now() - t0, (cpu.user + cpu.system) / 1000];
}

// Everything loadEngine reads, read and dropped.
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
  world.feed({
    putRoleAssignment: (a) => puts.push((tx) => tx.authorization.putRoleAssignment(a)),
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
