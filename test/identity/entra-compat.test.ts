/**
 * The identity plane end to end: a real Fastify server over HTTPS with the generated self-signed
 * certificate, a real store (SQLite and PostgreSQL), and the real `@azure/identity` credentials.
 *
 * Trusting the certificate: the credentials take `tlsOptions: { ca }` (an Azure SDK pipeline
 * option that `@azure/identity` hands to its own HTTP pipeline), so the test trusts exactly the
 * certificate it generated, in-process, without disabling verification. One test also runs a
 * credential in a child process started with NODE_EXTRA_CA_CERTS={certPath}: the operator's way.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { ClientSecretCredential, UsernamePasswordCredential } from '@azure/identity';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import pg from 'pg';
import { ensureTlsCertificate } from '../../src/http/tls.js';
import { identityRoutes } from '../../src/http/routes/identity-routes.js';
import { openIdentityPlane } from '../../src/services/identity/identity-plane.js';
import type { IdentityPlane } from '../../src/services/identity/identity-plane.js';
import type { Store } from '../../src/storage/port.js';
import type { ServicePrincipal, Tenant, User } from '../../src/core/identity/model.js';
import { freePort } from '../support/lantern.js';
import { testDatabases } from '../support/databases.js';
import { httpsJson, ids, offsetClock, uniqueDomain } from './support.js';

const ARM_SCOPE = 'https://management.azure.com/.default';
const run = promisify(execFile);
const ACTIVATION_DELAY = 300;

for (const database of testDatabases()) {
  describe(`Entra ID v2 compatibility over HTTPS with @azure/identity (${database.name})`, () => {
    const clock = offsetClock();
    const logLines: string[] = [];
    let dataDir: string;
    let ca: string;
    let certPath: string;
    let baseUrl: string;
    let store: Store;
    let storeUrl: string;
    let cleanup: () => Promise<void>;
    let plane: IdentityPlane;
    let app: FastifyInstance;
    let tenant: Tenant;
    let sp: ServicePrincipal;
    let secret: string;
    let alice: User;
    const alicePassword = 'Correct-Horse-42';

    const credentialOptions = () => ({ authorityHost: baseUrl, disableInstanceDiscovery: true, tlsOptions: { ca } });
    const jwks = async () => (await httpsJson(`${baseUrl}/${tenant.id}/discovery/v2.0/keys`, ca)).json as unknown as JSONWebKeySet;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'lantern-identity-'));
      const tls = await ensureTlsCertificate({ dataDir });
      ca = tls.cert;
      certPath = tls.certPath;
      baseUrl = `https://127.0.0.1:${await freePort()}`;
      ({ store, url: storeUrl, cleanup } = await database.open());
      plane = await openIdentityPlane({ store, baseUrl, clock, ids, keyActivationDelaySeconds: ACTIVATION_DELAY });
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      });
      // Trace level: the most the server can log, so "never logged" is checked at its widest.
      app = Fastify({ https: { cert: tls.cert, key: tls.key }, logger: { level: 'trace', stream } });
      await app.register(identityRoutes, { tokens: plane.tokens, discovery: plane.discovery, clock, adfs: plane.adfs });
      await app.listen({ host: '127.0.0.1', port: Number(new URL(baseUrl).port) });

      const { directory } = plane;
      tenant = await directory.createTenant({ displayName: 'Contoso', defaultDomain: uniqueDomain('contoso') });
      sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'contoso-automation' });
      secret = (await directory.addClientSecret(sp.id, { displayName: 'ci' })).value;
      alice = await directory.createUser({
        tenantId: tenant.id, userType: 'Member', userPrincipalName: `alice@${tenant.defaultDomain}`, displayName: 'Alice', password: alicePassword,
      });
    });

    after(async () => {
      await app.close();
      await cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('ClientSecretCredential gets an RS256 app token that verifies against the JWKS endpoint with the ARM claims', async () => {
      const credential = new ClientSecretCredential(tenant.id, sp.appId, secret, credentialOptions());
      const { token, expiresOnTimestamp } = await credential.getToken(ARM_SCOPE);
      assert.ok(expiresOnTimestamp > Date.now());
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'RS256');
      assert.equal(typeof header.kid, 'string');
      const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
        issuer: `${baseUrl}/${tenant.id}/v2.0`,
        audience: 'https://management.azure.com/',
        currentDate: clock.now(),
      });
      assert.equal(payload.tid, tenant.id);
      assert.equal(payload.oid, sp.id);
      assert.equal(payload.sub, sp.id);
      assert.equal(payload.appid, sp.appId);
      assert.equal(payload.azp, sp.appId);
      assert.equal(payload.idtyp, 'app');
      assert.equal(payload.ver, '2.0');
      assert.equal(payload.exp! - payload.iat!, 3600);
      assert.equal(payload.groups, undefined);
      assert.equal(payload.roles, undefined);
      const caller = await plane.tokens.verifyAccessToken(token);
      assert.deepEqual(caller, { objectId: sp.id, tenantId: tenant.id, principalType: 'ServicePrincipal', appId: sp.appId, displayName: 'contoso-automation' });
    });

    it('the tenant may be named by its domain, and a token for Lantern\'s own base URL is accepted too', async () => {
      const credential = new ClientSecretCredential(tenant.defaultDomain, sp.appId, secret, credentialOptions());
      const { token } = await credential.getToken(`${baseUrl}/.default`);
      const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), { currentDate: clock.now() });
      assert.equal(payload.aud, `${baseUrl}/`);
      assert.equal(payload.tid, tenant.id);
      assert.equal((await plane.tokens.verifyAccessToken(token)).objectId, sp.id);
    });

    it('a separate process trusts the generated certificate through NODE_EXTRA_CA_CERTS, as operators are told to', async () => {
      // No tlsOptions here: the SDK's default HTTPS stack must accept the certificate as a trust anchor.
      const script = [
        "import { ClientSecretCredential } from '@azure/identity';",
        'const [tenant, client, secret, authorityHost] = process.argv.slice(1);',
        'const credential = new ClientSecretCredential(tenant, client, secret, { authorityHost, disableInstanceDiscovery: true });',
        "process.stdout.write((await credential.getToken('https://management.azure.com/.default')).token);",
      ].join('\n');
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, tenant.id, sp.appId, secret, baseUrl], {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certPath },
      });
      assert.equal((await plane.tokens.verifyAccessToken(stdout)).objectId, sp.id);
    });

    it('UsernamePasswordCredential gets a user token with name, upn and preferred_username', async () => {
      const credential = new UsernamePasswordCredential(tenant.id, sp.appId, alice.userPrincipalName, alicePassword, credentialOptions());
      const { token } = await credential.getToken(ARM_SCOPE);
      const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), { audience: 'https://management.azure.com/', currentDate: clock.now() });
      assert.equal(payload.oid, alice.id);
      assert.equal(payload.idtyp, 'user');
      assert.equal(payload.upn, alice.userPrincipalName);
      assert.equal(payload.preferred_username, alice.userPrincipalName);
      assert.equal(payload.name, 'Alice');
      assert.equal(payload.appid, sp.appId);
      const caller = await plane.tokens.verifyAccessToken(token);
      assert.equal(caller.principalType, 'User');
      assert.equal(caller.objectId, alice.id);
    });

    it("the password grant through 'organizations' finds the tenant from the UPN domain", async () => {
      const credential = new UsernamePasswordCredential('organizations', sp.appId, alice.userPrincipalName, alicePassword, credentialOptions());
      const { token } = await credential.getToken(ARM_SCOPE);
      assert.equal((await plane.tokens.verifyAccessToken(token)).tenantId, tenant.id);
    });

    it('a wrong password and a wrong secret fail in the SDK with the AADSTS code', async () => {
      const badUser = new UsernamePasswordCredential(tenant.id, sp.appId, alice.userPrincipalName, 'Wrong-Horse-42', credentialOptions());
      await assert.rejects(badUser.getToken(ARM_SCOPE), (error: Error) => error.message.includes('AADSTS50126'));
      const badClient = new ClientSecretCredential(tenant.id, sp.appId, `${secret.slice(0, 3)}${'x'.repeat(37)}`, credentialOptions());
      await assert.rejects(badClient.getToken(ARM_SCOPE), (error: Error) => error.message.includes('AADSTS7000215') && error.message.includes('Invalid client secret provided'));
    });

    it('unknown client and unknown tenant are refused with Entra\'s codes', async () => {
      const unknownClient = new ClientSecretCredential(tenant.id, ids.guid(), secret, credentialOptions());
      await assert.rejects(unknownClient.getToken(ARM_SCOPE), (error: Error) => error.message.includes('AADSTS700016'));
      const res = await httpsJson(`${baseUrl}/${ids.guid()}/oauth2/v2.0/token`, ca, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: ARM_SCOPE });
      assert.equal(res.status, 400);
      assert.equal(res.json.error, 'invalid_tenant');
      assert.deepEqual(res.json.error_codes, [90002]);
    });

    it('a wrong grant type and a missing scope are refused over the wire in Entra\'s shape', async () => {
      const url = `${baseUrl}/${tenant.id}/oauth2/v2.0/token`;
      const wrongGrant = await httpsJson(url, ca, { grant_type: 'implicit', client_id: sp.appId, client_secret: secret, scope: ARM_SCOPE });
      assert.equal(wrongGrant.status, 400);
      assert.equal(wrongGrant.json.error, 'unsupported_grant_type');
      assert.deepEqual(wrongGrant.json.error_codes, [70003]);
      const noScope = await httpsJson(url, ca, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret }, { 'client-request-id': 'trace-me' });
      assert.equal(noScope.status, 400);
      assert.equal(noScope.json.error, 'invalid_request');
      assert.match(String(noScope.json.error_description), /^AADSTS900144: The request body must contain the following parameter: 'scope'\./);
      assert.equal(noScope.json.correlation_id, 'trace-me');
    });

    it('an expired secret is refused with AADSTS7000222 while a current one still works', async () => {
      const shortLived = await plane.directory.addClientSecret(sp.id, { expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
      const form = { grant_type: 'client_credentials', client_id: sp.appId, client_secret: shortLived.value, scope: ARM_SCOPE };
      assert.equal((await httpsJson(`${baseUrl}/${tenant.id}/oauth2/v2.0/token`, ca, form)).status, 200);
      clock.advance(120);
      const res = await httpsJson(`${baseUrl}/${tenant.id}/oauth2/v2.0/token`, ca, form);
      assert.equal(res.status, 401);
      assert.equal(res.json.error, 'invalid_client');
      assert.match(String(res.json.error_description), /^AADSTS7000222: /);
      const fresh = new ClientSecretCredential(tenant.id, sp.appId, secret, credentialOptions());
      assert.ok((await fresh.getToken(ARM_SCOPE)).token);
    });

    it('rotation: the new key is published first, signs after the delay, and old tokens keep verifying', async () => {
      const before = new ClientSecretCredential(tenant.id, sp.appId, secret, credentialOptions());
      const oldToken = (await before.getToken(ARM_SCOPE)).token;
      const oldKid = decodeProtectedHeader(oldToken).kid;

      const successor = await plane.keys.rotate();
      assert.notEqual(successor.kid, oldKid);
      const published = (await jwks()).keys.map((k) => k.kid);
      assert.ok(published.includes(oldKid) && published.includes(successor.kid), 'both keys are published during the activation delay');
      const during = await new ClientSecretCredential(tenant.id, sp.appId, secret, credentialOptions()).getToken(ARM_SCOPE);
      assert.equal(decodeProtectedHeader(during.token).kid, oldKid, 'the successor does not sign before it activates');

      clock.advance(ACTIVATION_DELAY + 1);
      const after = await new ClientSecretCredential(tenant.id, sp.appId, secret, credentialOptions()).getToken(ARM_SCOPE);
      assert.equal(decodeProtectedHeader(after.token).kid, successor.kid);
      const set = createLocalJWKSet(await jwks());
      await jwtVerify(oldToken, set, { currentDate: clock.now() });
      await jwtVerify(after.token, set, { currentDate: clock.now() });
      assert.equal((await plane.tokens.verifyAccessToken(oldToken)).objectId, sp.id);
      assert.equal((await plane.tokens.verifyAccessToken(after.token)).objectId, sp.id);

      clock.advance(3600 + 600 + 1); // past the old key's retirement: every token it signed has expired
      assert.ok(!(await jwks()).keys.some((k) => k.kid === oldKid));
      await assert.rejects(plane.tokens.verifyAccessToken(oldToken), { code: 'InvalidAuthenticationToken' });
    });

    it('the password exists only as an argon2id hash and the secret only as its SHA-256 digest in the database', async () => {
      const rows: string[] = [];
      if (database.name === 'sqlite') {
        // Every byte the database wrote (main file and WAL) is searched, not just the rows.
        const dir = join(storeUrl, '..');
        const bytes = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
        assert.ok(!bytes.includes(secret) && !bytes.includes(alicePassword));
        assert.ok(bytes.includes('$argon2id$') && bytes.includes('$sha256$'));
      } else {
        const client = new pg.Client({ connectionString: storeUrl });
        await client.connect();
        try {
          for (const table of ['client_secrets', 'users']) {
            const result = await client.query<{ body: string }>(`select body from ${table}`);
            rows.push(...result.rows.map((r) => r.body));
          }
        } finally {
          await client.end();
        }
        assert.ok(rows.length >= 2);
        assert.ok(rows.every((r) => !r.includes(secret) && !r.includes(alicePassword)));
        assert.ok(rows.every((r) => r.includes('$argon2id$') || r.includes('$sha256$')));
      }
      const stored = await store.identity.listClientSecrets(sp.id);
      assert.ok(stored.every((s) => /^\$sha256\$[A-Za-z0-9_-]{43}$/.test(s.secretHash)));
      assert.ok(stored.some((s) => s.hint === secret.slice(0, 3)));
    });

    it('neither the secret nor the password ever reaches the log', () => {
      const log = logLines.join('');
      assert.ok(log.includes('/oauth2/v2.0/token'), 'the token requests were logged at all');
      assert.ok(!log.includes(secret));
      assert.ok(!log.includes(alicePassword));
    });
  });
}
