import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { preparedColumn, preparedTuples, readDirectlyWhenIdle } from './prepared-query.js';
import { withStatementCache } from './sqlite-statement-cache.js';

async function tenantsDb(): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  await sql`create table tenants (id text primary key, domain text, body text)`.execute(db);
  for (const [id, domain] of [['a', 'x.example'], ['b', 'x.example'], ['c', 'y.example']]) {
    await db.insertInto('tenants').values({ id: id!, domain: domain!, body: `{"id":"${id}"}` }).execute();
  }
  return db;
}

describe('prepared queries', () => {
  it('binds each call\'s arguments where the builder put them, beside the constants it holds', async () => {
    const db = await tenantsDb();
    let builds = 0;
    const byDomainExcept = preparedColumn((q, domain: string, except: string) => {
      builds++;
      return q.selectFrom('tenants').select('id').where('domain', '=', domain).where('id', '!=', except).where('id', '!=', 'zzz').orderBy('id');
    });
    assert.deepEqual(await byDomainExcept(db, 'sqlite', 'x.example', 'a'), ['b']);
    assert.deepEqual(await byDomainExcept(db, 'sqlite', 'x.example', 'b'), ['a'], 'the second call binds its own arguments');
    assert.deepEqual(await byDomainExcept(db, 'sqlite', 'y.example', 'a'), ['c']);
    await db.transaction().execute(async (tx) => assert.deepEqual(await byDomainExcept(tx, 'sqlite', 'nowhere', 'a'), []));
    assert.equal(builds, 1, 'built and compiled once');
    await db.destroy();
  });

  it('reads a SQLite connection directly only while no transaction holds it, so no uncommitted row is seen', async () => {
    const database = new SqliteDatabase(':memory:');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    await sql`create table tenants (id text primary key, domain text, body text)`.execute(db);
    readDirectlyWhenIdle(db, database);
    const byId = preparedColumn((q, id: string) => q.selectFrom('tenants').select('body').where('id', '=', id));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction().execute(async (tx) => {
      await tx.insertInto('tenants').values({ id: 'new', domain: 'x', body: 'uncommitted' }).execute();
      await held;
      throw new Error('rolled back');
    });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(database.inTransaction, true, 'the transaction is open and holds its row');
    const reading = byId(db, 'sqlite', 'new');
    release();
    await assert.rejects(writing, /rolled back/);
    assert.deepEqual(await reading, [], 'the read waited for the rollback instead of seeing the row');
    await db.insertInto('tenants').values({ id: 'new', domain: 'x', body: 'committed' }).execute();
    assert.equal(database.inTransaction, false);
    assert.deepEqual(await byId(db, 'sqlite', 'new'), ['committed'], 'read directly once idle');
    await db.destroy();
  });

  it('answers values read directly and leaves the shared statement answering rows to Kysely', async () => {
    const database = new SqliteDatabase(':memory:');
    const cached = withStatementCache(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
    await sql`create table tenants (id text primary key, domain text, body text)`.execute(db);
    await db.insertInto('tenants').values({ id: 'a', domain: 'x', body: '{"id":"a"}' }).execute();
    readDirectlyWhenIdle(db, cached);
    const bodyOf = preparedColumn((q, id: string) => q.selectFrom('tenants').select('body').where('id', '=', id));
    assert.deepEqual(await bodyOf(db, 'sqlite', 'a'), ['{"id":"a"}'], 'read directly: the column\'s values');
    await db.transaction().execute(async (tx) => {
      assert.deepEqual(await bodyOf(tx, 'sqlite', 'a'), ['{"id":"a"}'], "Kysely's way, on the same cached statement");
      const rows = await tx.selectFrom('tenants').select('body').where('id', '=', 'a').execute();
      assert.deepEqual(rows, [{ body: '{"id":"a"}' }], 'the statement still answers row objects');
    });
    await db.destroy();
  });

  it('answers each row of a several-column query as its values in select order, read directly or in a transaction', async () => {
    const database = new SqliteDatabase(':memory:');
    const cached = withStatementCache(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
    await sql`create table tenants (id text primary key, domain text, body text)`.execute(db);
    await db.insertInto('tenants').values([{ id: 'a', domain: 'x', body: 'A' }, { id: 'b', domain: 'x', body: 'B' }]).execute();
    readDirectlyWhenIdle(db, cached);
    const ofDomain = preparedTuples((q, domain: string) => q.selectFrom('tenants').select(['body', 'id']).where('domain', '=', domain).orderBy('id'));
    assert.deepEqual(await ofDomain(db, 'sqlite', 'x'), [['A', 'a'], ['B', 'b']], 'read directly');
    await db.transaction().execute(async (tx) => {
      assert.deepEqual(await ofDomain(tx, 'sqlite', 'x'), [['A', 'a'], ['B', 'b']], "Kysely's way, on the same cached statement");
      const rows = await tx.selectFrom('tenants').select(['body', 'id']).where('domain', '=', 'x').orderBy('id').execute();
      assert.deepEqual(rows[0], { body: 'A', id: 'a' }, 'the statement still answers row objects');
    });
    assert.deepEqual(await ofDomain(db, 'sqlite', 'nowhere'), []);
    await db.destroy();
  });

  it('refuses a builder that does not bind every argument as a parameter', async () => {
    const db = await tenantsDb();
    const dropsOne = preparedColumn((q, id: string, _unused: string) => q.selectFrom('tenants').select('id').where('id', '=', id));
    await assert.rejects(dropsOne(db, 'sqlite', 'a', 'b'), /must bind each argument once/);
    await db.destroy();
  });
});
