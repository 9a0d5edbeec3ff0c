/**
 * Self-service TOTP enrolment over HTTPS (`/lantern/me/authenticator`), on SQLite and PostgreSQL: a
 * user with their own token starts an enrolment (secret and otpauth:// URI answered once, never
 * again), confirms it with a current code, and then signs in with pwd+mfa; removing an active
 * authenticator takes a token that passed it; service principals, other users and bad codes are
 * refused with a clear error naming the rule or field.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import type { Tenant, User } from '../../src/core/identity/model.js';
import { base32Decode, hotp, totpStep } from '../../src/core/identity/totp.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock, uniqueDomain } from './support.js';
import { armTokenThroughPage } from './sign-in-support.js';

const PATH = '/lantern/me/authenticator';
const PASSWORD = 'Correct-Horse-42';
const ARM = 'https://management.azure.com/.default';

interface Answer { status: number; headers: Headers; body: Record<string, unknown> & { error?: { code: string; message: string; target?: string } } }

for (const database of testDatabases()) {
  describe(`self-service TOTP enrolment over HTTPS (${database.name})`, () => {
    const clock = offsetClock();
    let lantern: TestLantern;
    let tenant: Tenant;
    let alice: User;
    let bob: User;
    let appToken: string;

    const request = async (token: string | undefined, method: string, body?: unknown): Promise<Answer> => {
      const res = await fetch(`${lantern.baseUrl}${PATH}${method === 'CONFIRM' ? '/confirm' : ''}`, {
        method: method === 'CONFIRM' ? 'POST' : method,
        headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
    };
    const passwordToken = async (user: User) =>
      (await lantern.services.identity.tokens.token(tenant.id, { grant_type: 'password', client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', username: user.userPrincipalName, password: PASSWORD, scope: ARM })).access_token;
    const refused = (answer: Answer, status: number, code: string, text?: RegExp) => {
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.error?.code, code);
      if (text !== undefined) assert.match(answer.body.error?.message ?? '', text);
    };
    const enrol = async (token: string) => {
      const started = await request(token, 'POST');
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const secret = base32Decode(started.body.secret as string);
      assert.ok(secret !== undefined && secret.length === 20);
      return { started, code: () => hotp(secret, totpStep(clock.now().getTime() / 1000)) };
    };

    before(async () => {
      lantern = await startTestLantern(database, { clock });
      const { directory } = lantern.services.identity;
      tenant = await directory.createTenant({ displayName: 'Contoso', defaultDomain: uniqueDomain('contoso') });
      const member = (name: string) => directory.createUser({ tenantId: tenant.id, userType: 'Member', userPrincipalName: `${name}@${tenant.defaultDomain}`, displayName: name, password: PASSWORD });
      alice = await member('alice');
      bob = await member('bob');
      const sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'contoso-automation' });
      const secret = (await directory.addClientSecret(sp.id)).value;
      appToken = (await lantern.services.identity.tokens.token(tenant.id, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: ARM })).access_token;
    });
    after(async () => {
      await lantern?.stop();
    });

    it('enrols with the secret shown once, confirms with a current code, then signs in with pwd and mfa', async () => {
      const token = await passwordToken(alice);
      refused(await request(token, 'GET'), 404, 'AuthenticatorNotFound');
      const { started, code } = await enrol(token);
      assert.equal(started.headers.get('cache-control'), 'no-store', 'no cache keeps the secret');
      const uri = new URL(started.body.otpauthUri as string);
      assert.equal(`${uri.protocol}//${uri.host}`, 'otpauth://totp');
      assert.equal(decodeURIComponent(uri.pathname), `/Lantern:${alice.userPrincipalName}`);
      assert.equal(uri.searchParams.get('secret'), started.body.secret);
      assert.deepEqual([started.body.algorithm, started.body.digits, started.body.period], ['SHA1', 6, 30]);
      const pending = await request(token, 'GET');
      assert.equal(pending.body.state, 'pending');
      assert.ok(!JSON.stringify(pending.body).includes(started.body.secret as string), 'the secret is never shown again');

      const wrong = code() === '000000' ? '111111' : '000000';
      refused(await request(token, 'CONFIRM', { code: wrong }), 400, 'InvalidVerificationCode');
      const malformed = await request(token, 'CONFIRM', { code: '12ab56' });
      refused(malformed, 400, 'InvalidVerificationCode', /6 digits/);
      assert.equal(malformed.body.error?.target, 'code');
      assert.equal((await request(token, 'CONFIRM', {})).status, 400, 'the code is required');
      const confirmed = await request(token, 'CONFIRM', { code: code() });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal(confirmed.body.state, 'active');
      refused(await request(token, 'CONFIRM', { code: code() }), 404, 'AuthenticatorEnrolmentNotFound', /no enrolment waiting/);
      refused(await request(token, 'POST'), 409, 'AuthenticatorAlreadyActive', /remove it before enrolling/);

      clock.advance(30);
      const signedIn = await armTokenThroughPage(lantern.baseUrl, tenant.id, alice.userPrincipalName, PASSWORD, code);
      assert.deepEqual(decodeJwt(signedIn).amr, ['pwd', 'mfa']);
      assert.equal((await request(signedIn, 'GET')).body.state, 'active');
      assert.equal((await request(await passwordToken(bob), 'GET')).status, 404, "bob's own, not alice's");
    });

    it("removes an active authenticator only with a token that passed it; a pending one with the user's own token", async () => {
      const { code } = await enrol(await passwordToken(bob));
      assert.equal((await request(await passwordToken(bob), 'CONFIRM', { code: code() })).status, 200);
      refused(await request(await passwordToken(bob), 'DELETE'), 403, 'MultiFactorAuthenticationRequired', /amr "mfa"/);
      assert.equal((await request(await passwordToken(bob), 'GET')).body.state, 'active', 'the refusal removed nothing');
      clock.advance(30);
      const mfa = await armTokenThroughPage(lantern.baseUrl, tenant.id, bob.userPrincipalName, PASSWORD, code);
      assert.equal((await request(mfa, 'DELETE')).status, 204);
      refused(await request(mfa, 'GET'), 404, 'AuthenticatorNotFound');
      refused(await request(mfa, 'DELETE'), 404, 'AuthenticatorNotFound');
      const page = await armTokenThroughPage(lantern.baseUrl, tenant.id, bob.userPrincipalName, PASSWORD);
      assert.deepEqual(decodeJwt(page).amr, ['pwd'], 'without an authenticator the page asks for no code');

      const token = await passwordToken(bob);
      await enrol(token);
      assert.equal((await request(token, 'DELETE')).status, 204, 'a pending enrolment is removed with a password sign-in');
    });

    it('refuses service principals and callers without a token', async () => {
      for (const method of ['GET', 'POST', 'DELETE']) refused(await request(appToken, method), 403, 'AuthenticatorNotForServicePrincipals', /only a signed-in user/);
      refused(await request(appToken, 'CONFIRM', { code: '123456' }), 403, 'AuthenticatorNotForServicePrincipals');
      assert.equal((await request(undefined, 'POST')).status, 401);
    });
  });
}
