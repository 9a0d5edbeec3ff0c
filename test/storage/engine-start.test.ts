// The engine's cold start from a real store: what it loads, and a failed start leaving no reader behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { loadEngine } from '../../src/services/authorization/access-service.js';
import type { Store } from '../../src/storage/port.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const TENANT = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ALICE = '22222222-2222-4222-8222-222222222222';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

async function seed(store: Store): Promise<void> {
  await store.authorization.putRoleDefinition({
    id: READER, roleName: 'Reader', description: 'View all resources', roleType: 'BuiltInRole', assignableScopes: ['/'], scope: '/',
    permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
  });
  await store.resources.putSubscription({ subscriptionId: SUB, tenantId: TENANT, displayName: 'Prod', state: 'Enabled' });
  for (let i = 0; i < 5; i++) {
    await store.authorization.putRoleAssignment({
      id: `33333333-3333-4333-8333-00000000000${i}`, scope: `/subscriptions/${SUB}/resourceGroups/RG-${i}`, roleDefinitionId: READER,
      principalId: ALICE.toUpperCase(), principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x',
    });
  }
}

for (const database of testDatabases()) {
  describe(`loadEngine (${database.name})`, () => {
    it('builds the engine from the store: every role assignment decides', async () => {
      const { store, cleanup } = await database.open();
      try {
        await seed(store);
        const engine = await loadEngine(store);
        assert.equal(engine.roleAssignmentCount, 5);
        const ask = (scope: string) => engine.check({ principalId: ALICE, tenantId: TENANT, action: 'Microsoft.Web/sites/read', scope, at: 0 });
        assert.equal(ask(`/subscriptions/${SUB}/resourceGroups/rg-4/providers/Microsoft.Web/sites/s1`), true);
        assert.equal(ask(`/subscriptions/${SUB}/resourceGroups/rg-5`), false);
      } finally {
        await cleanup();
      }
    });

    it('ends the role assignment reader when the start fails before reading it', async () => {
      const { store, cleanup } = await database.open();
      try {
        await seed(store);
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
        await assert.rejects(loadEngine(failing), /disk gone/);
        assert.equal(ended, true);
      } finally {
        await cleanup();
      }
    });
  });
}
