/**
 * Runs work for one key at a time, in arrival order, within this process. Writes to one resource
 * then wait their turn here instead of colliding in the database: on PostgreSQL, SERIALIZABLE
 * transactions on the same row abort each other and retry, which under 50 concurrent PUTs of one
 * resource cost more than the writes. Correctness never rests on this queue (another process may
 * still write; the transaction and its retry decide); it only keeps one process from racing itself.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier `run` of the same key has settled; answers what `work` answers. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    const result = before === undefined ? work() : before.then(work, work);
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
