/**
 * Fixed-shape queries built and compiled once per dialect, then only bound to new arguments. Kysely
 * otherwise rebuilds its operation tree and recompiles the SQL on every call, which costs a small
 * read more CPU than the database does. Only for queries whose SQL does not depend on the
 * arguments: no IN lists, no optional clauses.
 *
 * Outside transactions a read skips Kysely's connection handling, which costs a small read a dozen
 * promise turns:
 * - SQLite runs the statement on the store's connection directly while no transaction is open. While
 *   one is (it holds the one connection across awaits), the read takes Kysely's way and waits, so it
 *   never sees uncommitted rows.
 * - PostgreSQL runs it on the pool as a named statement, so each connection parses and plans it once.
 */
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect } from './open-store.js';

type Db = Kysely<Database> | Transaction<Database>;

// Arguments are compiled as these markers; each marker's place in the parameters is where its argument goes.
const MARKER = '\u0000lantern-argument-';

interface Prepared<Row> {
  readonly compiled: CompiledQuery<Row>;
  /** Per parameter: the index of the argument bound there, or a constant the query itself holds. */
  readonly slots: readonly (number | { readonly constant: unknown })[];
  /** The statement's name on a PostgreSQL connection. */
  readonly name: string;
}

/** What a prepared query answers per row: its one column's value, or all its values in select order. */
type Shape = 'column' | 'tuple';

/**
 * Runs a read outside Kysely and answers each row as its `shape` says (an object per row would cost
 * a SQLite read of a hundred rows half its time), or undefined when it must take Kysely's way.
 */
type DirectReader = (sql: string, parameters: readonly unknown[], name: string, shape: Shape) => unknown[] | Promise<unknown[]> | undefined;

const directReaders = new WeakMap<Db, DirectReader>();

/** Lets prepared queries on `db` read `database` (the connection behind it) directly while no transaction is open. */
export function readDirectlyWhenIdle(db: Kysely<Database>, database: SqliteDatabase.Database): void {
  directReaders.set(db, (sql, parameters, _name, shape) => {
    if (database.inTransaction) return undefined;
    const statement = database.prepare(sql);
    // The statement is shared with Kysely's way through the connection's statement cache, and
    // all() runs to the end synchronously: plucking (or raw rows) for this one call changes nothing for it.
    if (shape === 'column') statement.pluck(true);
    else statement.raw(true);
    try {
      return statement.all(parameters);
    } finally {
      if (shape === 'column') statement.pluck(false);
      else statement.raw(false);
    }
  });
}

/** Lets prepared queries on `db` run on `pool` (the pool behind it) as named statements. */
export function readThroughPool(db: Kysely<Database>, pool: pg.Pool): void {
  directReaders.set(db, async (sql, parameters, name, shape) => {
    const rows = (await pool.query<unknown[]>({ name, text: sql, values: [...parameters], rowMode: 'array' })).rows;
    return shape === 'column' ? rows.map((row) => row[0]) : rows;
  });
}

let statementNames = 0;

type Arguments = readonly (string | number | readonly string[])[];

// Builds and compiles the query once per dialect, then binds each call's arguments and answers its rows in `shape`.
function prepared<Args extends Arguments, Row extends Record<string, unknown>>(build: (db: Db, ...args: Args) => Compilable<Row>, shape: Shape) {
  const byDialect = new Map<Dialect, Prepared<Row>>();
  return async (db: Db, dialect: Dialect, args: Args): Promise<unknown[]> => {
    let query = byDialect.get(dialect);
    if (query === undefined) {
      const compiled = build(db, ...(args.map((_, i) => `${MARKER}${i}`) as unknown as Args)).compile();
      const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARKER) ? Number(p.slice(MARKER.length)) : { constant: p }));
      if (slots.filter((s) => typeof s === 'number').length !== args.length) throw new Error(`a prepared query must bind each argument once: ${compiled.sql}`);
      query = { compiled, slots, name: `lantern_prepared_${++statementNames}` };
      byDialect.set(dialect, query);
    }
    const parameters = query.slots.map((s) => (typeof s === 'number' ? args[s] : s.constant));
    const values = directReaders.get(db)?.(query.compiled.sql, parameters, query.name, shape);
    if (values !== undefined) return values;
    const rows = (await db.executeQuery<Row>({ ...query.compiled, parameters, queryId: createQueryId() })).rows;
    return shape === 'column' ? rows.map((row) => Object.values(row)[0]) : rows.map((row) => Object.values(row));
  };
}

/**
 * A query function `(db, dialect, ...args) => values` for a query that selects one column, whose SQL
 * `build` makes once per dialect; arguments are strings, numbers or lists of strings. It answers the column's values in row order.
 */
export function preparedColumn<Args extends Arguments, Row extends Record<string, unknown>>(build: (db: Db, ...args: Args) => Compilable<Row>) {
  const run = prepared(build, 'column');
  return (db: Db, dialect: Dialect, ...args: Args) => run(db, dialect, args) as Promise<Row[keyof Row][]>;
}

/** As `preparedColumn`, for a query of several columns: it answers each row as its values in select order. */
export function preparedTuples<Args extends Arguments, Row extends Record<string, unknown>>(build: (db: Db, ...args: Args) => Compilable<Row>) {
  const run = prepared(build, 'tuple');
  return (db: Db, dialect: Dialect, ...args: Args) => run(db, dialect, args) as Promise<Row[keyof Row][][]>;
}
