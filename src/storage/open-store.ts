/**
 * Opens the configured database (embedded SQLite by default, PostgreSQL with a URL), applies
 * pending migrations and returns the storage port.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { readDirectlyWhenIdle, readThroughPool } from './prepared-query.js';
import { LINES_PER_CHUNK, repositories, roleAssignmentLinesAfter } from './kysely-repositories.js';
import { roleAssignmentLinesFromWorker } from './sqlite-line-reader.js';
import type { Database } from './schema.js';
import type { Store } from './port.js';
import { heldRows } from './held-rows.js';
import { withRetry } from './write-transactions.js';

export type Dialect = 'sqlite' | 'postgres';
export type StoreOptions = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

function connect(options: StoreOptions): Kysely<Database> {
  if (options.kind === 'sqlite') {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const database = new SqliteDatabase(options.path);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    const cached = withStatementCache(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
    readDirectlyWhenIdle(db, cached);
    return db;
  }
  const pool = new pg.Pool({ connectionString: options.url, max: 10 });
  // An idle connection the server ends (restart, failover, admin) leaves the pool by itself and the
  // next query opens a new one; without a listener, pg would turn it into an uncaught exception.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  readThroughPool(db, pool);
  return db;
}

/** Opens and migrates the store; throws with the migration's error if the schema cannot be brought up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const db = connect(options);
  const migrator = new Migrator({ db, provider: migrationProvider(options.kind), allowUnorderedMigrations: true });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  }
  const held = heldRows();
  const repos = held.reading(repositories(db, options.kind));
  // A SQLite file's role assignments are read on a worker thread (see sqlite-line-reader.ts).
  let authorization = repos.authorization;
  if (options.kind === 'sqlite' && options.path !== ':memory:') {
    const { path } = options;
    const { sql } = roleAssignmentLinesAfter('', 0).compile(db);
    authorization = { ...authorization, roleAssignmentLines: (rowsPerChunk = LINES_PER_CHUNK) => roleAssignmentLinesFromWorker(path, sql, rowsPerChunk) };
  }
  return {
    ...repos,
    authorization,
    dialect: options.kind,
    // SERIALIZABLE with retry (write-transactions.ts): checks made inside hold at commit. SQLite has one writer at a time.
    transaction: (work) => withRetry(async () => {
      let end = () => {};
      try {
        return await (options.kind === 'postgres' ? db.transaction().setIsolationLevel('serializable') : db.transaction()).execute((trx) => {
          const tx = held.writing(repositories(trx, options.kind));
          end = tx.end;
          return work(tx.repos);
        });
      } finally {
        end();
      }
    }),
    async isEmpty() {
      for (const table of ['tenants', 'subscriptions', 'documents'] as const) {
        if (await db.selectFrom(table).select('body').limit(1).executeTakeFirst()) return false;
      }
      return true;
    },
    close: () => db.destroy(),
  };
}
