// `lantern operator …` as real child processes (issue 14.7, 13.4): a deployment started without --demo
// gets its first operator from `bootstrap` (on the database directly, printed once, refused a second
// time and while a server runs), then the operator's commands create a tenant, a user, a group and its
// member, a service principal and a subscription over HTTP, grant and revoke the role; bad input is
// refused naming the field, and a non-operator's call is refused with the engine's 403.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, lantern } from '../support/cli.js';
import { freePort } from '../support/lantern.js';
import type { BootstrapCredentials } from '../../src/cli/operator-commands.js';

describe('lantern operator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-operator-'));
  const dataDir = join(dir, 'data');
  let config: string[];
  let server: ChildProcess | undefined;
  let first: BootstrapCredentials;
  const connection = (c: { url: string; tenantId: string; clientId: string; clientSecret: string }) => ({ LANTERN_URL: c.url, LANTERN_TENANT: c.tenantId, LANTERN_CLIENT_ID: c.clientId, LANTERN_CLIENT_SECRET: c.clientSecret });
  const op = async (args: string[], as = first) => {
    const result = await lantern(['operator', ...args], connection(as));
    return { ...result, json: result.code === 0 && /^[[{]/.test(result.stdout) ? (JSON.parse(result.stdout) as Record<string, unknown>) : {} };
  };
  const serve = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...config, '--log-level', 'warn'], { env: childEnv({}) });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('First request:')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
    });
    return child;
  };

  before(async () => {
    const port = await freePort();
    // The test certificate, which this process (and its children) trust through NODE_EXTRA_CA_CERTS.
    config = ['--data-dir', dataDir, '--http-port', '0', '--https-port', String(port), '--tls-cert', process.env.LANTERN_TEST_TLS_CERT!, '--tls-key', process.env.LANTERN_TEST_TLS_KEY!];
  });
  after(async () => {
    if (server?.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server?.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps the first operator of a new deployment once, and never while a server runs', async () => {
    const made = await lantern(['operator', 'bootstrap', '--json', ...config]);
    assert.equal(made.code, 0, made.stderr);
    first = JSON.parse(made.stdout) as BootstrapCredentials;
    assert.equal(first.tenantDomain, 'operators.lantern');
    assert.equal(first.url, `https://localhost:${config[5]}`);
    assert.match(first.clientSecret, /^.{3}8Q~.{34}$/);

    const again = await lantern(['operator', 'bootstrap', ...config]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^OperatorAlreadyExists: This deployment already has 1 platform operator\(s\) \(lantern-operator\): an operator grants the role to others/);
    assert.doesNotMatch(again.stdout + again.stderr, /8Q~/, 'no second secret is made');

    server = await serve();
    const whileServing = await lantern(['operator', 'bootstrap', '--domain', 'second.example', ...config]);
    assert.equal(whileServing.code, 1);
    assert.match(whileServing.stderr, /the first operator must be made while no server serves the database/);
  });

  it("creates a tenant, a user, a group and its member, a service principal and a subscription; grants and revokes the role", async () => {
    const tenant = await op(['tenant', 'create', 'adatum.example', '--name', 'Adatum']);
    assert.equal(tenant.code, 0, tenant.stderr);
    const tenantId = tenant.json.id as string;
    assert.ok(((await op(['tenant', 'list'])).json as unknown as { id: string }[]).some((t) => t.id === tenantId));

    const user = await op(['user', 'create', tenantId, 'ops@adatum.example', '--name', 'Adatum Ops']);
    assert.equal(user.code, 0, user.stderr);
    assert.match(user.json.password as string, /^Lt-/);
    const group = await op(['group', 'create', tenantId, '--name', 'Adatum Engineers']);
    assert.equal(group.code, 0, group.stderr);
    const member = await op(['group', 'add-member', tenantId, group.json.id as string, user.json.id as string]);
    assert.deepEqual(member.json, { groupId: group.json.id, memberId: user.json.id, memberType: 'User' });
    const sp = await op(['sp', 'create', tenantId, '--name', 'adatum-automation']);
    assert.equal(sp.code, 0, sp.stderr);
    const secret = (sp.json.clientSecret as { value: string }).value;
    const subscription = await op(['subscription', 'create', tenantId, '--name', 'Adatum Production', '--owner', user.json.id as string]);
    assert.equal(subscription.code, 0, subscription.stderr);
    assert.equal(subscription.json.state, 'Enabled');

    // The new service principal is no operator: the engine refuses it, in ARM's words.
    const adatum = { url: first.url, tenantId, clientId: sp.json.appId as string, clientSecret: secret, tenantDomain: '', objectId: sp.json.id as string };
    const refused = await op(['tenant', 'list'], adatum);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /HTTP 403 AuthorizationFailed\): The client '[0-9a-f-]+' with object id '[0-9a-f-]+' does not have authorization to perform action 'Lantern\.Operator\/tenants\/read' over scope '\/providers\/Lantern\.Operator'/);

    const granted = await op(['grant', adatum.objectId]);
    assert.equal(granted.code, 0, granted.stderr);
    assert.equal((await op(['tenant', 'list'], adatum)).code, 0);
    assert.equal(((await op(['list'])).json as unknown as unknown[]).length, 2);
    const revoked = await op(['revoke', adatum.objectId]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked the platform operator role/);
    assert.equal((await op(['tenant', 'list'], adatum)).code, 1);
  });

  it('refuses bad input naming the field, and a command used wrongly with its usage', async () => {
    const badDomain = await op(['tenant', 'create', 'not_a_domain', '--name', 'Bad']);
    assert.equal(badDomain.code, 1);
    assert.match(badDomain.stderr, /HTTP 400 InvalidDomainName, field defaultDomain\)/);
    const weak = await op(['user', 'create', first.tenantId, 'weak@operators.lantern', '--name', 'Weak', '--password', 'password']);
    assert.match(weak.stderr, /InvalidPassword, field password\)/);
    const noName = await op(['group', 'create', first.tenantId]);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /operator group create needs --name/);
    const unknown = await op(['tenant', 'rename', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'lantern operator tenant rename'/);
    const help = await lantern(['operator', 'help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /lantern operator bootstrap/);
  });
});
