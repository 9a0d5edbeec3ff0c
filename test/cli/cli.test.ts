// The `lantern` command run as a real child process against real databases.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/storage/open-store.js';
import { loadConfig } from '../../src/app/config.js';
import { composeServices } from '../../src/app/compose.js';
import { openConfiguredStore } from '../../src/app/server.js';
import { base32Decode, hotp, totpStep } from '../../src/core/identity/totp.js';
import { createPostgresDatabase } from '../support/databases.js';
import { lantern } from '../support/cli.js';
import type { DemoCredentials } from '../../src/services/demo/demo-world.js';
import { BUILTIN_ROLES_FILE, SKIP_WITHOUT_ROLE_DUMP } from '../support/shared-data.js';

const ROLES = BUILTIN_ROLES_FILE;


describe('lantern CLI', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'lantern-cli-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('demo --json creates the demo world in SQLite and prints its credentials', async () => {
    const dir = tempDir();
    const { code, stdout } = await lantern(['demo', '--json', '--data-dir', dir]);
    assert.equal(code, 0);
    const demo = JSON.parse(stdout) as DemoCredentials;
    assert.deepEqual(demo.tenants.map((t) => t.name), ['Contoso', 'Fabrikam', 'Northwind']);
    assert.deepEqual(demo.subscriptions.map((s) => s.displayName), ['Fabrikam Production', 'Northwind Dev']);
    assert.deepEqual(demo.resourceGroups.map((g) => g.name).sort(), ['rg-app', 'rg-data', 'rg-network', 'rg-web']);
    assert.deepEqual(demo.groups.map((g) => g.displayName).sort(), ['Contoso Automation', 'Contoso L1 Support', 'Contoso L2 Engineers', 'Contoso Offboarding']);
    assert.deepEqual(demo.servicePrincipals.map((s) => s.displayName), ['contoso-automation', 'fabrikam-deployer', 'northwind-deployer']);
    assert.ok(demo.users.some((u) => u.userType === 'Guest' && u.tenant === 'Fabrikam'));
    assert.deepEqual(demo.publishers, [{ publisherId: 'contoso', tenant: 'Contoso', verified: true, eligibility: ['SolutionsPartner:Infrastructure'], owners: ['admin@contoso.example'], developers: ['contoso-automation'] }]);
    assert.equal(statSync(join(dir, 'demo-credentials.json')).mode & 0o777, 0o600);

    // Only hashes reach the database.
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    try {
      const sp = demo.servicePrincipals[0]!;
      const secrets = await store.identity.listClientSecrets(sp.objectId);
      assert.equal(secrets.length, 1);
      assert.ok(!JSON.stringify(secrets).includes(sp.clientSecret));
      assert.match(secrets[0]!.secretHash, /^\$sha256\$/);
    } finally {
      await store.close();
    }

    // Again: the same world is shown, not seeded twice.
    const again = await lantern(['demo', '--json', '--data-dir', dir]);
    assert.equal(again.code, 0);
    assert.deepEqual(JSON.parse(again.stdout), demo);
  });

  it('demo refuses a database that holds anything else', async () => {
    const dir = tempDir();
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    await store.identity.putTenant({ id: '12345678-1234-4234-8234-123456789012', displayName: 'Other', defaultDomain: 'other.example' });
    await store.close();
    const { code, stderr } = await lantern(['demo', '--data-dir', dir]);
    assert.equal(code, 1);
    assert.match(stderr, /already holds data that is not the demo world/);
  });

  it('demo works on PostgreSQL through DATABASE_URL', async () => {
    const db = await createPostgresDatabase(process.env.TEST_PG_URL!);
    try {
      const { code, stdout } = await lantern(['demo', '--json', '--data-dir', tempDir()], { DATABASE_URL: db.url });
      assert.equal(code, 0, stdout);
      const store = await openStore({ kind: 'postgres', url: db.url });
      try {
        assert.equal((await store.identity.listTenants()).length, 3);
        assert.equal((await store.resources.listResourceGroups('fab50000-0000-4000-8000-0000000000a1')).length, 3);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('roles import loads the 928-role catalog of az role definition list, then reports nothing new', { skip: SKIP_WITHOUT_ROLE_DUMP }, async () => {
    const dir = tempDir();
    const first = await lantern(['roles', 'import', ROLES, '--data-dir', dir]);
    assert.equal(first.code, 0, first.stderr);
    const [, added, updated] = /(\d+) added, (\d+) updated/.exec(first.stdout) ?? [];
    assert.equal(Number(added) + Number(updated), 928 - Number(/(\d+) unchanged/.exec(first.stdout)?.[1]));
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    assert.equal((await store.authorization.listRoleDefinitions()).length, 928);
    await store.close();
    const second = await lantern(['roles', 'import', ROLES, '--data-dir', dir]);
    assert.match(second.stdout, /0 added, 0 updated, 928 unchanged/);
  });

  it('roles import refuses a malformed file and changes nothing', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, JSON.stringify([{ name: 'not-a-guid', roleName: 'x', permissions: [] }])));
    const { code, stderr } = await lantern(['roles', 'import', bad, '--data-dir', dir]);
    assert.equal(code, 1);
    assert.match(stderr, /InvalidRoleDefinitionFile/);
  });

  it('roles import-assignments loads az rows into the demo world, again makes nothing new, and a bad row changes nothing', async () => {
    const dir = tempDir();
    const demo = JSON.parse((await lantern(['demo', '--json', '--data-dir', dir])).stdout) as DemoCredentials;
    const reader = demo.users.find((u) => u.userPrincipalName === 'reader@fabrikam.example')!.objectId;
    const sub = `/subscriptions/${demo.subscriptions[0]!.subscriptionId}`;
    const row = (rg: string, role = 'b24988ac-6180-42a0-ab88-20f7382dd24c') => ({ principalId: reader, principalType: 'User', roleDefinitionId: role, scope: `${sub}/resourceGroups/${rg}` });
    const { writeFile } = await import('node:fs/promises');
    const good = join(dir, 'assignments.json');
    await writeFile(good, JSON.stringify([row('rg-web'), row('rg-data')]));
    const first = await lantern(['roles', 'import-assignments', good, '--data-dir', dir]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Imported role assignments: 2 created, 0 unchanged \(2 rows, \d+ ms\)/);
    assert.match((await lantern(['roles', 'import-assignments', good, '--data-dir', dir])).stdout, /0 created, 2 unchanged/);
    const bad = join(dir, 'bad-assignments.json');
    await writeFile(bad, JSON.stringify([row('rg-network'), row('rg-network', 'not-a-role')]));
    const refused = await lantern(['roles', 'import-assignments', bad, '--data-dir', dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /InvalidRoleAssignmentImport: The import was refused and nothing was written: 1 row\(s\) break a rule/);
    assert.match(refused.stderr, /\[1\]\.properties\.roleDefinitionId/);
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    try {
      assert.equal((await store.authorization.listRoleAssignmentsUnder(`${sub}/resourceGroups/rg-network`)).some((a) => a.principalId === reader), false, 'the good row was not written');
    } finally {
      await store.close();
    }
  });

  it("authenticator remove takes a user's TOTP authenticator away (a lost phone) in the configured database", async () => {
    const dir = tempDir();
    assert.equal((await lantern(['demo', '--data-dir', dir])).code, 0);
    const config = loadConfig(['--data-dir', dir], {});
    const enrol = async () => {
      const store = await openConfiguredStore(config);
      try {
        const { identity } = await composeServices(config, store);
        const bob = (await store.identity.findUserByUpn('bob@contoso.example'))!;
        const secret = base32Decode((await identity.authenticators.beginEnrolment(bob.id)).secret)!;
        await identity.authenticators.confirmEnrolment(bob.id, hotp(secret, totpStep(Date.now() / 1000)));
        assert.equal((await identity.authenticators.get(bob.id))?.state, 'active');
        return bob;
      } finally {
        await store.close();
      }
    };
    const bob = await enrol();
    const removed = await lantern(['authenticator', 'remove', 'bob@contoso.example', '--data-dir', dir]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /Removed the authenticator of bob@contoso\.example/);
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'lantern.db') });
    assert.equal(await store.documents.get('identity.authenticators', bob.id), undefined);
    await store.close();
    const again = await lantern(['authenticator', 'remove', bob.id, '--data-dir', dir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /has no authenticator/);
    const nobody = await lantern(['authenticator', 'remove', 'nobody@contoso.example', '--data-dir', dir]);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /No user 'nobody@contoso\.example'/);
    assert.equal((await lantern(['authenticator', 'remove', '--data-dir', dir])).code, 2);
    assert.equal((await lantern(['authenticator', 'add', 'bob@contoso.example', '--data-dir', dir])).code, 2);
  });

  it('rejects a bad configuration value with a clear message and exit code 2', async () => {
    const { code, stderr } = await lantern(['serve', '--https-port', 'x']);
    assert.equal(code, 2);
    assert.match(stderr, /--https-port must be a whole number from 0 to 65535 \(got 'x'\)/);
  });
});
