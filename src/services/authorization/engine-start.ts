/**
 * The engine's cold start (performance.md §3). The first start reads every role assignment from
 * the tables and saves a checkpoint of the engine's role assignment index with the number of the
 * last role assignment change it includes; later starts restore that checkpoint and re-read only
 * the role assignments changed since (the database numbers every change itself, by trigger, so
 * nothing written by any process is missed). Everything else (roles, groups, delegations, denies,
 * platform operators) is small and read afresh every time. A checkpoint that cannot be used is reported and the start
 * falls back to the tables.
 */
import { AuthorizationEngine } from '../../core/rbac/engine.js';
import { DomainError } from '../../core/errors.js';
import type { Store } from '../../storage/port.js';
import { listPlatformOperators } from '../operator/operator-role.js';

/** How the engine was built, for the operator's start-up line and the benchmark. */
export interface EngineStart {
  readonly engine: AuthorizationEngine;
  /** `checkpoint`: restored, then changed assignments re-read; `tables`: every role assignment read. */
  readonly from: 'checkpoint' | 'tables';
  /** Role assignments the engine held when the start was done. */
  readonly loaded: number;
  /** Role assignments re-read (put again or removed) because they changed after the checkpoint. */
  readonly replayed: number;
  /** Whether this start saved a new checkpoint, and how long that took (after the engine was built). */
  readonly saved: boolean;
  readonly saveMs: number;
  /** Why the saved checkpoint was not used, when there was one. */
  readonly refused?: string;
}

export interface EngineStartOptions {
  /**
   * Save a fresh checkpoint after a start from the tables, and after a start that replayed at
   * least this many changes (default 10,000: about a tenth of a second of re-reading).
   */
  readonly resaveAfter?: number;
}

const RESAVE_AFTER = 10_000;

/** Builds the engine from the store, from its checkpoint when it has a usable one. */
export async function startEngine(store: Store, options: EngineStartOptions = {}): Promise<EngineStart> {
  // Taken first: whatever is read afterwards includes at least every change up to here.
  const upTo = await store.authorization.lastRoleAssignmentChange();
  const restored = await restoreCheckpoint(store, upTo);
  let replayed = 0;
  let engine: AuthorizationEngine;
  if ('engine' in restored) {
    engine = restored.engine;
    await build(store, engine, async () => {
      replayed = await replayChanges(store, engine, restored.change, upTo);
    });
  } else {
    engine = await loadFromTables(store);
  }
  const from = 'engine' in restored ? 'checkpoint' : 'tables';
  const t0 = performance.now();
  const saved = (from === 'tables' || replayed >= (options.resaveAfter ?? RESAVE_AFTER)) && (await saveCheckpoint(store, engine, upTo));
  const refused = 'refused' in restored ? { refused: restored.refused } : {};
  return { engine, from, loaded: engine.roleAssignmentCount, replayed, saved, saveMs: saved ? performance.now() - t0 : 0, ...refused };
}

/**
 * Builds the engine from the tables alone. Role assignments, by far the most rows, come packed in
 * chunks; a store may read them while the rest is read and parsed here.
 */
export async function loadFromTables(store: Store): Promise<AuthorizationEngine> {
  const lines = store.authorization.roleAssignmentLines()[Symbol.asyncIterator]();
  try {
    const engine = new AuthorizationEngine();
    await build(store, engine, async () => {
      for (let chunk = await lines.next(); chunk.done !== true; chunk = await lines.next()) engine.putRoleAssignmentLines(chunk.value);
    });
    return engine;
  } catch (error) {
    await lines.return?.(); // a reader already started must not outlive a failed start
    throw error;
  }
}

// The saved checkpoint as an engine and the change it includes, why it cannot be used, or nothing.
async function restoreCheckpoint(store: Store, upTo: number): Promise<{ engine: AuthorizationEngine; change: number } | { refused: string } | { none: true }> {
  const checkpoint = await store.authorization.readRoleAssignmentCheckpoint();
  if (checkpoint === undefined) return { none: true };
  // Possible only when another process saved one between the two reads: its changes may be pruned already.
  if (checkpoint.change > upTo) return { refused: `it includes change ${checkpoint.change}, but the database's last role assignment change is ${upTo}` };
  try {
    return { engine: AuthorizationEngine.fromRoleAssignmentCheckpoint(checkpoint.data), change: checkpoint.change };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'InvalidCheckpoint') throw error;
    return { refused: error.message };
  }
}

// Everything but the role assignments read, then put in the order `load` puts things in, with the
// role assignments (`putRoleAssignments`) after groups and before the delegations and denies.
async function build(store: Store, engine: AuthorizationEngine, putRoleAssignments: () => Promise<void>): Promise<void> {
  const rest = await readRest(store);
  engine.load({ roleDefinitions: rest.roleDefinitions, memberships: rest.memberships });
  await putRoleAssignments();
  const { denyAssignments, registrationDefinitions, registrationAssignments, activations } = rest;
  // The last bulk pass also lays the role assignment index out by scope.
  engine.load({ denyAssignments, registrationDefinitions, registrationAssignments, activations });
  for (const s of rest.subscriptions) engine.putSubscription(s.subscriptionId, s.tenantId);
  for (const o of rest.operators) engine.putPlatformOperator(o.principalId);
}

// Everything but the role assignments.
async function readRest(store: Store) {
  return {
    roleDefinitions: await store.authorization.listRoleDefinitions(),
    memberships: await store.identity.listMemberships(),
    denyAssignments: await store.authorization.listDenyAssignments(),
    registrationDefinitions: await store.delegation.listDefinitions(),
    registrationAssignments: await store.delegation.listAssignments(),
    activations: await store.delegation.listActivations(),
    subscriptions: await store.resources.listSubscriptions(),
    operators: await listPlatformOperators(store),
  };
}

// Each role assignment changed in (after, upTo] as it is now: put again, or removed when it is gone.
async function replayChanges(store: Store, engine: AuthorizationEngine, after: number, upTo: number): Promise<number> {
  const ids = await store.authorization.roleAssignmentsChangedBetween(after, upTo);
  const current = await store.authorization.getRoleAssignments(ids);
  const present = new Set(current.map((a) => a.id.toLowerCase()));
  for (const id of ids) if (!present.has(id)) engine.removeRoleAssignment(id);
  for (const assignment of current) engine.putRoleAssignment(assignment);
  return ids.length;
}

async function saveCheckpoint(store: Store, engine: AuthorizationEngine, change: number): Promise<boolean> {
  const data = engine.roleAssignmentCheckpoint();
  return store.transaction((tx) => tx.authorization.saveRoleAssignmentCheckpoint({ change, data }));
}
