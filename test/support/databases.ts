/**
 * The databases every storage-backed test runs against: embedded SQLite always, and a real
 * PostgreSQL server (TEST_PG_URL; `npm test` starts a throwaway one when unset). Each opened store
 * gets its own fresh database, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/port.js';

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  open(): Promise<{ store: Store; url: string; cleanup: () => Promise<void> }>;
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-test-'));
    const path = join(dir, 'lantern.db');
    const store = await openStore({ kind: 'sqlite', path });
    return {
      store,
      url: path,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Creates an empty PostgreSQL database on the test server and returns its URL. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lantern_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * A second connection to a database, beside any store, for writes that bypass the repositories.
 * The pool listens for errors: `pool.end()` resolves before its connections have closed, so a
 * `drop database … with (force)` right after may end one, which without a listener is an uncaught
 * exception in whichever test opened it.
 */
export function rawConnection(dialect: 'sqlite' | 'postgres', url: string): Kysely<unknown> {
  if (dialect === 'sqlite') return new Kysely({ dialect: new SqliteDialect({ database: new SqliteDatabase(url) }) });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}

function postgres(serverUrl: string): TestDatabase {
  return {
    name: 'postgres',
    async open() {
      const db = await createPostgresDatabase(serverUrl);
      const store = await openStore({ kind: 'postgres', url: db.url });
      return {
        store,
        url: db.url,
        cleanup: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  };
}

/**
 * SQLite, plus PostgreSQL from TEST_PG_URL. Missing TEST_PG_URL is an error, not a skip: the
 * PostgreSQL suite must never silently disappear (`npm test` always provides one).
 */
export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_PG_URL;
  if (!url) throw new Error('TEST_PG_URL is not set: run the tests with `npm test`, which starts a throwaway PostgreSQL server');
  return [sqlite, postgres(url)];
}
