/**
 * Interactive sign-in as Entra ID v2 does it, over real HTTPS against a whole Lantern (SQLite and
 * PostgreSQL): the authorization endpoint's sign-in page driven with fetch, authorization code
 * with PKCE and refresh tokens through the real `@azure/msal-node`, the device-code flow through
 * msal-node and `@azure/identity`'s DeviceCodeCredential, a TOTP second factor (`amr` pwd+mfa),
 * and every refusal with Entra's error and AADSTS code. (`@azure/msal-browser` needs a browser:
 * not tested here.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CryptoProvider, LogLevel, PublicClientApplication, type Configuration } from '@azure/msal-node';
import { DeviceCodeCredential } from '@azure/identity';
import { decodeJwt } from 'jose';
import type { ServicePrincipal, Tenant, User } from '../../src/core/identity/model.js';
import { base32Decode, hotp, totpStep } from '../../src/core/identity/totp.js';
import { s256Challenge } from '../../src/core/identity/pkce.js';
import { PORTAL_CLIENT_ID } from '../../src/core/identity/portal-client.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock, uniqueDomain } from './support.js';
import { answerOf, Browser, formOf, pageError, signInOnPage } from './sign-in-support.js';

const ARM = 'https://management.azure.com/user_impersonation';
const ARM_DEFAULT = 'https://management.azure.com/.default';
const NATIVE_REDIRECT = 'http://localhost:53123';
const WEB_REDIRECT = 'https://app.contoso.example/signin-oidc';
const SPA_REDIRECT = 'https://portal.contoso.example/';
const PASSWORD = 'Correct-Horse-42';
const quiet = { loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined, piiLoggingEnabled: false } };

for (const database of testDatabases()) {
  describe(`Interactive sign-in over HTTPS (${database.name})`, () => {
    const clock = offsetClock();
    let lantern: TestLantern;
    let base: string;
    let tenant: Tenant;
    let other: Tenant;
    let alice: User;
    let bob: User;
    let mallory: User;
    let native: ServicePrincipal;
    let web: ServicePrincipal;
    let webSecret: string;
    let spa: ServicePrincipal;

    const tokenEndpoint = () => `${base}/${tenant.id}/oauth2/v2.0/token`;
    const authorizeUrl = (params: Record<string, string>, segment = tenant.id) => `${base}/${segment}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`;
    const postForm = async (url: string, form: Record<string, string>) => {
      const res = await fetch(url, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const refusedWith = (res: { status: number; body: Record<string, unknown> }, error: string, code: number) => {
      assert.equal(res.body.error, error, JSON.stringify(res.body));
      assert.deepEqual(res.body.error_codes, [code], JSON.stringify(res.body));
      assert.match(String(res.body.error_description), new RegExp(`^AADSTS${code}: `));
      assert.ok(res.status === 400 || res.status === 401);
    };
    const msal = (clientId: string): PublicClientApplication => {
      const config: Configuration = { auth: { clientId, authority: `${base}/${tenant.id}`, knownAuthorities: [new URL(base).host] }, system: quiet };
      return new PublicClientApplication(config);
    };
    /** A code for the native app through the page, with PKCE; answers the code and its verifier. */
    const nativeCode = async (extra: Record<string, string> = {}, who: User = alice) => {
      const verifier = randomBytes(32).toString('base64url');
      const url = authorizeUrl({
        client_id: native.appId, response_type: 'code', redirect_uri: NATIVE_REDIRECT, scope: `${ARM} openid profile offline_access`,
        code_challenge: s256Challenge(verifier), code_challenge_method: 'S256', state: 'st-1', ...extra,
      });
      const answer = answerOf(await signInOnPage(new Browser(), url, who.userPrincipalName, PASSWORD));
      assert.equal(answer.get('state'), 'st-1');
      return { code: answer.get('code')!, verifier };
    };
    const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
      postForm(tokenEndpoint(), { grant_type: 'authorization_code', client_id: native.appId, code, redirect_uri: NATIVE_REDIRECT, code_verifier: verifier, scope: `${ARM} openid offline_access`, ...extra });

    before(async () => {
      lantern = await startTestLantern(database, { clock, deviceCodeIntervalSeconds: 1 });
      base = lantern.baseUrl;
      const { directory } = lantern.services.identity;
      tenant = await directory.createTenant({ displayName: 'Contoso', defaultDomain: uniqueDomain('contoso') });
      other = await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: uniqueDomain('fabrikam') });
      const member = (t: Tenant, name: string) =>
        directory.createUser({ tenantId: t.id, userType: 'Member', userPrincipalName: `${name}@${t.defaultDomain}`, displayName: name[0]!.toUpperCase() + name.slice(1), password: PASSWORD });
      alice = await member(tenant, 'alice');
      bob = await member(tenant, 'bob');
      mallory = await member(other, 'mallory');
      native = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'Contoso CLI', publicClient: { redirectUris: ['http://localhost'] }, isFallbackPublicClient: true });
      web = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'Contoso <Web>', web: { redirectUris: [WEB_REDIRECT] } });
      webSecret = (await directory.addClientSecret(web.id)).value;
      spa = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'Contoso portal', spa: { redirectUris: [SPA_REDIRECT] } });
    });

    after(async () => {
      await lantern?.stop();
    });

    it('discovery advertises the authorization, token and device-code endpoints and the grants', async () => {
      const res = await fetch(`${base}/${tenant.defaultDomain}/v2.0/.well-known/openid-configuration`);
      const doc = (await res.json()) as Record<string, unknown>;
      assert.equal(doc.authorization_endpoint, `${base}/${tenant.id}/oauth2/v2.0/authorize`);
      assert.equal(doc.token_endpoint, `${base}/${tenant.id}/oauth2/v2.0/token`);
      assert.equal(doc.device_authorization_endpoint, `${base}/${tenant.id}/oauth2/v2.0/devicecode`);
      assert.equal(doc.jwks_uri, `${base}/${tenant.id}/discovery/v2.0/keys`);
      for (const grant of ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']) assert.ok((doc.grant_types_supported as string[]).includes(grant), grant);
      assert.deepEqual(doc.code_challenge_methods_supported, ['S256', 'plain']);
    });

    it('msal-node: authorization code with PKCE through the sign-in page, then refresh; id token claims as Entra v2', async () => {
      const app = msal(native.appId);
      const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
      const url = await app.getAuthCodeUrl({ scopes: [ARM], redirectUri: NATIVE_REDIRECT, codeChallenge: challenge, codeChallengeMethod: 'S256', state: 'msal-state', nonce: 'msal-nonce', loginHint: alice.userPrincipalName });
      const browser = new Browser();
      const page = await (await browser.get(url)).text();
      assert.match(page, new RegExp(`value="${alice.userPrincipalName.replace(/\./g, '\\.')}"`), 'login_hint prefills the user name');
      assert.match(page, /<label for="login">/);
      assert.match(page, /<label for="passwd">/);
      const answer = answerOf(await signInOnPage(browser, url, alice.userPrincipalName, PASSWORD));
      assert.equal(answer.get('state'), 'msal-state');
      const result = await app.acquireTokenByCode({ code: answer.get('code')!, scopes: [ARM], redirectUri: NATIVE_REDIRECT, codeVerifier: verifier, nonce: 'msal-nonce', state: 'msal-state' }, { code: answer.get('code')!, state: answer.get('state')!, nonce: 'msal-nonce' });
      const caller = await lantern.services.identity.tokens.verifyAccessToken(result.accessToken);
      assert.equal(caller.objectId, alice.id);
      assert.deepEqual(caller.authenticationMethods, ['pwd']);
      const id = result.idTokenClaims as Record<string, unknown>;
      assert.equal(id.aud, native.appId);
      assert.equal(id.iss, `${base}/${tenant.id}/v2.0`);
      assert.equal(id.tid, tenant.id);
      assert.equal(id.oid, alice.id);
      assert.equal(id.preferred_username, alice.userPrincipalName);
      assert.equal(id.name, 'Alice');
      assert.equal(id.nonce, 'msal-nonce');
      assert.equal(result.account?.homeAccountId, `${alice.id}.${tenant.id}`);

      const refreshed = await app.acquireTokenSilent({ account: result.account, scopes: [ARM], forceRefresh: true });
      assert.notEqual(refreshed.accessToken, result.accessToken);
      assert.equal((await lantern.services.identity.tokens.verifyAccessToken(refreshed.accessToken)).objectId, alice.id);
    });

    it('msal-node: acquireTokenByRefreshToken with a refresh token from the code grant', async () => {
      const { code, verifier } = await nativeCode();
      const tokens = await redeem(code, verifier);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const result = await msal(native.appId).acquireTokenByRefreshToken({ refreshToken: String(tokens.body.refresh_token), scopes: [ARM] });
      assert.ok(result);
      assert.equal(decodeJwt(result.accessToken).oid, alice.id);
    });

    it('refresh tokens rotate: the replaced one used again is refused (AADSTS50173) and revokes its successor', async () => {
      const { code, verifier } = await nativeCode();
      const first = String((await redeem(code, verifier)).body.refresh_token);
      const refresh = (token: string, clientId = native.appId) => postForm(tokenEndpoint(), { grant_type: 'refresh_token', client_id: clientId, refresh_token: token, scope: `${ARM} offline_access` });
      const rotated = await refresh(first);
      assert.equal(rotated.status, 200);
      const second = String(rotated.body.refresh_token);
      assert.notEqual(second, first);
      refusedWith(await refresh(second, spa.appId), 'invalid_grant', 70000);
      refusedWith(await refresh(first), 'invalid_grant', 50173);
      refusedWith(await refresh(second), 'invalid_grant', 50173);
      refusedWith(await refresh('made-up-token'), 'invalid_grant', 9002313);
    });

    it('revoking a user\'s sign-in sessions ends every refresh token', async () => {
      const { code, verifier } = await nativeCode({}, bob);
      const token = String((await redeem(code, verifier)).body.refresh_token);
      assert.ok((await lantern.services.identity.grants.revokeSignInSessions(bob.id)) >= 1);
      refusedWith(await postForm(tokenEndpoint(), { grant_type: 'refresh_token', client_id: native.appId, refresh_token: token, scope: ARM }), 'invalid_grant', 50173);
    });

    it('a code is single use, bound to its client, redirect URI and PKCE verifier', async () => {
      const { code, verifier } = await nativeCode();
      refusedWith(await redeem(code, verifier, { code_verifier: '' }), 'invalid_grant', 501481);
      refusedWith(await redeem(code, `${verifier.slice(0, -2)}xx`), 'invalid_grant', 50148);
      refusedWith(await redeem(code, verifier, { redirect_uri: 'http://localhost:9999/other' }), 'invalid_grant', 500112);
      refusedWith(await redeem(code, verifier, { client_id: spa.appId }), 'invalid_grant', 70000);
      refusedWith(await redeem(code, verifier, { client_secret: 'not-for-a-public-client' }), 'invalid_client', 700025);
      refusedWith(await postForm(`${base}/${other.id}/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_id: native.appId, code, redirect_uri: NATIVE_REDIRECT, code_verifier: verifier }), 'invalid_grant', 700005);
      const ok = await redeem(code, verifier);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      refusedWith(await redeem(code, verifier), 'invalid_grant', 54005);
      refusedWith(await redeem('not-a-code', verifier), 'invalid_grant', 70000);
    });

    it('a code expires after ten minutes (AADSTS70008)', async () => {
      const { code, verifier } = await nativeCode();
      clock.advance(601);
      refusedWith(await redeem(code, verifier), 'invalid_grant', 70008);
    });

    it('a web app redeems with its secret, answers by form_post, and its escaped name is shown', async () => {
      const browser = new Browser();
      const url = authorizeUrl({ client_id: web.appId, response_type: 'code', redirect_uri: WEB_REDIRECT, scope: `${ARM} openid`, response_mode: 'form_post', state: '"><script>alert(1)</script>', nonce: 'n-1' });
      const page = await (await browser.get(url)).text();
      assert.match(page, /Contoso &lt;Web&gt;/);
      assert.doesNotMatch(page, /<script>alert/);
      const form = formOf(page, url);
      const posted = await browser.post(form.action, { flow: form.flow, login: alice.userPrincipalName, passwd: PASSWORD });
      assert.equal(posted.status, 200);
      assert.match(posted.headers.get('content-security-policy') ?? '', /form-action 'self' https:\/\/app\.contoso\.example/);
      const answer = await posted.text();
      assert.match(answer, new RegExp(`<form method="post" action="${WEB_REDIRECT}"`));
      assert.match(answer, /name="state" value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      const code = /name="code" value="([^"]+)"/.exec(answer)?.[1] ?? '';
      const form2 = { grant_type: 'authorization_code', client_id: web.appId, code, redirect_uri: WEB_REDIRECT, scope: `${ARM} openid` };
      refusedWith(await postForm(tokenEndpoint(), form2), 'invalid_client', 7000218);
      refusedWith(await postForm(tokenEndpoint(), { ...form2, client_secret: `${webSecret.slice(0, 3)}wrong` }), 'invalid_client', 7000215);
      const ok = await postForm(tokenEndpoint(), { ...form2, client_secret: webSecret });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(decodeJwt(String(ok.body.id_token)).nonce, 'n-1');
      assert.equal(ok.body.refresh_token, undefined, 'no offline_access, no refresh token');
    });

    it('the authorization request is refused on Lantern\'s page when the app or its redirect URI is wrong, and at the app otherwise', async () => {
      const browser = new Browser();
      const page = async (params: Record<string, string>) => {
        const res = await browser.get(authorizeUrl(params));
        assert.equal(res.status, 400);
        assert.equal(res.headers.get('location'), null);
        return pageError(await res.text());
      };
      const good = { client_id: spa.appId, response_type: 'code', redirect_uri: SPA_REDIRECT, scope: ARM, state: 's', code_challenge: s256Challenge('v'.repeat(43)), code_challenge_method: 'S256' };
      assert.equal(await page({ ...good, redirect_uri: 'https://evil.example/' }), 'AADSTS50011');
      assert.equal(await page({ ...good, redirect_uri: `${SPA_REDIRECT}x` }), 'AADSTS50011');
      assert.equal(await page({ ...good, client_id: '00000000-0000-0000-0000-000000000001' }), 'AADSTS700016');
      assert.equal(await page({ ...good, redirect_uri: '' }), 'AADSTS900144');
      const atApp = async (params: Record<string, string>) => answerOf(await browser.get(authorizeUrl(params)));
      const noPkce = await atApp({ ...good, code_challenge: '', code_challenge_method: '' });
      assert.equal(noPkce.get('error'), 'invalid_request');
      assert.match(noPkce.get('error_description') ?? '', /^AADSTS9002325/);
      assert.equal(noPkce.get('state'), 's');
      assert.match((await atApp({ ...good, code_challenge_method: 'plain' })).get('error_description') ?? '', /^AADSTS9002325/);
      assert.equal((await atApp({ ...good, response_type: 'token' })).get('error'), 'unsupported_response_type');
      assert.equal((await atApp({ ...good, prompt: 'none' })).get('error'), 'login_required');
      assert.equal((await atApp({ ...good, scope: 'https://unknown.example/.default' })).get('error'), 'invalid_resource');
      const fragment = await browser.get(authorizeUrl({ ...good, response_type: 'token', response_mode: 'fragment' }));
      assert.match(fragment.headers.get('location') ?? '', /^https:\/\/portal\.contoso\.example\/#error=unsupported_response_type/);
    });

    it('Lantern\'s portal is a first-party SPA of every tenant; its one redirect URI is Lantern\'s own origin', async () => {
      const portal = `${base}/`;
      const verifier = randomBytes(32).toString('base64url');
      const request = { client_id: PORTAL_CLIENT_ID, response_type: 'code', redirect_uri: portal, scope: `${ARM} openid offline_access`, state: 'p', response_mode: 'fragment', code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' };
      for (const [who, home] of [[alice, tenant], [mallory, other]] as const) {
        const answer = await signInOnPage(new Browser(), authorizeUrl(request, 'organizations'), who.userPrincipalName, PASSWORD);
        assert.match(answer.headers.get('location') ?? '', new RegExp(`^${portal}#code=`));
        const tokens = await postForm(`${base}/organizations/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_id: PORTAL_CLIENT_ID, code: answerOf(answer).get('code')!, redirect_uri: portal, code_verifier: verifier, scope: `${ARM} offline_access` });
        assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
        const claims = decodeJwt(String(tokens.body.access_token));
        assert.deepEqual([claims.tid, claims.oid, claims.appid], [home.id, who.id, PORTAL_CLIENT_ID]);
        assert.ok(tokens.body.refresh_token);
      }
      const page = async (params: Record<string, string>) => pageError(await (await new Browser().get(authorizeUrl({ ...request, ...params }))).text());
      assert.equal(await page({ redirect_uri: 'https://evil.example/' }), 'AADSTS50011');
      assert.equal(await page({ redirect_uri: `${portal}portal` }), 'AADSTS50011');
      const noPkce = answerOf(await new Browser().get(authorizeUrl({ ...request, code_challenge: '', code_challenge_method: '' })));
      assert.match(noPkce.get('error_description') ?? '', /^AADSTS9002325/);
      // A browser app only: no password grant and no device code for it.
      refusedWith(await postForm(tokenEndpoint(), { grant_type: 'password', client_id: PORTAL_CLIENT_ID, username: alice.userPrincipalName, password: PASSWORD, scope: ARM }), 'unauthorized_client', 700016);
      const device = await postForm(`${base}/${tenant.id}/oauth2/v2.0/devicecode`, { client_id: PORTAL_CLIENT_ID, scope: ARM });
      assert.deepEqual(device.body.error_codes, [700016]);
    });

    it('a request refused before the page runs (an over-long tenant segment, any spelling of the path) is still a page naming its AADSTS code', async () => {
      const longTenant = 'a'.repeat(300);
      for (const url of [
        authorizeUrl({ client_id: spa.appId }, longTenant),
        `${base}//${longTenant}/OAuth2/v2.0/Authorize/?client_id=x`,
      ]) {
        for (const method of ['GET', 'POST']) {
          const res = await fetch(url, { method, ...(method === 'POST' ? { body: '}&z', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
          assert.equal(res.status, 414, `${method} ${url.slice(0, 60)}`);
          assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
          assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
          assert.equal(pageError(await res.text()), 'AADSTS90013');
        }
      }
      // The token endpoint beside it still answers Entra's JSON.
      const token = await fetch(`${base}/${longTenant}/oauth2/v2.0/token`, { method: 'POST', body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(token.status, 414);
      assert.equal(((await token.json()) as { error_codes: number[] }).error_codes[0], 90013);
    });

    it('the sign-in form refuses a wrong password, a user of another tenant, and posts without this browser\'s cookie', async () => {
      const url = authorizeUrl({ client_id: native.appId, response_type: 'code', redirect_uri: NATIVE_REDIRECT, scope: ARM, code_challenge: s256Challenge('v'.repeat(43)), code_challenge_method: 'S256' });
      const wrong = await signInOnPage(new Browser(), url, alice.userPrincipalName, 'Wrong-Horse-42');
      assert.equal(wrong.status, 200);
      assert.equal(pageError(await wrong.text()), 'AADSTS50126');
      const unknown = await signInOnPage(new Browser(), url, `nobody@${tenant.defaultDomain}`, PASSWORD);
      assert.equal(pageError(await unknown.text()), 'AADSTS50126', 'an unknown user reads like a wrong password');
      const commonUrl = authorizeUrl({ client_id: native.appId, response_type: 'code', redirect_uri: NATIVE_REDIRECT, scope: ARM, code_challenge: s256Challenge('v'.repeat(43)), code_challenge_method: 'S256' }, 'organizations');
      const foreign = await signInOnPage(new Browser(), commonUrl, mallory.userPrincipalName, PASSWORD);
      assert.equal(pageError(await foreign.text()), 'AADSTS700016');

      const victim = new Browser();
      const form = formOf(await (await victim.get(url)).text(), url);
      const noCookie = await fetch(form.action, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ flow: form.flow, login: alice.userPrincipalName, passwd: PASSWORD }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(noCookie.status, 400);
      assert.equal(pageError(await noCookie.text()), 'AADSTS90014');
      const attacker = new Browser();
      await attacker.get(url);
      const crossBrowser = await attacker.post(form.action, { flow: form.flow, login: alice.userPrincipalName, passwd: PASSWORD });
      assert.equal(pageError(await crossBrowser.text()), 'AADSTS90014');
      const tampered = await victim.post(form.action, { flow: `${form.flow.slice(0, -4)}AAAA`, login: alice.userPrincipalName, passwd: PASSWORD });
      assert.equal(pageError(await tampered.text()), 'AADSTS90014');
      const cancelled = answerOf(await victim.post(form.action, { flow: form.flow, action: 'cancel' }));
      assert.equal(cancelled.get('error'), 'access_denied');
    });

    it('wrong passwords on the sign-in page count toward the token endpoint\'s smart lockout (AADSTS50053 on both)', async () => {
      const carol = await lantern.services.identity.directory.createUser({ tenantId: tenant.id, userType: 'Member', userPrincipalName: `carol@${tenant.defaultDomain}`, displayName: 'Carol', password: PASSWORD });
      const url = authorizeUrl({ client_id: native.appId, response_type: 'code', redirect_uri: NATIVE_REDIRECT, scope: ARM, code_challenge: s256Challenge('v'.repeat(43)), code_challenge_method: 'S256' });
      for (let i = 0; i < 10; i++) assert.equal(pageError(await (await signInOnPage(new Browser(), url, carol.userPrincipalName, `Wrong-Horse-${i}`)).text()), 'AADSTS50126');
      assert.equal(pageError(await (await signInOnPage(new Browser(), url, carol.userPrincipalName, PASSWORD)).text()), 'AADSTS50053');
      refusedWith(await postForm(tokenEndpoint(), { grant_type: 'password', client_id: native.appId, username: carol.userPrincipalName, password: PASSWORD, scope: ARM_DEFAULT }), 'invalid_grant', 50053);
    });

    it('the sign-in pages may not be framed and run no script but a nonced one', async () => {
      const res = await new Browser().get(`${base}/devicelogin`);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(res.headers.get('set-cookie') ?? '', /^__Host-lantern-signin=[^;]+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
      const html = await res.text();
      assert.match(html, /<html lang="en">/);
      assert.match(html, /<label for="user_code">Code<\/label>/);
    });

    /** Approves a device code on /devicelogin as `who` (with a TOTP code when asked). */
    const approveOnDeviceLogin = async (userCode: string, who: User, code?: () => string) => {
      const browser = new Browser();
      await browser.get(`${base}/devicelogin`);
      const page = await browser.post(`${base}/devicelogin`, { user_code: userCode.toLowerCase() });
      const html = await page.text();
      assert.match(html, /You are signing in to/);
      const form = formOf(html, base);
      let res = await browser.post(form.action, { flow: form.flow, login: who.userPrincipalName, passwd: PASSWORD });
      let text = await res.text();
      if (code && text.includes('name="otc"')) {
        const next = formOf(text, base);
        res = await browser.post(next.action, { flow: next.flow, otc: code() });
        text = await res.text();
      }
      assert.match(text, /You(&#39;|')re signed in/, text.slice(0, 600));
    };

    it('msal-node: acquireTokenByDeviceCode while the user signs in on /devicelogin', async () => {
      const result = await msal(native.appId).acquireTokenByDeviceCode({
        scopes: [ARM],
        deviceCodeCallback: (response) => {
          assert.equal(response.verificationUri, `${base}/devicelogin`);
          assert.match(response.message, new RegExp(response.userCode));
          void approveOnDeviceLogin(response.userCode, alice);
        },
      });
      assert.ok(result);
      assert.equal((await lantern.services.identity.tokens.verifyAccessToken(result.accessToken)).objectId, alice.id);
      assert.equal((result.idTokenClaims as Record<string, unknown>).aud, native.appId);
    });

    it('@azure/identity DeviceCodeCredential gets a token for ARM against Lantern', async () => {
      const credential = new DeviceCodeCredential({
        tenantId: tenant.id, clientId: native.appId, authorityHost: base, disableInstanceDiscovery: true,
        userPromptCallback: (info) => {
          void approveOnDeviceLogin(info.userCode, bob);
        },
      });
      const token = await credential.getToken(ARM_DEFAULT);
      assert.equal((await lantern.services.identity.tokens.verifyAccessToken(token.token)).objectId, bob.id);
    });

    it('device-code polling answers pending, slow_down, declined and expired as Entra', async () => {
      const start = async (clientId = native.appId) => postForm(`${base}/${tenant.id}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: `${ARM} offline_access` });
      const poll = (deviceCode: string, extra: Record<string, string> = {}) =>
        postForm(tokenEndpoint(), { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: native.appId, device_code: deviceCode, ...extra });
      const first = (await start()).body;
      assert.equal(first.interval, 1);
      assert.equal(first.expires_in, 900);
      assert.match(String(first.user_code), /^[A-Z0-9]{9}$/);
      refusedWith(await poll(String(first.device_code)), 'authorization_pending', 70016);
      refusedWith(await poll(String(first.device_code)), 'slow_down', 70016);
      refusedWith(await poll(String(first.device_code), { client_id: spa.appId }), 'invalid_grant', 70000);

      const browser = new Browser();
      await browser.get(`${base}/devicelogin`);
      const wrongCode = await browser.post(`${base}/devicelogin`, { user_code: 'BBBBBBBBB' });
      assert.equal(pageError(await wrongCode.text()), 'AADSTS70018');
      const form = formOf(await (await browser.post(`${base}/devicelogin`, { user_code: String(first.user_code) })).text(), base);
      const cancelled = await (await browser.post(form.action, { flow: form.flow, action: 'cancel' })).text();
      assert.match(cancelled, /Sign-in cancelled/);
      refusedWith(await poll(String(first.device_code)), 'authorization_declined', 65004);

      const second = (await start()).body;
      clock.advance(901);
      refusedWith(await poll(String(second.device_code)), 'expired_token', 70019);
      const late = await browser.post(`${base}/devicelogin`, { user_code: String(second.user_code) });
      assert.equal(pageError(await late.text()), 'AADSTS70018');

      const confidential = (await start(web.appId)).body;
      refusedWith(await postForm(tokenEndpoint(), { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: web.appId, device_code: String(confidential.device_code) }), 'invalid_client', 7000218);
      refusedWith(await start('00000000-0000-0000-0000-000000000002'), 'unauthorized_client', 700016);

      // Codes nobody redeems do not pile up: an hour past their expiry, the next device code sweeps them (and their user codes) away.
      const { documents } = lantern.services.store;
      assert.ok((await documents.list('identity.deviceCodes')).length >= 3);
      clock.advance(900 + 3_600 + 60);
      const fresh = (await start()).body;
      assert.equal((await documents.list('identity.deviceCodes')).length, 1, 'only the new device code is left');
      assert.equal((await documents.list('identity.userCodes')).length, 1, 'and its user code');
      refusedWith(await poll(String(fresh.device_code)), 'authorization_pending', 70016);

      const third = (await start()).body;
      await approveOnDeviceLogin(String(third.user_code), alice);
      const tokens = await poll(String(third.device_code));
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.ok(tokens.body.refresh_token, 'offline_access gives a refresh token');
      refusedWith(await poll(String(third.device_code)), 'invalid_grant', 70000);
    });

    it('a user with a TOTP authenticator signs in with pwd and mfa; a wrong code is refused (AADSTS500121)', async () => {
      const { authenticators } = lantern.services.identity;
      const enrolment = await authenticators.beginEnrolment(bob.id);
      const secret = base32Decode(enrolment.secret)!;
      const current = () => hotp(secret, totpStep(clock.now().getTime() / 1000));
      await assert.rejects(authenticators.confirmEnrolment(bob.id, current() === '000000' ? '111111' : '000000'), /InvalidVerificationCode|not the authenticator/);
      assert.equal((await authenticators.confirmEnrolment(bob.id, current())).state, 'active');
      clock.advance(30);

      const verifier = randomBytes(32).toString('base64url');
      const url = authorizeUrl({ client_id: native.appId, response_type: 'code', redirect_uri: NATIVE_REDIRECT, scope: ARM, code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' });
      const wrong = await signInOnPage(new Browser(), url, bob.userPrincipalName, PASSWORD, () => (current() === '123456' ? '654321' : '123456'));
      assert.equal(wrong.status, 200);
      assert.equal(pageError(await wrong.text()), 'AADSTS500121');
      // The code typed is kept: replaying it must fail even when a new 30-second step began meanwhile.
      let typed = '';
      const typeCurrent = () => (typed = current());
      const answer = answerOf(await signInOnPage(new Browser(), url, bob.userPrincipalName, PASSWORD, typeCurrent));
      const tokens = await redeem(answer.get('code')!, verifier, { scope: ARM });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.deepEqual(decodeJwt(String(tokens.body.access_token)).amr, ['pwd', 'mfa']);
      const replay = await signInOnPage(new Browser(), url, bob.userPrincipalName, PASSWORD, () => typed);
      assert.equal(pageError(await replay.text()), 'AADSTS500121', 'a code is good once');
      clock.advance(30);
      await approveOnDeviceLogin((await postForm(`${base}/${tenant.id}/oauth2/v2.0/devicecode`, { client_id: native.appId, scope: ARM })).body.user_code as string, bob, current);
    });
  });
}
