/**
 * Issue 14.9: the docs cannot drift from the product. Every command block of README.md and
 * docs/*.md marked runnable (```sh runnable, docs/architecture.md "Runnable docs") runs, in order,
 * against a fresh `lantern serve --demo` on free ports with a temporary data directory; a block that
 * fails is reported with its file, line and output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/lantern.js';
import { runBlock, runnableBlocks, substituted, type DocsServer, type RunnableBlock } from '../support/runnable-docs.js';

const REPO = resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

// What a user's shell has: no test settings (the runner's certificate, database, Lantern variables).
function userEnvironment(bin: string): NodeJS.ProcessEnv {
  const keep = ['HOME', 'LANG', 'TMPDIR', 'TERM', 'USER'];
  return { ...Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])), PATH: `${bin}:${process.env.PATH ?? ''}` };
}

async function waitForServer(server: ChildProcess, url: string, credentials: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`lantern serve exited (${server.exitCode}):\n${log()}`);
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up && existsSync(credentials)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`lantern serve did not answer within 45 s:\n${log()}`);
}

describe('runnable command blocks of README.md and docs/', () => {
  const work = mkdtempSync(join(tmpdir(), 'lantern-docs-'));
  const bin = join(work, '.bin');
  const blocks: RunnableBlock[] = DOCS.flatMap((file) => runnableBlocks(file, readFileSync(join(REPO, file), 'utf8')));
  let server: ChildProcess;
  let ports: DocsServer;
  let log = '';

  before(async () => {
    // The blocks run in `work`: `.lantern/` is the server's data directory, `lantern` runs this
    // checkout's sources, and node scripts resolve this checkout's packages.
    mkdirSync(bin);
    writeFileSync(join(bin, 'lantern'), `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(REPO, 'src/cli/main.ts')}" "$@"\n`);
    chmodSync(join(bin, 'lantern'), 0o755);
    symlinkSync(join(REPO, 'node_modules'), join(work, 'node_modules'));
    ports = { httpsPort: await freePort(), httpPort: await freePort() };
    server = spawn(join(bin, 'lantern'), ['serve', '--demo', '--https-port', String(ports.httpsPort), '--http-port', String(ports.httpPort), '--log-level', 'warn'], {
      cwd: work, env: userEnvironment(bin), stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitForServer(server, `http://127.0.0.1:${ports.httpPort}/health`, join(work, '.lantern', 'demo-credentials.json'), () => log);
  });

  after(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('finds the runnable blocks (README, azure-clients)', () => {
    assert.ok(blocks.some((b) => b.file === 'README.md') && blocks.some((b) => b.file === 'docs/azure-clients.md'), blocks.map((b) => `${b.file}:${b.line}`).join(', '));
  });

  it('runs every runnable block against a fresh server with the demo world', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const block of blocks) {
      const failure = await runBlock(block, ports, { cwd: work, env: userEnvironment(bin), timeoutMs: 30_000 });
      if (failure) failures.push(failure.report);
    }
    assert.equal(failures.length, 0, `\n${failures.join('\n\n')}\n\nserver log:\n${log.slice(-2000)}`);
  });

  it('reports a failing block with its file, line and output', async () => {
    const [block] = runnableBlocks('docs/example.md', 'Text\n\n```sh runnable\ncurl -fsS http://localhost:8080/no-such-route\n```\n');
    assert.ok(block);
    assert.equal(substituted(block.text, ports), `curl -fsS http://localhost:${ports.httpPort}/no-such-route`);
    const failure = await runBlock(block, ports, { cwd: work, env: userEnvironment(bin), timeoutMs: 10_000 });
    assert.match(failure?.report ?? '', /^docs\/example\.md:3: the runnable block failed \(exit 22\)\n--- block ---\ncurl -fsS http:\/\/localhost:8080\/no-such-route\n--- output ---\ncurl: \(22\) The requested URL returned error: 404/);
  });

  it('reads only sh blocks marked runnable, and refuses a runnable block in another language', () => {
    const markdown = '```sh\nnot run\n```\n\n````sh runnable\nls\n```\n````\n\n```json\n{}\n```\n';
    assert.deepEqual(runnableBlocks('x.md', markdown), [{ file: 'x.md', line: 5, text: 'ls\n```' }]);
    assert.throws(() => runnableBlocks('x.md', '```js runnable\n1\n```\n'), /x\.md:1: a runnable block must be sh or bash, not 'js'/);
  });
});
