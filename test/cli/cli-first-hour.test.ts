// What a new user meets first: help and version, errors said in words they can act on (never a
// stack trace), and the start banner. The `lantern` command runs as a real child process.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, lantern } from '../support/cli.js';
import { freePort, startTestLantern } from '../support/lantern.js';
import { testDatabases } from '../support/databases.js';

const STACK = /\n\s+at .+\(.*:\d+:\d+\)/;
const listen = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('lantern: the first hour', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-first-hour-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version, and help with aligned columns; every command help exits 0 on stdout', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const version = await lantern(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, new RegExp(`^lantern ${pkg.version.replaceAll('.', '\\.')} `));
    const help = await lantern(['help']);
    assert.equal(help.code, 0);
    const commands = help.stdout.split('\n\n')[1]?.split('\n').slice(1) ?? [];
    assert.ok(commands.length >= 5, help.stdout);
    const column = (line: string) => /^ {2}\S+(?: \S+)*? {2,}/.exec(line)?.[0].length;
    assert.equal(new Set(commands.map(column)).size, 1, `one summary column:\n${commands.join('\n')}`);
    for (const command of ['serve', 'demo', 'roles', 'authenticator', 'offer']) {
      const r = await lantern([command, 'help']);
      assert.equal(r.code, 0, `${command} help: ${r.stderr}`);
      assert.match(r.stdout, /^Usage:\s+lantern /, command);
    }
    const unknown = await lantern(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command 'frobnicate'/);
  });

  it('names the file and the position of bad JSON, and a missing file, without a stack trace', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "resources": [\n    { "a": 1 }\n  ]\n  "b": 2\n}\n');
    for (const [args, code] of [[['offer', 'validate', bad], 2], [['roles', 'import', bad, '--data-dir', dir], 1]] as const) {
      const r = await lantern([...args]);
      assert.equal(r.code, code, args.join(' '));
      assert.equal(r.stderr.trim() + r.stdout.trim(), `${bad} is not valid JSON: expected ',' or '}', found '"' at line 5, column 3`);
    }
    const trailing = join(dir, 'trailing.json');
    writeFileSync(trailing, '{\n  "a": [1, 2,]\n}\n');
    const comma = await lantern(['offer', 'validate', trailing]);
    assert.equal(comma.stderr.trim(), `${trailing} is not valid JSON: unexpected ']' at line 2, column 14`);
    const missing = join(dir, 'missing.json');
    for (const [args, code] of [[['offer', 'validate', missing], 2], [['roles', 'import', missing, '--data-dir', join(dir, 'untouched')], 1]] as const) {
      const r = await lantern([...args]);
      assert.equal(r.code, code, args.join(' '));
      assert.equal(r.stderr.trim(), `${missing}: no such file`);
    }
    assert.throws(() => readFileSync(join(dir, 'untouched', 'lantern.db')), /ENOENT/, 'a bad file opens no database');
  });

  it('says a port is in use, names the setting, and leaves nothing listening', async () => {
    const taken = createServer();
    const httpPort = await freePort();
    const httpsPort = await freePort();
    await listen(taken, httpsPort);
    try {
      const r = await lantern(['serve', '--data-dir', join(dir, 'port'), '--http-port', String(httpPort), '--https-port', String(httpsPort), '--log-level', 'silent']);
      assert.equal(r.code, 1);
      assert.doesNotMatch(r.stderr, STACK);
      assert.match(r.stderr, new RegExp(`^port ${httpsPort} on 127\\.0\\.0\\.1 is in use .*LANTERN_HTTPS_PORT \\(--https-port\\).*Nothing was started\\.`));
      const probe = createServer();
      await listen(probe, httpPort);
      await close(probe);
    } finally {
      await close(taken);
    }
  });

  it('turns "fetch failed" into its cause: connection refused, untrusted certificate', async () => {
    const offline = `https://localhost:${await freePort()}`;
    const args = ['offer', 'export', 'x', '--tenant', 't', '--client-id', 'c', '--client-secret', 's', '--url'];
    const refused = await lantern([...args, offline]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^nothing answers at ${offline} \\(connection refused\\): is the Lantern server running at that URL\\?`));
    const server = await startTestLantern(testDatabases()[0]!);
    try {
      const untrusted = await lantern([...args, server.baseUrl], { NODE_EXTRA_CA_CERTS: undefined });
      assert.equal(untrusted.code, 1);
      assert.doesNotMatch(untrusted.stderr, STACK);
      assert.match(untrusted.stderr, /presented a certificate this machine does not trust \(.+\)\. Trust Lantern's certificate: export NODE_EXTRA_CA_CERTS=/);
    } finally {
      await server.stop();
    }
  });

  it('serve --demo shows the banner first: the first curl, the Azure clients guide, the demo role assignments', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--demo', '--data-dir', join(dir, 'demo'), '--http-port', '0', '--https-port', '0'], { env: childEnv({}) });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('lantern demo --json')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
    } finally {
      child.kill('SIGTERM');
    }
    assert.match(out, /^Lantern is serving:\n/);
    assert.match(out, /\nFirst request:\n {2}curl --cacert \S+ https:\/\/localhost:\d+\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token -d grant_type=client_credentials/);
    assert.match(out, /docs\/azure-clients\.md\n/);
    assert.match(out, /\nDemo world \(\d+ role assignments\):\n/);
    assert.ok(!out.includes('"level"'), 'no request log inside the banner');
  });
});
