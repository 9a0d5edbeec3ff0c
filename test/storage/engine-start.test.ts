// The engine's cold start from a real store: from the tables, from a checkpoint plus the changes
// since, refusing a damaged checkpoint, and a failed start leaving no reader behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { loadFromTables, startEngine } from '../../src/services/authorization/engine-start.js';
import type { AuthorizationEngine } from '../../src/core/rbac/engine.js';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../src/storage/port.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const TENANT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ALICE = '22222222-2222-4222-8222-222222222222';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

const BOB = '44444444-4444-4444-8444-444444444444';
const raId = (i: number) => `33333333-3333-4333-8333-00000000000${i}`;

function putAssignment(store: Store, i: number, principalId: string, rg: string) {
  return store.authorization.putRoleAssignment({
    id: raId(i), scope: `/subscriptions/${SUB}/resourceGroups/${rg}`, roleDefinitionId: READER,
    principalId, principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x',
  });
}

async function seed(store: Store): Promise<void> {
  await store.authorization.putRoleDefinition({
    id: READER, roleName: 'Reader', description: 'View all resources', roleType: 'BuiltInRole', assignableScopes: ['/'], scope: '/',
    permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
  });
  await store.resources.putSubscription({ subscriptionId: SUB, tenantId: TENANT, displayName: 'Prod', state: 'Enabled' });
  for (let i = 0; i < 5; i++) await putAssignment(store, i, ALICE.toUpperCase(), `RG-${i}`);
}

// SQL straight at the database, past the store (as another tool or an operator might write).
async function rawSql(name: 'sqlite' | 'postgres', url: string, statement: string): Promise<void> {
  if (name === 'sqlite') {
    const db = new SqliteDatabase(url);
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

// What each engine says for every principal at every resource group 0-6 (and a site below each).
function decisions(engine: AuthorizationEngine): string[] {
  return [ALICE, BOB].flatMap((principalId) =>
    [0, 1, 2, 3, 4, 5, 6].flatMap((i) =>
      [`/subscriptions/${SUB}/resourceGroups/rg-${i}`, `/subscriptions/${SUB}/resourceGroups/RG-${i}/providers/Microsoft.Web/sites/s`].map(
        (scope) => `${principalId} ${scope} ${engine.check({ principalId, tenantId: TENANT, action: 'Microsoft.Web/sites/read', scope, at: 0 })}`,
      ),
    ),
  );
}

for (const database of testDatabases()) {
  // A fresh database of this kind, seeded, handed to `body`, then dropped.
  const withSeededStore = async (body: (store: Store, url: string) => Promise<void>) => {
    const { store, url, cleanup } = await database.open();
    try {
      await seed(store);
      await body(store, url);
    } finally {
      await cleanup();
    }
  };

  describe(`engine start (${database.name})`, () => {
    it('builds the engine from the store: every role assignment decides', () =>
      withSeededStore(async (store) => {
        const engine = await loadFromTables(store);
        assert.equal(engine.roleAssignmentCount, 5);
        const ask = (scope: string) => engine.check({ principalId: ALICE, tenantId: TENANT, action: 'Microsoft.Web/sites/read', scope, at: 0 });
        assert.equal(ask(`/subscriptions/${SUB}/resourceGroups/rg-4/providers/Microsoft.Web/sites/s1`), true);
        assert.equal(ask(`/subscriptions/${SUB}/resourceGroups/rg-5`), false);
      }));

    it('saves a checkpoint on the first start and restores it on the next, re-reading only what changed since', () =>
      withSeededStore(async (store, url) => {
        const first = await startEngine(store);
        assert.deepEqual([first.from, first.replayed, first.saved, first.refused], ['tables', 0, true, undefined]);

        const second = await startEngine(store);
        assert.deepEqual([second.from, second.replayed, second.saved], ['checkpoint', 0, false]);
        assert.deepEqual(decisions(second.engine), decisions(first.engine));

        // Changed after the checkpoint: one added, one moved to Bob at another scope, one deleted, one deleted by raw SQL.
        await putAssignment(store, 5, BOB, 'rg-5');
        await putAssignment(store, 1, BOB, 'rg-6');
        assert.equal(await store.authorization.deleteRoleAssignment(raId(2)), true);
        await rawSql(database.name, url, `delete from role_assignments where id = '${raId(3)}'`);
        const third = await startEngine(store);
        assert.deepEqual([third.from, third.replayed, third.saved], ['checkpoint', 4, false]);
        const truth = await loadFromTables(store);
        assert.equal(third.engine.roleAssignmentCount, 4); // 5, one added, two deleted
        assert.deepEqual(decisions(third.engine), decisions(truth));
        assert.ok(decisions(truth).includes(`${BOB} /subscriptions/${SUB}/resourceGroups/rg-6 true`), 'the moved assignment decides at its new scope');
        assert.ok(decisions(truth).includes(`${ALICE} /subscriptions/${SUB}/resourceGroups/rg-1 false`), 'and no longer at its old one');

        // Enough changes replayed: the start saves a fresh checkpoint, and the one after replays nothing.
        const fourth = await startEngine(store, { resaveAfter: 4 });
        assert.deepEqual([fourth.from, fourth.replayed, fourth.saved], ['checkpoint', 4, true]);
        const fifth = await startEngine(store);
        assert.deepEqual([fifth.from, fifth.replayed], ['checkpoint', 0]);
        assert.deepEqual(decisions(fifth.engine), decisions(truth));
      }));

    it('refuses a damaged checkpoint, starts from the tables and replaces it', () =>
      withSeededStore(async (store) => {
        const change = await store.authorization.lastRoleAssignmentChange();
        await store.transaction((tx) => tx.authorization.saveRoleAssignmentCheckpoint({ change, data: new Uint8Array(64) }));
        const start = await startEngine(store);
        assert.deepEqual([start.from, start.saved], ['tables', true]);
        assert.match(start.refused ?? '', /checkpoint cannot be used: it does not start with the checkpoint magic/);
        assert.equal(start.engine.roleAssignmentCount, 5);
        const next = await startEngine(store);
        assert.deepEqual([next.from, next.refused], ['checkpoint', undefined]);
        assert.deepEqual(decisions(next.engine), decisions(start.engine));
      }));

    it('ends the role assignment reader when the start fails before reading it', () =>
      withSeededStore(async (store) => {
        let ended = false;
        const lines = store.authorization.roleAssignmentLines.bind(store.authorization);
        const failing: Store = {
          ...store,
          identity: { ...store.identity, listMemberships: () => Promise.reject(new Error('disk gone')) },
          authorization: {
            ...store.authorization,
            roleAssignmentLines: () => {
              const it = lines()[Symbol.asyncIterator]();
              const end = it.return?.bind(it);
              return { [Symbol.asyncIterator]: () => ({ next: () => it.next(), return: async () => ((ended = true), (await end?.()) ?? { done: true, value: undefined }) }) };
            },
          },
        };
        await assert.rejects(loadFromTables(failing), /disk gone/);
        assert.equal(ended, true);
      }));
  });
}
