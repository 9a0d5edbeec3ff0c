// Bulk role assignments (`lantern roles import-assignments`) into the demo world on SQLite and
// PostgreSQL: every row checked as its PUT would be, all written or none, and read by the next engine.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { composeServices } from '../../src/app/compose.js';
import { DomainError } from '../../src/core/errors.js';
import { parseRoleAssignmentImport } from '../../src/core/roles/role-assignment-import.js';
import { DEMO_IDS } from '../../src/services/demo/demo-ids.js';
import { seedDemoWorldInto } from '../../src/services/demo/demo-world.js';
import { startEngine } from '../../src/services/authorization/engine-start.js';
import { importRoleAssignments } from '../../src/services/rbac/role-assignment-import.js';
import type { Store } from '../../src/storage/port.js';
import { testDatabases } from '../support/databases.js';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const clock = { now: () => new Date('2026-12-02T12:00:00Z') };

/** A row as `az role assignment list --all` prints it. */
const azRow = (principalId: string, role: string, scope: string, extra: Record<string, unknown> = {}) => ({
  principalId, principalType: 'User', roleDefinitionId: `${FAB}/providers/Microsoft.Authorization/roleDefinitions/${role}`, scope, roleDefinitionName: 'ignored', ...extra,
});

for (const database of testDatabases()) {
  describe(`role assignment import (${database.name})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let dir: string;
    let owner: string;
    let reader: string;

    before(async () => {
      ({ store, cleanup } = await database.open());
      dir = mkdtempSync(join(tmpdir(), 'lantern-ra-import-'));
      const services = await composeServices(loadConfig([], { LANTERN_DATA_DIR: dir, LANTERN_LOG_LEVEL: 'silent' }), store);
      await seedDemoWorldInto(services);
      await services.marketplace.stop();
      owner = (await store.identity.findUserByUpn('owner@fabrikam.example'))!.id;
      reader = (await store.identity.findUserByUpn('reader@fabrikam.example'))!.id;
    });
    after(async () => {
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const count = async () => (await store.authorization.listRoleAssignments()).length;

    it('refuses a file with any bad row, naming each row and field, and writes nothing', async () => {
      const before = await count();
      const contosoGroup = DEMO_IDS.contosoL2Engineers;
      const existing = (await store.authorization.listRoleAssignments()).find((a) => !a.scope.toLowerCase().includes('rg-network'))!;
      const rows = parseRoleAssignmentImport([
        azRow(reader, READER, `${FAB}/resourceGroups/rg-web`),
        azRow(reader, '00000000-0000-4000-8000-00000000dead', `${FAB}/resourceGroups/rg-web`),
        azRow(contosoGroup, READER, FAB, { principalType: 'Group' }),
        azRow(owner, READER, `${FAB}/resourceGroups/rg-data`, { principalType: 'ServicePrincipal' }),
        azRow(reader, READER, 'subscriptions-without-a-slash'),
        azRow(reader, CONTRIBUTOR, `${FAB}/resourceGroups/rg-web`, { name: '5a5a5a5a-0000-4000-8000-000000000001' }),
        azRow(reader, CONTRIBUTOR, `${FAB}/resourceGroups/rg-web`, { name: '5a5a5a5a-0000-4000-8000-000000000002' }),
        azRow(owner, READER, `${FAB}/resourceGroups/rg-network`, { name: '5A5A5A5A-0000-4000-8000-000000000001' }),
        azRow(owner, READER, `${FAB}/resourceGroups/rg-network`, { name: existing.id }),
      ]);
      await assert.rejects(importRoleAssignments(store, clock, rows), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.equal(error.code, 'InvalidRoleAssignmentImport');
        assert.match(error.message, /nothing was written: 7 row\(s\) break a rule/);
        assert.deepEqual(error.details.map((d) => [d.code, d.target]), [
          ['RoleDefinitionDoesNotExist', '[1].properties.roleDefinitionId'],
          ['PrincipalNotFound', '[2].properties.principalId'],
          ['UnmatchedPrincipalType', '[3].properties.principalType'],
          ['InvalidResourceId', '[4].scope'],
          ['RoleAssignmentExists', '[6].name'],
          ['InvalidRoleAssignmentImport', '[7].name'],
          ['RoleAssignmentExists', '[8].name'],
        ]);
        assert.match(error.details[0]!.message, /^Row 1: /);
        return true;
      });
      assert.equal(await count(), before, 'the good rows were not written either');
    });

    it('imports az and ARM rows in one transaction, with the directory\'s principal types; again, nothing new', async () => {
      const before = await count();
      const rows = parseRoleAssignmentImport({
        value: [
          { name: '6b6b6b6b-0000-4000-8000-000000000001', properties: { scope: `${FAB}/resourceGroups/rg-network`, roleDefinitionId: READER, principalId: owner } },
          ...Array.from({ length: 300 }, (_, i) => azRow(reader, CONTRIBUTOR, `${FAB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/site-${i}`)),
        ],
      });
      assert.deepEqual(await importRoleAssignments(store, clock, rows), { created: 301, unchanged: 0 });
      assert.equal(await count(), before + 301);
      const stored = await store.authorization.getRoleAssignment('6b6b6b6b-0000-4000-8000-000000000001');
      assert.equal(stored?.principalType, 'User');
      assert.equal(stored?.roleDefinitionId, READER);
      assert.deepEqual(await importRoleAssignments(store, clock, rows), { created: 0, unchanged: 301 }, 'derived names make a second run a no-op');
      const { engine } = await startEngine(store);
      const check = (scope: string) => engine.check({ principalId: reader, tenantId: DEMO_IDS.fabrikamTenant, action: 'Microsoft.Web/sites/write', scope, at: Date.now() });
      assert.equal(check(`${FAB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/site-299`), true, 'the next engine reads them');
      assert.equal(check(`${FAB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/site-300`), false);
    });

    it("counts the file's rows against the 4,000 assignments of a subscription", async () => {
      const before = await count();
      const room = 4000 - (await store.authorization.countRoleAssignmentsInSubscription(DEMO_IDS.fabrikamProduction));
      const rows = parseRoleAssignmentImport(Array.from({ length: room + 1 }, (_, i) => azRow(owner, READER, `${FAB}/resourceGroups/rg-data/providers/Microsoft.Sql/servers/db-${i}`)));
      await assert.rejects(importRoleAssignments(store, clock, rows), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.deepEqual(error.details.map((d) => d.target), [`[${room}].`]);
        assert.match(error.details[0]!.message, /4000/);
        return true;
      });
      assert.equal(await count(), before);
    });
  });
}

describe('role assignment import files', () => {
  it('names a row without its required fields, and a file of another shape', () => {
    assert.throws(() => parseRoleAssignmentImport({ roles: [] }), /a JSON array .* or \{ "value": \[\.\.\.\] \}/);
    assert.throws(() => parseRoleAssignmentImport([{ scope: '/', principalId: 'x' }, 'text']), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.deepEqual(error.details.map((d) => d.target), ['[0].roleDefinitionId', '[1].(a JSON object)']);
      return true;
    });
  });
});
