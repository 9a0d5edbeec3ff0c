/**
 * Cold start from SQLite: the world is written to a temporary database file (bench-only schema,
 * better-sqlite3 directly), then streamed back into a fresh engine through its bulk load. Reported:
 * the read alone (rows materialised as the engine's input objects, then dropped) and read + index build.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationEngine } from '../src/core/rbac/engine.js';
import type { EngineSnapshot } from '../src/core/rbac/engine.js';
import type { PrincipalType } from '../src/core/identity/model.js';
import type { DenyAssignment, RoleDefinition } from '../src/core/rbac/model.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../src/core/delegation/model.js';
import type { World, WorldSink } from './world.js';

const SCHEMA = `
CREATE TABLE role_assignments (id TEXT PRIMARY KEY, scope TEXT NOT NULL, role_definition_id TEXT NOT NULL, principal_id TEXT NOT NULL, principal_type TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL);
CREATE TABLE registration_definitions (subscription_id TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (subscription_id, id));
CREATE TABLE registration_assignments (scope TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (scope, id));
CREATE TABLE group_memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, member_type TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE TABLE deny_assignments (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE activations (id TEXT PRIMARY KEY, body TEXT NOT NULL);
`;


export interface ColdStart {
  readonly rows: number;
  readonly fileBytes: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly readAndBuildMs: number;
  /** This process's CPU time (user + system) for the same two steps: less sensitive to other load. */
  readonly readCpuMs: number;
  readonly readAndBuildCpuMs: number;
}

/** Writes `world` to a temp SQLite file and times reading it back into a new engine. */
export function coldStart(world: World, roles: readonly RoleDefinition[]): ColdStart {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const file = join(dir, 'world.db');
  try {
    const t0 = performance.now();
    const rows = write(file, world);
    const writeMs = performance.now() - t0;
    const [readMs, readCpuMs] = timed(() => load(file, undefined));
    const [readAndBuildMs, readAndBuildCpuMs] = timed(() => {
      const engine = new AuthorizationEngine();
      for (const role of roles) engine.putRoleDefinition(role);
      load(file, engine);
    });
    return { rows, fileBytes: statSync(file).size, writeMs, readMs, readAndBuildMs, readCpuMs, readAndBuildCpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// [wall ms, CPU ms] of f.
function timed(f: () => void): [number, number] {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  f();
  const cpu = process.cpuUsage(c0);
  return [performance.now() - t0, (cpu.user + cpu.system) / 1000];
}

function write(file: string, world: World): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
  const ra = db.prepare('INSERT INTO role_assignments VALUES (?, ?, ?, ?, ?, ?, ?)');
  const def = db.prepare('INSERT INTO registration_definitions VALUES (?, ?, ?)');
  const reg = db.prepare('INSERT INTO registration_assignments VALUES (?, ?, ?)');
  const member = db.prepare('INSERT OR IGNORE INTO group_memberships VALUES (?, ?, ?)');
  const deny = db.prepare('INSERT INTO deny_assignments VALUES (?, ?)');
  const activation = db.prepare('INSERT INTO activations VALUES (?, ?)');
  let rows = 0;
  const count = <T extends unknown[]>(f: (...a: T) => unknown) => (...a: T) => {
    rows++;
    f(...a);
  };
  const sink: WorldSink = {
    putRoleAssignment: count((a) => ra.run(a.id, a.scope, a.roleDefinitionId, a.principalId, a.principalType, a.createdAt, a.createdBy)),
    putRegistrationDefinition: count((d) => def.run(d.subscriptionId, d.id, JSON.stringify(d))),
    putRegistrationAssignment: count((a) => reg.run(a.scope, a.id, JSON.stringify(a))),
    putMembership: count((m) => member.run(m.groupId, m.memberId, m.memberType)),
    putDenyAssignment: count((d) => deny.run(d.id, JSON.stringify(d))),
    putActivation: count((a) => activation.run(a.id, JSON.stringify(a))),
  };
  db.transaction(() => world.feed(sink))();
  db.close();
  return rows;
}

// Streams every table into the engine's bulk load, or (with no engine) materialises the same input
// objects and drops them. Only the columns that decide access are read (a role assignment's type and
// audit columns are not), as raw rows of values rather than keyed objects.
function load(file: string, engine: AuthorizationEngine | undefined): void {
  const db = new Database(file, { readonly: true });
  function* rows<T>(sql: string, f: (r: string[]) => T): Generator<T> {
    for (const r of db.prepare(sql).raw(true).iterate()) yield f(r as string[]);
  }
  const bodies = <T>(sql: string) => rows(sql, (r) => JSON.parse(r[0] as string) as T);
  const snapshot: EngineSnapshot = {
    memberships: rows('SELECT group_id, member_id, member_type FROM group_memberships', (r) => ({ groupId: r[0] as string, memberId: r[1] as string, memberType: r[2] as PrincipalType })),
    roleAssignments: rows('SELECT id, scope, role_definition_id, principal_id FROM role_assignments', (r) => ({ id: r[0] as string, scope: r[1] as string, roleDefinitionId: r[2] as string, principalId: r[3] as string })),
    denyAssignments: bodies<DenyAssignment>('SELECT body FROM deny_assignments'),
    registrationDefinitions: bodies<RegistrationDefinition>('SELECT body FROM registration_definitions'),
    registrationAssignments: bodies<RegistrationAssignment>('SELECT body FROM registration_assignments'),
    activations: bodies<EligibleActivation>('SELECT body FROM activations'),
  };
  if (engine) engine.load(snapshot);
  else for (const stream of Object.values(snapshot) as Iterable<unknown>[]) for (const item of stream) void item;
  db.close();
}
