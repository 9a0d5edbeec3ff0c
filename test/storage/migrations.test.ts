// Upgrading a database made by an earlier release: each migration brings existing rows along.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { resourceListing } from '../../src/core/resources/listing.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { openStore, type StoreOptions } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/port.js';
import { createPostgresDatabase, rawConnection } from '../support/databases.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

const SCOPE = `/subscriptions/${SUB}`;
const BODY = JSON.stringify({ id: 'A1', scope: SCOPE, roleDefinitionId: READER.toUpperCase(), principalId: 'P-One', principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x' });

const RESOURCE = {
  id: `${SCOPE}/resourceGroups/RG/providers/Microsoft.Web/sites/Site1`, subscriptionId: SUB, resourceGroup: 'RG', type: 'Microsoft.Web/sites', name: 'Site1',
  location: 'westeurope', tags: { env: 'prod' }, kind: 'app', properties: { inner: 'x' }, createdAt: '2026-01-01T00:00:00Z', changedAt: '2026-01-01T00:00:00Z',
};

// Rows as each earlier release wrote them, by the last migration of that release: role assignment a1, and resource Site1 before 0012.
const WRITTEN_AT = {
  '0001_initial': [sql`insert into role_assignments (id, scope, sub_id, body) values ('a1', ${SCOPE}, ${SUB}, ${BODY})`],
  '0002_role_assignment_columns': [sql`insert into role_assignments (id, scope, sub_id, principal_id, role_definition_id, body) values ('a1', ${SCOPE}, ${SUB}, 'p-one', ${READER}, ${BODY})`],
  '0011_lead_kind': [sql`insert into resources (id, sub_id, rg, body) values (${RESOURCE.id.toLowerCase()}, ${SUB}, 'rg', ${JSON.stringify(RESOURCE)})`],
};
type Release = keyof typeof WRITTEN_AT;
type Dialect = 'sqlite' | 'postgres';

// A database at an earlier release's schema, holding the rows that release wrote.
async function atRelease(kysely: Kysely<unknown>, dialect: Dialect, release: Release): Promise<void> {
  const { error } = await new Migrator({ db: kysely, provider: migrationProvider(dialect) }).migrateTo(release);
  assert.equal(error, undefined);
  for (const row of WRITTEN_AT[release]) await row.execute(kysely);
  await kysely.destroy();
}

// An empty database of `dialect`: a connection to build an earlier schema with, the options that open it as a store, and its removal.
async function emptyDatabase(dialect: Dialect): Promise<{ kysely: Kysely<unknown>; options: StoreOptions; remove: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-migrate-'));
    const path = join(dir, 'lantern.db');
    const remove = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    return { kysely: rawConnection('sqlite', path), options: { kind: 'sqlite', path }, remove };
  }
  const server = process.env.TEST_PG_URL;
  assert.ok(server, 'TEST_PG_URL is set by `npm test`');
  const db = await createPostgresDatabase(server);
  return { kysely: rawConnection('postgres', db.url), options: { kind: 'postgres', url: db.url }, remove: db.drop };
}

// Builds a database of `dialect` at `release`, then opens it as the current store (which upgrades it) for `check`.
async function afterUpgrade(dialect: Dialect, release: Release, check: (store: Store) => Promise<void>): Promise<void> {
  const { kysely, options, remove } = await emptyDatabase(dialect);
  try {
    await atRelease(kysely, dialect, release);
    const store = await openStore(options);
    try {
      await check(store);
    } finally {
      await store.close();
    }
  } finally {
    await remove();
  }
}

async function lines(store: Store): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of store.authorization.roleAssignmentLines()) chunks.push(chunk);
  return chunks;
}

describe('migrations', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`0002 fills a role assignment's principal and role columns from its body (${dialect})`, () =>
      afterUpgrade(dialect, '0001_initial', async (store) => assert.deepEqual(await lines(store), [`a1 p-one ${READER} ${SCOPE}`])));

    it(`0003 numbers the changes to a role assignment written before it (${dialect})`, () =>
      afterUpgrade(dialect, '0002_role_assignment_columns', async (store) => {
        assert.equal(await store.authorization.lastRoleAssignmentChange(), 0, 'role assignments already there are not changes');
        assert.equal(await store.authorization.deleteRoleAssignment('A1'), true);
        assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(0, await store.authorization.lastRoleAssignmentChange()), ['a1']);
      }));

    it(`0012 fills each resource's type and listing from its body, so a list page shows it as before (${dialect})`, () =>
      afterUpgrade(dialect, '0011_lead_kind', async (store) => {
        const [row] = await store.resources.pageResourceListings({ subscriptionId: SUB, limit: 10 });
        assert.deepEqual(row && { ...row, listing: JSON.parse(row.listing) as unknown }, { key: RESOURCE.id.toLowerCase(), type: 'Microsoft.Web/sites', listing: resourceListing(RESOURCE) });
      }));
  }
});
