#!/usr/bin/env node
// `npm run soak`: the long version of the attack suite's race, crash and fuzz tests (LANTERN_SOAK=1:
// more writers, rounds and kill -9s), through the same runner as `npm test` (a throwaway PostgreSQL
// unless TEST_PG_URL is set). Prints how long it took and on what machine, for docs/operations.md.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

const started = Date.now();
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/attack/races', 'test/attack/crash', 'test/attack/fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, LANTERN_SOAK: '1' },
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`soak: ${result.status === 0 ? 'passed' : 'FAILED'} in ${minutes} min on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
process.exit(result.status ?? 1);
