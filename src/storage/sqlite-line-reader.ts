/**
 * `roleAssignmentLines` for a SQLite file, read on a worker thread: better-sqlite3 is synchronous,
 * so on the main thread the database's time to produce the chunks and the engine's time to take
 * them in would add up; on a worker they overlap (cold start, performance.md §3). The worker opens
 * its own read-only connection (WAL lets it read beside the main one) and runs the adapter's query.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** At most this many chunks wait, read but not yet taken, so a large table never sits in memory whole. */
const AHEAD = 4;

// Plain JavaScript run with `eval`: a worker file would need the TypeScript loader the server may run under.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const taken = new Int32Array(workerData.taken);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
try {
  const statement = db.prepare(workerData.sql).raw(true);
  for (let last = '', sent = 0; ; sent++) {
    const [next, lines] = statement.get('\\n', last, workerData.chunk);
    if (next === null || lines === null) break;
    last = next;
    for (let seen = Atomics.load(taken, 0); sent - seen >= workerData.ahead; seen = Atomics.load(taken, 0)) Atomics.wait(taken, 0, seen, 1000);
    parentPort.postMessage(lines);
  }
} finally {
  db.close();
}
parentPort.postMessage(null);
`;

/**
 * The chunks of `sql` (the adapter's lines query, compiled for SQLite, with parameters separator,
 * last id and chunk size) read from the database file at `path` by a worker that starts now. Iterate
 * to the end or end it with `return()` on its iterator (a for-await that breaks or throws does): either
 * way the worker ends.
 */
export function roleAssignmentLinesFromWorker(path: string, sql: string, chunk: number): AsyncIterable<string> {
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, sql, chunk, ahead: AHEAD, taken: taken.buffer },
  });
  const queue: (string | null)[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: string | null) => {
    queue.push(message);
    signal();
  });
  worker.on('error', (error) => {
    failure = error;
    signal();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the role assignment reader stopped with exit code ${code}`);
    signal();
  });
  const done = async (): Promise<IteratorResult<string>> => {
    await worker.terminate();
    return { done: true, value: undefined };
  };
  // An iterator, not a generator: `return()` (a for-await left early, or a caller giving up before
  // the first chunk) must end the worker even when iteration never started.
  const iterator: AsyncIterableIterator<string> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (queue.length === 0) {
        await worker.terminate();
        throw failure ?? new Error('the role assignment reader stopped');
      }
      const lines = queue.shift() ?? null;
      if (lines === null) return done();
      Atomics.add(taken, 0, 1);
      Atomics.notify(taken, 0);
      return { done: false, value: lines };
    },
    return: done,
  };
  return iterator;
}
