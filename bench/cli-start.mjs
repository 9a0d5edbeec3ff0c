#!/usr/bin/env node
// The first-hour start-up figures (issue 14.2), measured on the compiled command:
//   lantern --version, lantern offer validate (the Contoso offer), and `lantern serve --demo` from
//   process start to the banner on a warm data directory (the second start of the same directory),
//   and `npm start` the same way (npm itself, the build check that skips an unchanged build, then serve).
// Each figure is the median of RUNS runs: wall time and the child's CPU time (user + system), which
// is what a shared, loaded machine distorts least. Run: node bench/cli-start.mjs [RUNS]; writes
// bench/cli-start.json and prints a table for docs/operations.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const work = mkdtempSync(join(tmpdir(), 'lantern-cli-bench-'));
const bin = join(root, 'bin', 'lantern.js');

const buildStarted = performance.now();
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
const buildMs = performance.now() - buildStarted;

// The offer file: the Publish story's complete Contoso offer, as `lantern offer export` prints it.
const offer = join(work, 'contoso-offer.json');
writeFileSync(offer, execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
  import { toIngestionResources } from './src/core/marketplace/ingestion.ts';
  import { contosoOffer } from './src/core/marketplace/test-fixtures.ts';
  process.stdout.write(JSON.stringify(toIngestionResources(contosoOffer()), null, 2));`], { cwd: root }));

/** Runs `command args…` (node by default) until `done(stdout)` holds (or it exits); returns wall and CPU milliseconds. */
function measure(args, done = () => false, command = process.execPath) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // bash's `time` reports the child's own CPU time, whatever else the machine runs.
    // Its own process group, so the server under `npm start` stops with it.
    const child = spawn('bash', ['-c', 'TIMEFORMAT="%U %S"; time "$@" 2>/dev/null', 'bench', command, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let wallMs;
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (wallMs === undefined && done(out)) {
        wallMs = performance.now() - started;
        // Everything in the group but bash, which then prints the CPU time its children used.
        const group = execFileSync('pgrep', ['-g', String(child.pid)], { encoding: 'utf8' }).split('\n').filter((pid) => pid !== '' && Number(pid) !== child.pid);
        for (const pid of group) process.kill(Number(pid), 'SIGTERM');
      }
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', () => {
      const [user, sys] = err.trim().split('\n').at(-1).split(' ').map(Number);
      if (!Number.isFinite(user)) return reject(new Error(`no timing for ${args.join(' ')}: ${err}`));
      resolve({ wallMs: wallMs ?? performance.now() - started, cpuMs: (user + sys) * 1000 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function series(name, args, done, command) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(args, done, command));
  // Under npm the server is a grandchild, which bash's `time` does not count: wall time only.
  const cpuMs = command === undefined ? Math.round(median(samples.map((s) => s.cpuMs))) : null;
  return { name, wallMs: Math.round(median(samples.map((s) => s.wallMs))), cpuMs };
}

const dataDir = join(work, 'data');
const serveArgs = [bin, 'serve', '--demo', '--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--log-level', 'warn'];
const banner = (out) => out.includes('lantern demo --json');
try {
  await measure(serveArgs, banner); // the first start seeds the demo world; later starts are warm
  const results = [
    await series('lantern --version', [bin, '--version']),
    await series('lantern offer validate contoso-offer.json', [bin, 'offer', 'validate', offer, '--publisher', 'contoso']),
    await series('lantern serve --demo (warm data dir, to the banner)', serveArgs, banner),
    await series('npm start (warm data dir, unchanged build, to the banner)', ['start', '--', ...serveArgs.slice(3)], banner, 'npm'),
  ];
  const report = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage: loadavg()[0], runs, buildMs: Math.round(buildMs), results };
  writeFileSync(join(root, 'bench', 'cli-start.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`| command | wall (median of ${runs}) | CPU (median) |\n|---|---:|---:|`);
  for (const r of results) console.log(`| ${r.name} | ${r.wallMs} ms | ${r.cpuMs === null ? '—' : `${r.cpuMs} ms`} |`);
  console.log(`build (esbuild, ${report.cpus} cores, load average ${report.loadAverage.toFixed(1)}): ${report.buildMs} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
