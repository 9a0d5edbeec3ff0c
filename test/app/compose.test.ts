// The composition root: a world written by one Lantern is enforced by the next one to open the
// same database (the engine's cold start from the store: its checkpoint and the changes since), on
// SQLite and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/app/config.js';
import { composeServices } from '../../src/app/compose.js';
import { openStore } from '../../src/storage/open-store.js';
import { seedDemoWorldInto, DEMO_IDS } from '../../src/services/demo/demo-world.js';
import type { Caller } from '../../src/core/identity/model.js';
import { testDatabases } from '../support/databases.js';

const config = loadConfig([], { LANTERN_LOG_LEVEL: 'silent' });

for (const database of testDatabases()) {
  describe(`composition root (${database.name})`, () => {
    it('rebuilds the decision engine from the store at start', async () => {
      const { store, url, cleanup } = await database.open();
      try {
        const services = await composeServices(config, store);
        assert.deepEqual([services.engineStart.from, services.engineStart.loaded, services.engineStart.saved], ['tables', 0, true]);
        const demo = await seedDemoWorldInto(services);
        const reader = demo.users.find((u) => u.userPrincipalName === 'reader@fabrikam.example')!;
        // A second process opening the same database: nothing is shared but the database.

        const reopened = await openStore((database.name === 'sqlite' ? { kind: 'sqlite', path: url } : { kind: 'postgres', url }));
        try {
          const again = await composeServices(config, reopened);
          // The checkpoint the first start saved, and every role assignment the demo world wrote since.
          const held = again.access.engine.roleAssignmentCount;
          assert.ok(held > 0);
          assert.deepEqual([again.engineStart.from, again.engineStart.loaded, again.engineStart.replayed], ['checkpoint', held, held]);
          const caller: Caller = { objectId: reader.objectId, tenantId: DEMO_IDS.fabrikamTenant, principalType: 'User', appId: 'x', displayName: reader.userPrincipalName };
          const rg = `/subscriptions/${DEMO_IDS.fabrikamProduction}/resourceGroups/rg-web`;
          const read = again.access.explain(caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', rg);
          assert.equal(read.allowed, true);
          assert.equal(read.grants[0]?.roleName, 'Reader');
          assert.equal(again.access.explain(caller, 'Microsoft.Resources/subscriptions/resourceGroups/write', rg).allowed, false);
        } finally {
          await reopened.close();
        }
      } finally {
        await cleanup();
      }
    });
  });
}
