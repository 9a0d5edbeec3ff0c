/**
 * The database for a command that writes what a running server's authorization engine would not
 * see until it restarts (role definitions, the first platform operator): the command takes the
 * server's lock, so it is refused while a server serves the database, and no server starts meanwhile.
 */
import type { LanternConfig } from '../app/config.js';
import { openConfiguredStore } from '../app/server.js';
import { DatabaseInUseError, lockDatabase } from '../app/server-lock.js';
import type { Store } from '../storage/port.js';
import { CliError } from './cli-errors.js';

/** Runs `work` on the configured store under the server's lock; `whileServing` says why a running server refuses it and what to do. */
export async function withServerStopped<T>(config: LanternConfig, whileServing: string, work: (store: Store) => Promise<T>): Promise<T> {
  const lock = await lockDatabase(config).catch((error: unknown) => {
    if (!(error instanceof DatabaseInUseError)) throw error;
    throw new CliError(`${error.message.replace(/;.*$/, '')}: ${whileServing}`);
  });
  try {
    const store = await openConfiguredStore(config);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  } finally {
    await lock.release();
  }
}
