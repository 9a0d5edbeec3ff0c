/**
 * One cold start in a process of its own, as `lantern serve` starts: from process start (Node's
 * time origin, so loading the modules through tsx counts) to the first check the engine answers.
 * Run by sqlite-cold-start.ts as `node --import tsx bench/cold-start-process.ts <sqlite file>`;
 * prints one JSON line (a TimedStart).
 */
import { openStore } from '../src/storage/open-store.js';
import { startEngine } from '../src/services/authorization/engine-start.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: cold-start-process.ts <sqlite file>');
const opened = performance.now();
const store = await openStore({ kind: 'sqlite', path });
const start = await startEngine(store);
const principalId = '00000000-0000-4000-8000-000000000000';
const scope = '/subscriptions/00000000-0000-4000-8000-000000000000';
start.engine.check({ principalId, tenantId: principalId, action: 'Microsoft.Resources/subscriptions/read', scope, at: Date.now() });
const ms = performance.now();
const cpu = process.cpuUsage();
await store.close();
if (start.engine.roleAssignmentCount === 0) throw new Error('the cold start loaded nothing');
const { from, replayed, saveMs } = start;
process.stdout.write(`${JSON.stringify({ ms, moduleMs: opened, cpuMs: (cpu.user + cpu.system) / 1000, from, replayed, saveMs })}\n`);
