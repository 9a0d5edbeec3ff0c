/**
 * Cold start from SQLite: the world is written to a temporary database file (bench-only schema,
 * better-sqlite3 directly), then read back row by row into a fresh engine. Reported: the read alone
 * (rows materialised as the engine's input objects, then dropped) and read + index build.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationEngine } from '../src/core/rbac/engine.js';
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

interface RaRow { id: string; scope: string; role_definition_id: string; principal_id: string; principal_type: 'User' | 'Group' | 'ServicePrincipal'; created_at: string; created_by: string }
interface MembershipRow { group_id: string; member_id: string; member_type: 'User' | 'Group' | 'ServicePrincipal' }

export interface ColdStart {
  readonly rows: number;
  readonly fileBytes: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly readAndBuildMs: number;
}

/** Writes `world` to a temp SQLite file and times reading it back into a new engine. */
export function coldStart(world: World, roles: readonly RoleDefinition[]): ColdStart {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
  const file = join(dir, 'world.db');
  try {
    const t0 = performance.now();
    const rows = write(file, world);
    const writeMs = performance.now() - t0;
    const readMs = timed(() => load(file, undefined));
    const readAndBuildMs = timed(() => {
      const engine = new AuthorizationEngine();
      for (const role of roles) engine.putRoleDefinition(role);
      load(file, engine);
    });
    return { rows, fileBytes: statSync(file).size, writeMs, readMs, readAndBuildMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timed(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
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

// Reads every table in dependency order; with no engine the rows are materialised and dropped.
function load(file: string, engine: AuthorizationEngine | undefined): void {
  const db = new Database(file, { readonly: true });
  const put = <T>(sql: string, f: (row: T) => void) => {
    for (const row of db.prepare(sql).iterate()) f(row as T);
  };
  const bodies = <T>(sql: string, f: (value: T) => void) => put<{ body: string }>(sql, (r) => f(JSON.parse(r.body) as T));
  put<MembershipRow>('SELECT group_id, member_id, member_type FROM group_memberships', (r) => {
    const m = { groupId: r.group_id, memberId: r.member_id, memberType: r.member_type };
    engine?.putMembership(m);
  });
  put<RaRow>('SELECT * FROM role_assignments', (r) => {
    const a = { id: r.id, scope: r.scope, roleDefinitionId: r.role_definition_id, principalId: r.principal_id, principalType: r.principal_type, createdAt: r.created_at, createdBy: r.created_by };
    engine?.putRoleAssignment(a);
  });
  bodies<RegistrationDefinition>('SELECT body FROM registration_definitions', (d) => engine?.putRegistrationDefinition(d));
  bodies<RegistrationAssignment>('SELECT body FROM registration_assignments', (a) => engine?.putRegistrationAssignment(a));
  bodies<DenyAssignment>('SELECT body FROM deny_assignments', (d) => engine?.putDenyAssignment(d));
  bodies<EligibleActivation>('SELECT body FROM activations', (a) => engine?.putActivation(a));
  db.close();
}
