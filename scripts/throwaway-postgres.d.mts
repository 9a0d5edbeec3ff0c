/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;
/** Starts a throwaway PostgreSQL server; `url` connects to it, `stop()` ends it and removes its files. */
export function startThrowawayPostgres(): Promise<{ url: string; stop: () => void }>;
