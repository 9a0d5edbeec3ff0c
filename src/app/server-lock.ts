/**
 * One server per database. Each server keeps its own decision engine in memory, fed by the changes
 * it makes itself, so two servers on one database would drift apart (a revocation through one would
 * not be seen by the other). Until Lantern scales out as a capability of its own, a second server is
 * refused at start: a lock file in the SQLite data directory, or a PostgreSQL advisory lock held on a
 * dedicated connection for the life of the process.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { LanternConfig } from './config.js';

/** Refused: another server holds the database. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

export interface ServerLock {
  release(): Promise<void>;
}

const DRIFT = 'two servers on one database would each keep their own authorization engine and drift apart';
// pg_try_advisory_lock's key: "lantern\0" read as a 64-bit number, the same in every Lantern.
const ADVISORY_KEY = '7809644675034410496';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockDataDirectory(dataDir: string): ServerLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'server.lock');
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => Promise.resolve(rmSync(path, { force: true })) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new DatabaseInUseError(
        `another Lantern server (pid ${holder}) is serving the database in ${dataDir}; ${DRIFT}. Stop it first, or give this server its own LANTERN_DATA_DIR (--data-dir). Nothing was started.`,
      );
    }
    rmSync(path, { force: true }); // left by a server that did not stop cleanly
  }
}

async function lockPostgres(url: string): Promise<ServerLock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [ADVISORY_KEY]);
    if (rows[0]?.locked !== true) {
      const holder = await client.query<{ pid: number; addr: string | null }>(
        "select pid, client_addr::text as addr from pg_locks join pg_stat_activity using (pid) where locktype = 'advisory' and granted and objid::text::bigint = ($1::bigint & 4294967295) and classid::text::bigint = ($1::bigint >> 32) limit 1",
        [ADVISORY_KEY],
      );
      const who = holder.rows[0] === undefined ? '' : ` (database backend pid ${holder.rows[0].pid}${holder.rows[0].addr === null ? '' : ` from ${holder.rows[0].addr}`})`;
      throw new DatabaseInUseError(`another Lantern server${who} is serving this PostgreSQL database; ${DRIFT}. Stop it first, or point this server at another database (DATABASE_URL). Nothing was started.`);
    }
  } catch (error) {
    await client.end();
    throw error;
  }
  // The lock lives as long as this connection: a server that dies releases it with its connection.
  client.on('error', () => undefined);
  return { release: () => client.end() };
}

/** Takes the one-server lock of the configured database, or throws DatabaseInUseError. */
export async function lockDatabase(config: LanternConfig): Promise<ServerLock> {
  return config.databaseUrl ? lockPostgres(config.databaseUrl) : lockDataDirectory(config.dataDir);
}
