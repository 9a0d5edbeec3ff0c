// Upgrading a database made by an earlier release: each migration brings existing rows along.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { openStore, type StoreOptions } from '../../src/storage/open-store.js';
import { createPostgresDatabase } from '../support/databases.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

// A database at the first release's schema, holding one role assignment as that release wrote it.
async function atFirstRelease(kysely: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const { error } = await new Migrator({ db: kysely, provider: migrationProvider(dialect) }).migrateTo('0001_initial');
  assert.equal(error, undefined);
  const body = { id: 'A1', scope: `/subscriptions/${SUB}`, roleDefinitionId: READER.toUpperCase(), principalId: 'P-One', principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x' };
  await sql`insert into role_assignments (id, scope, sub_id, body) values ('a1', ${`/subscriptions/${SUB}`}, ${SUB}, ${JSON.stringify(body)})`.execute(kysely);
  await kysely.destroy();
}

async function linesAfterUpgrade(options: StoreOptions): Promise<string[]> {
  const store = await openStore(options);
  try {
    const chunks: string[] = [];
    for await (const chunk of store.authorization.roleAssignmentLines()) chunks.push(chunk);
    return chunks;
  } finally {
    await store.close();
  }
}

describe('migrations', () => {
  const expected = [`a1 p-one ${READER} /subscriptions/${SUB}`];

  it('0002 fills a role assignment\'s principal and role columns from its body (sqlite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-migrate-'));
    try {
      const path = join(dir, 'lantern.db');
      await atFirstRelease(new Kysely({ dialect: new SqliteDialect({ database: new SqliteDatabase(path) }) }), 'sqlite');
      assert.deepEqual(await linesAfterUpgrade({ kind: 'sqlite', path }), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('0002 fills a role assignment\'s principal and role columns from its body (postgres)', async () => {
    const server = process.env.TEST_PG_URL;
    assert.ok(server, 'TEST_PG_URL is set by `npm test`');
    const db = await createPostgresDatabase(server);
    try {
      await atFirstRelease(new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }) }), 'postgres');
      assert.deepEqual(await linesAfterUpgrade({ kind: 'postgres', url: db.url }), expected);
    } finally {
      await db.drop();
    }
  });
});
