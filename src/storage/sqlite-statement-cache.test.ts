import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './sqlite-statement-cache.js';

describe('SQLite statement cache', () => {
  it('hands out one prepared statement per SQL text, and a fresh one while it is still iterating', () => {
    const database = withStatementCache(new SqliteDatabase(':memory:'));
    const first = database.prepare('select 1 as n union all select 2');
    assert.equal(database.prepare('select 1 as n union all select 2'), first);
    assert.notEqual(database.prepare('select 2'), first);
    const rows = first.iterate();
    rows.next();
    const other = database.prepare('select 1 as n union all select 2');
    assert.notEqual(other, first, 'a busy statement is not shared');
    assert.deepEqual(other.all(), [{ n: 1 }, { n: 2 }]);
    rows.return?.();
    database.close();
  });

  it('serves Kysely, sees schema changes and keeps the database methods working', async () => {
    const raw = new SqliteDatabase(':memory:');
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
    await sql`create table t (id integer primary key)`.execute(db);
    await db.insertInto('t').values({ id: 1 } as never).execute();
    await sql`alter table t add column v text default 'x'`.execute(db);
    for (let i = 0; i < 3; i++) assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [{ id: 1, v: 'x' }]);
    assert.equal(raw.open, true);
    await db.destroy();
    assert.equal(raw.open, false);
  });
});
