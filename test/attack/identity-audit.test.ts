/**
 * An attacker's audit of the identity plane over real HTTPS (SQLite and PostgreSQL): the holes it
 * found stay closed.
 *
 * - Smart lockout counts a user's wrong guesses once, whatever the spelling of the name: a guest
 *   answers to its invitation e-mail and to its `#EXT#` user principal name, and each used to have
 *   a counter of its own (twice the guesses per window). Another directory's user who shares the
 *   e-mail is another account and is not locked by guesses at the guest.
 * - A single-page app's refresh tokens keep the expiry of the first one (Entra: 24 hours from the
 *   sign-in), so a token lifted from the browser cannot be kept alive by rotating it; it is bound to
 *   its tenant too.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServicePrincipal, Tenant, User } from '../../src/core/identity/model.js';
import { s256Challenge } from '../../src/core/identity/pkce.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock, uniqueDomain } from '../identity/support.js';
import { answerOf, Browser, signInOnPage } from '../identity/sign-in-support.js';
import { isAadError, rawRequest, type RawAnswer } from './support.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const ARM = 'https://management.azure.com/.default';
const ARM_USER = 'https://management.azure.com/user_impersonation';
const SPA_REDIRECT = 'https://portal.audit.example/';
const PASSWORD = 'Correct-Horse-42';
const THRESHOLD = 4;

for (const database of testDatabases()) {
  describe(`identity plane audit (${database.name})`, () => {
    const clock = offsetClock();
    let lantern: TestLantern;
    let host: Tenant;
    let home: Tenant;
    let bob: User;
    let guest: User;
    let alice: User;
    let spa: ServicePrincipal;

    const token = (segment: string, form: Record<string, string>, localAddress = '127.0.0.1'): Promise<RawAnswer> =>
      rawRequest(lantern.baseUrl, 'POST', `/${segment}/oauth2/v2.0/token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        localAddress,
      });
    const passwordGrant = (segment: string, username: string, password: string, from: string) =>
      token(segment, { grant_type: 'password', client_id: AZURE_CLI, username, password, scope: ARM }, from);
    const refusedWith = (answer: RawAnswer, code: number) => {
      assert.ok(isAadError(answer.json), answer.text);
      assert.deepEqual(answer.json.error_codes, [code], answer.text);
    };

    before(async () => {
      lantern = await startTestLantern(database, { clock, env: { LANTERN_LOCKOUT_THRESHOLD: String(THRESHOLD), LANTERN_LOCKOUT_SECONDS: '600' } });
      const { directory } = lantern.services.identity;
      host = await directory.createTenant({ displayName: 'Host', defaultDomain: uniqueDomain('host') });
      home = await directory.createTenant({ displayName: 'Home', defaultDomain: uniqueDomain('home') });
      bob = await directory.createUser({ tenantId: home.id, userType: 'Member', userPrincipalName: `bob@${home.defaultDomain}`, displayName: 'Bob', password: PASSWORD });
      guest = await directory.createUser({ tenantId: host.id, userType: 'Guest', email: bob.userPrincipalName, displayName: 'Bob (guest)', password: PASSWORD });
      alice = await directory.createUser({ tenantId: host.id, userType: 'Member', userPrincipalName: `alice@${host.defaultDomain}`, displayName: 'Alice', password: PASSWORD });
      spa = await directory.createServicePrincipal({ tenantId: host.id, displayName: 'Audit portal', spa: { redirectUris: [SPA_REDIRECT] } });
    });
    after(async () => lantern?.stop());

    it("counts a guest's wrong guesses once, by e-mail or #EXT# name in any case; the home directory's user of that e-mail stays open", async () => {
      const from = '127.0.0.31';
      assert.equal((await passwordGrant(host.id, guest.userPrincipalName, PASSWORD, '127.0.0.32')).status, 200, 'the #EXT# name signs the guest in');
      const spellings = [bob.userPrincipalName, bob.userPrincipalName.toUpperCase()];
      for (let i = 0; i < THRESHOLD; i++) refusedWith(await passwordGrant(host.id, spellings[i % 2]!, `Wrong-Horse-${i}`, from), 50126);
      for (const spelling of [guest.userPrincipalName, guest.userPrincipalName.toLowerCase(), bob.userPrincipalName]) {
        refusedWith(await passwordGrant(host.id, spelling, PASSWORD, from), 50053);
        refusedWith(await passwordGrant('organizations', spelling.includes('#') ? spelling : guest.userPrincipalName, PASSWORD, from), 50053);
      }
      const atHome = await passwordGrant(home.id, bob.userPrincipalName, PASSWORD, from);
      assert.equal(atHome.status, 200, `bob's own account in his home directory is another account: ${atHome.text}`);
    });

    it("keeps a single-page app's refresh tokens to the first one's 24 hours, and to its tenant", async () => {
      const verifier = randomBytes(32).toString('base64url');
      const query = { client_id: spa.appId, response_type: 'code', redirect_uri: SPA_REDIRECT, scope: `${ARM_USER} openid offline_access`, code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' };
      const url = `${lantern.baseUrl}/${host.id}/oauth2/v2.0/authorize?${new URLSearchParams(query).toString()}`;
      const code = answerOf(await signInOnPage(new Browser(), url, alice.userPrincipalName, PASSWORD)).get('code') ?? '';
      const redeemed = await token(host.id, { grant_type: 'authorization_code', client_id: spa.appId, code, redirect_uri: SPA_REDIRECT, code_verifier: verifier, scope: `${ARM_USER} offline_access` });
      assert.equal(redeemed.status, 200, redeemed.text);
      const refresh = (segment: string, value: string) => token(segment, { grant_type: 'refresh_token', client_id: spa.appId, refresh_token: value, scope: ARM_USER });
      const first = String((redeemed.json as { refresh_token: string }).refresh_token);

      refusedWith(await refresh(home.id, first), 700005);
      clock.advance(20 * 3600);
      const rotated = await refresh(host.defaultDomain.toUpperCase(), first);
      assert.equal(rotated.status, 200, rotated.text);
      const second = String((rotated.json as { refresh_token: string }).refresh_token);
      clock.advance(5 * 3600);
      refusedWith(await refresh(host.id, second), 70008);
    });
  });
}
