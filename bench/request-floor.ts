/**
 * What a request costs at least on this machine, whatever Lantern does around it (issue 16): the
 * parts no request of its kind can skip, each timed alone, so bench/HTTP.md's ratios can be read
 * against them.
 *
 *   npm run bench:floor                 # writes bench/FLOOR.md
 *   npm run bench:floor -- --no-write
 *
 * - an RS256 signature with a 2048-bit key (every token Lantern issues, as Entra ID signs them);
 * - a SQLite read of one row by primary key on a WAL database file, run back to back (the CPU's
 *   caches hold SQLite's code and pages) and after touching 8 MiB of other memory (as inside a server,
 *   where the rest of each request evicts them);
 * - a SQLite write transaction committed durably (synchronous FULL, as Lantern opens it) and not (NORMAL);
 * - JSON.parse of one stored resource body (a list page with `$filter` or `$expand` parses one per item);
 * - reading a request's scope string once, fresh from JSON.parse as a request brings it (issue 16,
 *   point 5): a native scan of it, V8 finding it among 10^5 held scopes (hashing it first), and a
 *   JavaScript loop over its characters (as any hash or fold written in JavaScript must run).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync } from 'node:child_process';
import SqliteDatabase from 'better-sqlite3';

const here = dirname(fileURLToPath(import.meta.url));
const write = !process.argv.includes('--no-write');

/** Median over `runs` of the mean µs per call of `body` called `n` times. */
function timed(runs: number, n: number, body: () => void): number {
  const means: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) body();
    means.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return means.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

function rs256(): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = Buffer.from(`${'e'.repeat(36)}.${'c'.repeat(900)}`);
  return timed(5, 200, () => sign('sha256', input, privateKey));
}

