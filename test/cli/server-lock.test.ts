// One server per database (issue 14.4): a second server on the same SQLite data directory or the same
// PostgreSQL database is refused at start, and so is `lantern roles import` while a server runs (its
// engine would not see the roles until a restart).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { DatabaseInUseError, lockDatabase } from '../../src/app/server-lock.js';
import { childEnv, lantern } from '../support/cli.js';
import { createPostgresDatabase } from '../support/databases.js';

const ROLE = {
  name: '11111111-2222-4333-8444-555555555555',
  roleName: 'Lock Test Reader',
  roleType: 'BuiltInRole',
  description: 'reads',
  assignableScopes: ['/'],
  permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
};

describe('one server per database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second server and a roles import on a SQLite data directory a server holds', async () => {
    const dataDir = join(dir, 'data');
    const args = ['--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--log-level', 'warn'];
    const first = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], { env: childEnv({}) });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        first.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('First request:')) resolve();
        });
        first.once('exit', (code) => reject(new Error(`the first server exited with ${code}`)));
      });
      const second = await lantern(['serve', ...args]);
      assert.equal(second.code, 1);
      assert.match(second.stderr, new RegExp(`^another Lantern server \\(pid ${first.pid}\\) is serving the database in ${dataDir}; .*drift apart.*LANTERN_DATA_DIR \\(--data-dir\\)\\. Nothing was started\\.\\n$`));
      const file = join(dir, 'roles.json');
      writeFileSync(file, JSON.stringify([ROLE]));
      const imported = await lantern(['roles', 'import', file, '--data-dir', dataDir]);
      assert.equal(imported.code, 1);
      assert.match(imported.stderr, /roles imported now would not reach its authorization engine until it restarts\. Stop the server, run 'lantern roles import' again, then start the server\./);
    } finally {
      first.kill('SIGTERM');
      await new Promise((resolve) => first.once('exit', resolve));
    }
    assert.equal(existsSync(join(dataDir, 'server.lock')), false, 'a server that stops releases its lock');
    const after = await lantern(['roles', 'import', join(dir, 'roles.json'), '--data-dir', dataDir]);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /1 added/);
  });

  it('takes over a lock left by a server that died', async () => {
    const dataDir = join(dir, 'stale');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    const config = loadConfig(['--data-dir', dataDir], {});
    const lock = await lockDatabase(config);
    await lock.release();
    writeFileSync(join(dataDir, 'server.lock'), `${dead.pid}\n`);
    const again = await lockDatabase(config);
    await again.release();
  });

  it('holds a PostgreSQL advisory lock per database for the life of the server', async () => {
    const one = await createPostgresDatabase(process.env.TEST_PG_URL!);
    const other = await createPostgresDatabase(process.env.TEST_PG_URL!);
    try {
      const config = loadConfig([], { DATABASE_URL: one.url });
      const lock = await lockDatabase(config);
      await assert.rejects(lockDatabase(config), (e: unknown) => e instanceof DatabaseInUseError && /another Lantern server \(database backend pid \d+.*\) is serving this PostgreSQL database; .*DATABASE_URL/.test(e.message));
      const elsewhere = await lockDatabase(loadConfig([], { DATABASE_URL: other.url }));
      await elsewhere.release();
      await lock.release();
      const next = await lockDatabase(config);
      await next.release();
    } finally {
      await one.drop();
      await other.drop();
    }
  });
});
