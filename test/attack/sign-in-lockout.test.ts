/**
 * Issue 11.7: smart lockout of the token endpoint over real HTTP. Wrong guesses lock the account
 * (a client id or a user name) and, at a higher threshold, the source address; a locked account
 * refuses even the right secret without checking it; other accounts and the account's familiar
 * addresses keep signing in; a burst of wrong secrets does not queue secret checks past the lock,
 * and /health answers throughout. Loopback addresses 127.0.0.x stand for different IPs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoWorldInto, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { isAadError, rawRequest, type RawAnswer } from './support.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const ARM = 'https://management.azure.com/.default';
const THRESHOLD = 4;
const ADDRESS_THRESHOLD = 9;
const database = testDatabases()[0]!;

describe('smart lockout of the token endpoint (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoCredentials;

  before(async () => {
    lantern = await startTestLantern(database, {
      env: { LANTERN_LOCKOUT_THRESHOLD: String(THRESHOLD), LANTERN_LOCKOUT_ADDRESS_THRESHOLD: String(ADDRESS_THRESHOLD), LANTERN_LOCKOUT_SECONDS: '600' },
    });
    demo = await seedDemoWorldInto(lantern.services);
  });
  after(async () => lantern.stop());

  const tenantOf = (name: string) => demo.tenants.find((t) => t.name === name)!.tenantId;
  const app = (name: string) => demo.servicePrincipals.find((s) => s.displayName === name)!;
  const user = (upn: string) => demo.users.find((u) => u.userPrincipalName === upn)!;

  const token = (tenant: string, form: Record<string, string>, localAddress: string): Promise<RawAnswer> =>
    rawRequest(lantern.baseUrl, 'POST', `/${tenant}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      localAddress,
    });
  const clientSignIn = (name: string, secret: string, from: string) =>
    token(tenantOf(app(name).tenant), { grant_type: 'client_credentials', client_id: app(name).clientId, client_secret: secret, scope: ARM }, from);
  const userSignIn = (upn: string, password: string, from: string) =>
    token(tenantOf(demo.users.find((u) => u.userPrincipalName === upn)?.tenant ?? 'Fabrikam'), { grant_type: 'password', client_id: AZURE_CLI, username: upn, password, scope: ARM }, from);

  const assertLocked = (answer: RawAnswer, what: RegExp) => {
    assert.equal(answer.status, 400, answer.text);
    assert.ok(isAadError(answer.json), answer.text);
    assert.equal(answer.json.error, 'invalid_grant');
    assert.deepEqual(answer.json.error_codes, [50053]);
    assert.match(answer.json.error_description, /^AADSTS50053: /);
    assert.match(answer.json.error_description, what);
    assert.match(answer.json.error_description, /Try again in \d+ seconds\./);
    assert.match(String(answer.headers['retry-after']), /^\d+$/);
  };

  it('locks a client after its threshold of wrong secrets, refusing even the right one; another client signs in from the same address', async () => {
    const from = '127.0.0.2';
    for (let i = 0; i < THRESHOLD; i++) {
      const wrong = await clientSignIn('fabrikam-deployer', `wrong-${i}`, from);
      assert.equal(wrong.status, 401, wrong.text);
      assert.ok(isAadError(wrong.json) && wrong.json.error_codes[0] === 7000215);
    }
    assertLocked(await clientSignIn('fabrikam-deployer', app('fabrikam-deployer').clientSecret, from), /incorrect client secret/);
    assert.equal((await clientSignIn('northwind-deployer', app('northwind-deployer').clientSecret, from)).status, 200, 'another client is not locked');
    const other = await userSignIn('owner@fabrikam.example', user('owner@fabrikam.example').password, from);
    assert.equal(other.status, 200, 'a user of the same tenant is not locked either');
  });

  it('keeps the account open at its familiar address while an attacker elsewhere is locked out', async () => {
    const upn = 'reader@fabrikam.example';
    const { password } = user(upn);
    assert.equal((await userSignIn(upn, password, '127.0.0.3')).status, 200, 'the user signs in from home: a familiar address');
    for (let i = 0; i < THRESHOLD; i++) assert.equal((await userSignIn(upn, `guess-${i}`, '127.0.0.4')).status, 400);
    assertLocked(await userSignIn(upn, password, '127.0.0.4'), /incorrect user ID or password/);
    assertLocked(await userSignIn(upn, password, '127.0.0.5'), /incorrect user ID or password/);
    assert.equal((await userSignIn(upn, password, '127.0.0.3')).status, 200, 'home still signs in');
  });

  it('locks an address that sprays many accounts; other addresses sign in', async () => {
    const from = '127.0.0.6';
    for (let i = 0; i < ADDRESS_THRESHOLD; i++) {
      const answer = await userSignIn(i % 2 === 0 ? `nobody${i}@fabrikam.example` : 'owner@northwind.example', `spray-${i}`, from);
      assert.equal(answer.status, 400, answer.text);
    }
    assertLocked(await userSignIn('alice@contoso.example', user('alice@contoso.example').password, from), /IP address/);
    assert.equal((await userSignIn('alice@contoso.example', user('alice@contoso.example').password, '127.0.0.7')).status, 200);
  });

  it('checks at most the threshold plus the in-flight allowance of a burst of wrong secrets, and /health answers throughout', async () => {
    const from = '127.0.0.8';
    const burst = Array.from({ length: 60 }, (_, i) => clientSignIn('contoso-automation', `burst-${i}`, from));
    const health = await rawRequest(lantern.baseUrl, 'GET', '/health', { localAddress: from });
    const answers = await Promise.all(burst);
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: 'ok' });
    for (const answer of answers) assert.ok(isAadError(answer.json) && answer.status < 500, answer.text);
    const checked = answers.filter((a) => a.status === 401).length;
    const turnedAway = answers.filter((a) => (a.json as { error_codes: number[] }).error_codes[0] !== 7000215).length;
    assert.ok(checked <= THRESHOLD + lantern.config.signInLockout.inFlightPerAddress, `${checked} secrets checked`);
    assert.equal(checked + turnedAway, answers.length);
    assertLocked(await clientSignIn('contoso-automation', app('contoso-automation').clientSecret, from), /incorrect client secret/);
    assert.equal((await rawRequest(lantern.baseUrl, 'GET', '/health', { localAddress: from })).status, 200);
  });
});
