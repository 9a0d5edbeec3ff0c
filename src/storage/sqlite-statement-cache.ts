/**
 * Kysely's SQLite driver prepares every statement it runs, and preparing costs about a quarter of a
 * small read's CPU. This keeps prepared statements by SQL text so each is compiled once and re-run
 * (better-sqlite3 statements are reusable; SQLite re-prepares one itself after a schema change).
 * Bounded, since SQL with variable-length IN lists comes in many shapes; a statement still iterating
 * is never handed out twice.
 */
import type SqliteDatabase from 'better-sqlite3';

/** Statements kept before the cache starts over. */
const MAX_STATEMENTS = 512;

/** `database` with a `prepare` that returns the cached statement for SQL it has prepared before. */
export function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string): SqliteDatabase.Statement => {
    const cached = statements.get(source);
    if (cached && !cached.busy) return cached;
    const statement = database.prepare(source);
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