function sqliteReads(): { hot: number; cold: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-floor-'));
  try {
    const db = new SqliteDatabase(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.exec('create table resource_groups (sub_id text not null, name text not null, body text not null, primary key (sub_id, name))');
    const insert = db.prepare('insert into resource_groups values (?, ?, ?)');
    db.transaction(() => {
      for (let s = 0; s < 10; s++) for (let g = 0; g < 100; g++) insert.run(`sub-${s}`, `rg-${g}`, JSON.stringify({ subscriptionId: `sub-${s}`, name: `rg-${g}`, location: 'westeurope', tags: {} }));
    })();
    const read = db.prepare('select body from resource_groups where sub_id = ? and name = ?').pluck();
    const hot = timed(5, 20_000, () => read.all('sub-3', 'rg-42'));
    const other = new Float64Array(1 << 20); // 8 MiB
    let sink = 0;
    let cold = 0;
    const samples: number[] = [];
    for (let r = 0; r < 5; r++) {
      let ns = 0n;
      for (let i = 0; i < 2_000; i++) {
        for (let j = 0; j < other.length; j += 8) sink += (other[j] = (other[j] ?? 0) + 1);
        const t0 = process.hrtime.bigint();
        read.all('sub-3', 'rg-42');
        ns += process.hrtime.bigint() - t0;
      }
      samples.push(Number(ns) / 2_000 / 1000);
    }
    cold = samples.sort((a, b) => a - b)[2] as number;
    db.close();
    if (sink < 0) console.log(sink);
    return { hot, cold };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** µs per committed write transaction (one small insert) on a WAL file, durable (synchronous FULL, as Lantern opens SQLite) and not. */
function sqliteCommits(): { full: number; normal: number; lanternMode: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-floor-'));
  try {
    const run = (mode: 'FULL' | 'NORMAL') => {
      const db = new SqliteDatabase(join(dir, `commit-${mode}.db`));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${mode}`);
      db.exec('create table resources (id text primary key, body text not null)');
      const insert = db.prepare('insert into resources values (?, ?)');
      const body = 'x'.repeat(300);
      let i = 0;
      const us = timed(5, 300, () => {
        db.exec('begin immediate');
        insert.run(`id-${i++}`, body);
        db.exec('commit');
      });
      db.close();
      return us;
    };
    // What a database opened as Lantern opens it (WAL, nothing else said) syncs at.
    const probe = new SqliteDatabase(join(dir, 'probe.db'));
    probe.pragma('journal_mode = WAL');
    const lanternMode = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][probe.pragma('synchronous', { simple: true }) as number] ?? 'unknown';
    probe.close();
    return { full: run('FULL'), normal: run('NORMAL'), lanternMode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseBody(): number {
  const texts = Array.from({ length: 1_000 }, (_, i) => JSON.stringify({
    id: `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-${i % 10}/providers/Microsoft.Storage/storageAccounts/sa${i}`,
    subscriptionId: '00000000-0000-4000-8000-000000000001', resourceGroup: `rg-${i % 10}`, type: 'Microsoft.Storage/storageAccounts', name: `sa${i}`,
    location: 'westeurope', tags: { env: 'bench' }, properties: {}, createdAt: '2026-12-02T00:00:00.000Z', changedAt: '2026-12-02T00:00:00.000Z',
  }));
  let i = 0;
  return timed(5, 50_000, () => {
    JSON.parse(texts[i++ % texts.length] as string);
  });
}

// Scopes shaped as the engine bench's, ≈120 characters each.
const scopeOf = (i: number) =>
  `/subscriptions/${(i >>> 3).toString(16).padStart(8, '0')}-0003-4${(i % 4096).toString(16).padStart(3, '0')}-8abc-${i.toString(16).padStart(12, '0')}/resourceGroups/rg-${i % 3}/providers/Microsoft.Compute/virtualMachines/vm-${i % 7}`;

/** Median ns per scope of `body`, each batch of 1,000 scopes parsed from JSON just before (untimed). */
function perFreshScope(body: (scope: string) => number): number {
  const batches = Array.from({ length: 50 }, (_, b) => JSON.stringify(Array.from({ length: 1_000 }, (_, i) => scopeOf((b * 7919 + i * 104_729) % 100_000))));
  const runs: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    let ns = 0n;
    let n = 0;
    for (const text of batches) {
      const scopes = JSON.parse(text) as string[];
      const t0 = process.hrtime.bigint();
      for (const scope of scopes) sink += body(scope);
      ns += process.hrtime.bigint() - t0;
      n += scopes.length;
    }
    runs.push(Number(ns) / n);
  }
  if (sink === -1) console.log(sink);
  return runs.sort((a, b) => a - b)[2] as number;
}

function freshScopes(): { scan: number; lookup: number; loop: number; length: number } {
  const held = Object.create(null) as Record<string, number>;
  for (let i = 0; i < 100_000; i++) held[scopeOf(i)] = i;
  return {
    scan: perFreshScope((scope) => (scope.includes('//') ? 1 : 0)),
    lookup: perFreshScope((scope) => held[scope] ?? 0),
    loop: perFreshScope((scope) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < scope.length; i++) h = Math.imul(h ^ scope.charCodeAt(i), 0x01000193);
      return h;
    }),
    length: scopeOf(12_345).length,
  };
}

const signature = rs256();
const reads = sqliteReads();
const commits = sqliteCommits();
const parse = parseBody();
const scope = freshScopes();
const us = (x: number) => x.toFixed(1);
const ns = (x: number) => x.toFixed(0);
const perSecond = (x: number) => `${(1e9 / x / 1e6).toFixed(1)} M/s`;
console.log(`RS256 signature: ${us(signature)} µs; SQLite read by key: ${us(reads.hot)} µs back to back, ${us(reads.cold)} µs after 8 MiB of other work; JSON.parse of a resource body: ${us(parse)} µs`);
console.log(`SQLite write transaction: ${us(commits.full)} µs synchronous FULL (Lantern's: ${commits.lanternMode}), ${us(commits.normal)} µs NORMAL`);
console.log(`fresh ${scope.length}-character scope: native scan ${ns(scope.scan)} ns, V8 lookup among 10^5 ${ns(scope.lookup)} ns, JavaScript loop over its characters ${ns(scope.loop)} ns`);

if (write) {
  const commit = execSync('git rev-parse --short HEAD', { cwd: here }).toString().trim();
  writeFileSync(join(here, 'FLOOR.md'), `# Request floor

Generated by \`bench/request-floor.ts\` on ${new Date().toISOString()} (commit \`${commit}\`).

- Machine: ${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}, Node ${process.version}; load average at the end ${loadavg()[0]?.toFixed(1)}.
- Command: \`npm run bench:floor\`
- Single thread, median of 5 runs.

| part | µs |
|---|---|
| RS256 signature, 2048-bit key (one per token issued) | **${us(signature)}** |
| SQLite read of one row by primary key (WAL file), back to back | ${us(reads.hot)} |
| the same read after 8 MiB of other memory was touched | **${us(reads.cold)}** |
| JSON.parse of one stored resource body (one per item of a list page with \`$filter\` or \`$expand\`) | ${us(parse)} |
| a SQLite write transaction (one insert) on a WAL file, committed durably (synchronous ${commits.lanternMode}, as Lantern opens it: the WAL is synced) | **${us(commits.full)}** |
| the same, synchronous NORMAL (a commit can be lost to a power cut or an OS crash) | ${us(commits.normal)} |

Reading a request's scope string once (${scope.length} characters, fresh from JSON.parse as a request brings it; ns per
scope, and the checks per second a check could reach at most if that were all it did):

| part | ns | at most |
|---|---|---|
| a native scan of it (\`includes('//')\`, as the engine's normalisation test does) | ${ns(scope.scan)} | ${perSecond(scope.scan)} |
| V8 finding it among 10^5 held scopes (a null-prototype object: hash, then probe) | **${ns(scope.lookup)}** | ${perSecond(scope.lookup)} |
| a JavaScript loop over its characters (FNV-1a with \`charCodeAt\` and \`Math.imul\`) | **${ns(scope.loop)}** | ${perSecond(scope.loop)} |

How to read bench/HTTP.md against it: the baseline there answers from memory with a working set that stays in the CPU's
caches. One RS256 signature alone costs more CPU than a whole baseline request, so token issuance cannot come near
the baseline while tokens are signed as Entra ID signs them; and a statement inside a request runs with the caches
the rest of the request left behind (between the two read figures), not at the back-to-back figure. Every ARM
write commits durably (a revoked role assignment must not come back after a power cut, so Lantern keeps the sync),
and one durable commit costs about as much CPU and waiting as a whole write request of the bare server.
The scope figures bound issue 16's point 5 (3 M checks/s, 333 ns each, on scope strings new with each request): a
check must find the scope's place among those held, by V8's hash or by reading its characters in JavaScript, and on this
machine either alone costs about as much as the whole target.
`);
}
