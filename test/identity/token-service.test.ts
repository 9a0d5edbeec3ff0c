/** Token issuance and verification rules, each with the bad input that breaks it. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { DomainError } from '../../src/core/errors.js';
import type { ServicePrincipal, Tenant, User } from '../../src/core/identity/model.js';
import { AadError } from '../../src/services/identity/aad-errors.js';
import { openIdentityPlane } from '../../src/services/identity/identity-plane.js';
import type { IdentityPlane } from '../../src/services/identity/identity-plane.js';
import type { TokenRequest } from '../../src/services/identity/token-service.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/port.js';
import { ids, testClock, uniqueDomain } from './support.js';

const BASE = 'https://lantern.test:8443';
const ARM = 'https://management.azure.com/.default';
const PASSWORD = 'Sturdy-Pass-1';
const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

function aadFailure(status: number, error: string, code: number) {
  return (thrown: unknown) => {
    assert.ok(thrown instanceof AadError, `expected an AadError, got ${String(thrown)}`);
    assert.deepEqual({ status: thrown.status, error: thrown.error, code: thrown.code }, { status, error, code });
    return true;
  };
}

function armFailure(code: string, message?: RegExp) {
  return (thrown: unknown) => {
    assert.ok(thrown instanceof DomainError, `expected a DomainError, got ${String(thrown)}`);
    assert.equal(thrown.kind, 'unauthenticated');
    assert.equal(thrown.code, code);
    if (message) assert.match(thrown.message, message);
    return true;
  };
}

describe('token service', () => {
  const clock = testClock(new Date('2026-11-21T05:32:35Z'));
  let store: Store;
  let plane: IdentityPlane;
  let tenant: Tenant;
  let other: Tenant;
  let sp: ServicePrincipal;
  let secret: string;
  let ann: User;
  let guest: User;

  const token = (segment: string, form: TokenRequest) => plane.tokens.token(segment, form);
  const appForm = (extra: TokenRequest = {}): TokenRequest => ({ grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: ARM, ...extra });
  const userForm = (extra: TokenRequest = {}): TokenRequest => ({ grant_type: 'password', client_id: sp.appId, username: ann.userPrincipalName, password: PASSWORD, scope: ARM, ...extra });
  const claimsOf = async (form: TokenRequest, segment = tenant.id) => decodeJwt((await token(segment, form)).access_token);

  /** Signs arbitrary claims with the ring's current key, to probe what verification refuses. */
  async function forge(claims: JWTPayload, expiresInSeconds = 600): Promise<string> {
    const { kid, privateKey } = await plane.keys.signingKey();
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt(now).setExpirationTime(now + expiresInSeconds).sign(privateKey);
  }
  const appClaims = () => ({ aud: 'https://management.azure.com/', iss: `${BASE}/${tenant.id}/v2.0`, tid: tenant.id, oid: sp.id, appid: sp.appId, idtyp: 'app' });

  before(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    plane = await openIdentityPlane({ store, baseUrl: `${BASE}/`, clock, ids });
    const { directory } = plane;
    tenant = await directory.createTenant({ displayName: 'Contoso', defaultDomain: uniqueDomain('contoso') });
    other = await directory.createTenant({ displayName: 'Fabrikam', defaultDomain: uniqueDomain('fabrikam') });
    sp = await directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'automation' });
    secret = (await directory.addClientSecret(sp.id)).value;
    ann = await directory.createUser({ tenantId: tenant.id, userType: 'Member', userPrincipalName: `ann@${tenant.defaultDomain}`, displayName: 'Ann', password: PASSWORD });
    guest = await directory.createUser({ tenantId: other.id, userType: 'Guest', email: ann.userPrincipalName, displayName: 'Ann (guest)', password: PASSWORD });
  });
  after(() => store.close());

  describe('client_credentials', () => {
    it('answers Entra\'s response shape with a one-hour token', async () => {
      const response = await token(tenant.id, appForm());
      assert.deepEqual(Object.keys(response).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
      assert.equal(response.token_type, 'Bearer');
      assert.equal(response.expires_in, 3600);
      const claims = decodeJwt(response.access_token);
      assert.equal(claims.iss, `${BASE}/${tenant.id}/v2.0`, 'the issuer has no double slash even though the base URL ended in one');
      assert.equal(claims.nbf, claims.iat);
      assert.equal(claims.exp, Math.floor(clock.now().getTime() / 1000) + 3600);
    });

    for (const [scope, aud] of [
      ['https://management.azure.com/.default', 'https://management.azure.com/'],
      ['https://management.azure.com//.default', 'https://management.azure.com/'],
      ['https://MANAGEMENT.azure.com/.default', 'https://management.azure.com/'],
      ['https://management.core.windows.net/.default', 'https://management.core.windows.net/'],
      [`${BASE}/.default`, `${BASE}/`],
    ] as const) {
      it(`issues '${scope}' for the audience '${aud}'`, async () => {
        assert.equal((await claimsOf(appForm({ scope }))).aud, aud);
      });
    }

    it('refuses missing parameters, naming each', async () => {
      for (const name of ['grant_type', 'client_id', 'scope']) {
        await assert.rejects(token(tenant.id, appForm({ [name]: undefined })), (e: unknown) => aadFailure(400, 'invalid_request', 900144)(e) && (e as Error).message.includes(`'${name}'`));
      }
      await assert.rejects(token(tenant.id, appForm({ client_secret: '' })), aadFailure(401, 'invalid_client', 7000216));
    });

    it('refuses an unsupported grant type', async () => {
      await assert.rejects(token(tenant.id, appForm({ grant_type: 'implicit' })), aadFailure(400, 'unsupported_grant_type', 70003));
    });

    it('refuses scopes without /.default, with two resources, for unknown resources, or not URLs', async () => {
      await assert.rejects(token(tenant.id, appForm({ scope: 'https://management.azure.com/user_impersonation' })), aadFailure(400, 'invalid_scope', 1002012));
      await assert.rejects(token(tenant.id, appForm({ scope: `${ARM} https://management.core.windows.net/.default` })), aadFailure(400, 'invalid_scope', 28000));
      await assert.rejects(token(tenant.id, appForm({ scope: 'https://graph.microsoft.com/.default' })), aadFailure(400, 'invalid_resource', 500011));
      await assert.rejects(token(tenant.id, appForm({ scope: 'management/.default' })), aadFailure(400, 'invalid_scope', 70011));
      await assert.rejects(token(tenant.id, appForm({ scope: 'openid profile' })), aadFailure(400, 'invalid_scope', 70011));
    });

    it('refuses common/organizations, unknown tenants, unknown clients, clients of another tenant and wrong secrets', async () => {
      await assert.rejects(token('common', appForm()), aadFailure(400, 'invalid_request', 50059));
      await assert.rejects(token('organizations', appForm()), aadFailure(400, 'invalid_request', 50059));
      await assert.rejects(token(ids.guid(), appForm()), aadFailure(400, 'invalid_tenant', 90002));
      await assert.rejects(token('nowhere.example', appForm()), aadFailure(400, 'invalid_tenant', 90002));
      await assert.rejects(token(tenant.id, appForm({ client_id: ids.guid() })), aadFailure(400, 'unauthorized_client', 700016));
      await assert.rejects(token(tenant.id, appForm({ client_id: 'not-a-guid' })), aadFailure(400, 'unauthorized_client', 700016));
      await assert.rejects(token(other.id, appForm()), aadFailure(400, 'unauthorized_client', 700016));
      await assert.rejects(token(tenant.id, appForm({ client_secret: secret.toUpperCase() })), aadFailure(401, 'invalid_client', 7000215));
    });
  });

  describe('password', () => {
    it('issues a user token with the user claims, and an id token and client_info when openid is asked for', async () => {
      const plain = await token(tenant.id, userForm());
      assert.equal(plain.id_token, undefined);
      const claims = decodeJwt(plain.access_token);
      assert.deepEqual(
        { oid: claims.oid, sub: claims.sub, tid: claims.tid, idtyp: claims.idtyp, upn: claims.upn, name: claims.name, appid: claims.appid, azp: claims.azp, scp: claims.scp },
        { oid: ann.id, sub: ann.id, tid: tenant.id, idtyp: 'user', upn: ann.userPrincipalName, name: 'Ann', appid: sp.appId, azp: sp.appId, scp: 'user_impersonation' },
      );
      const withOpenId = await token(tenant.id, userForm({ scope: `${ARM} openid profile offline_access` }));
      const idClaims = decodeJwt(withOpenId.id_token!);
      assert.equal(idClaims.aud, sp.appId);
      assert.equal(idClaims.preferred_username, ann.userPrincipalName);
      assert.deepEqual(JSON.parse(Buffer.from(withOpenId.client_info!, 'base64url').toString()), { uid: ann.id, utid: tenant.id });
    });

    it('accepts the tenant by domain and by common/organizations, resolving from the UPN', async () => {
      for (const segment of [tenant.defaultDomain, 'common', 'organizations']) {
        assert.equal((await claimsOf(userForm(), segment)).tid, tenant.id);
      }
    });

    it('signs a guest in to the inviting tenant by invitation e-mail or by #EXT# UPN', async () => {
      const byEmail = await claimsOf(userForm({ username: ann.userPrincipalName }), other.id);
      assert.equal(byEmail.oid, guest.id);
      assert.equal(byEmail.tid, other.id);
      assert.equal((await claimsOf(userForm({ username: guest.userPrincipalName }), other.id)).oid, guest.id);
    });

    it('accepts the Azure CLI\'s public client id, and refuses unknown ones', async () => {
      assert.equal((await claimsOf(userForm({ client_id: AZURE_CLI }))).appid, AZURE_CLI);
      await assert.rejects(token(tenant.id, userForm({ client_id: ids.guid() })), aadFailure(400, 'unauthorized_client', 700016));
    });

    it('refuses unknown users, users of another tenant, wrong passwords and missing credentials', async () => {
      await assert.rejects(token(tenant.id, userForm({ username: `nobody@${tenant.defaultDomain}` })), aadFailure(400, 'invalid_grant', 50034));
      await assert.rejects(token(other.id, userForm({ username: `nobody@${other.defaultDomain}` })), aadFailure(400, 'invalid_grant', 50034));
      await assert.rejects(token('organizations', userForm({ username: 'ann@unknown.example' })), aadFailure(400, 'invalid_grant', 50034));
      await assert.rejects(token(tenant.id, userForm({ username: guest.userPrincipalName })), aadFailure(400, 'invalid_grant', 50034));
      await assert.rejects(token(tenant.id, userForm({ password: 'Sturdy-Pass-2' })), aadFailure(400, 'invalid_grant', 50126));
      await assert.rejects(token(tenant.id, userForm({ password: undefined })), aadFailure(400, 'invalid_request', 900144));
      await assert.rejects(token(tenant.id, userForm({ username: '' })), aadFailure(400, 'invalid_request', 900144));
    });

    it('checks the client secret when a confidential client sends one', async () => {
      assert.equal((await claimsOf(userForm({ client_secret: secret }))).oid, ann.id);
      await assert.rejects(token(tenant.id, userForm({ client_secret: 'wrong' })), aadFailure(401, 'invalid_client', 7000215));
      await assert.rejects(token(tenant.id, userForm({ client_id: AZURE_CLI, client_secret: secret })), aadFailure(401, 'invalid_client', 7000215));
    });
  });

  describe('verifyAccessToken', () => {
    it('accepts every ARM audience with and without the trailing slash, and Lantern\'s base URL', async () => {
      for (const aud of ['https://management.azure.com/', 'https://management.azure.com', 'https://management.core.windows.net/', 'https://management.core.windows.net', BASE, `${BASE}/`]) {
        const caller = await plane.tokens.verifyAccessToken(await forge({ ...appClaims(), aud }));
        assert.equal(caller.objectId, sp.id, aud);
      }
    });

    it('refuses another audience with ARM\'s message', async () => {
      await assert.rejects(
        plane.tokens.verifyAccessToken(await forge({ ...appClaims(), aud: 'https://graph.microsoft.com/' })),
        armFailure('InvalidAuthenticationTokenAudience', /^The access token has been obtained for wrong audience or resource 'https:\/\/graph\.microsoft\.com\/'\. It should exactly match with one of the allowed audiences 'https:\/\/management\.azure\.com\/','https:\/\/management\.azure\.com',/),
      );
    });

    it('refuses an expired token with ARM\'s message and times, even one it has verified before', async () => {
      const issued = (await token(tenant.id, appForm())).access_token;
      assert.equal((await plane.tokens.verifyAccessToken(issued)).objectId, sp.id);
      clock.advance(3600 + 300 + 1); // beyond the lifetime and the five minutes of skew
      try {
        await assert.rejects(
          plane.tokens.verifyAccessToken(issued),
          armFailure('ExpiredAuthenticationToken', /^The access token expiry UTC time '11\/21\/2026 6:32:35 AM' is earlier than current UTC time '11\/21\/2026 6:37:36 AM'\.$/),
        );
      } finally {
        clock.advance(-(3600 + 300 + 1));
      }
    });

    it('asks the directory again for a remembered token after 30 seconds', async () => {
      const issued = (await token(tenant.id, appForm())).access_token;
      await plane.tokens.verifyAccessToken(issued);
      const original = store.identity.getServicePrincipal.bind(store.identity);
      let lookups = 0;
      store.identity.getServicePrincipal = async (id) => {
        lookups++;
        return id === sp.id ? undefined : original(id); // the principal has vanished
      };
      try {
        assert.equal((await plane.tokens.verifyAccessToken(issued)).objectId, sp.id, 'remembered within 30 s');
        assert.equal(lookups, 0);
        clock.advance(30);
        await assert.rejects(plane.tokens.verifyAccessToken(issued), armFailure('InvalidAuthenticationToken'));
        assert.equal(lookups, 1);
      } finally {
        store.identity.getServicePrincipal = original;
        clock.advance(-30);
      }
    });

    it('refuses tampered, foreign-key, unsigned and malformed tokens', async () => {
      const good = (await token(tenant.id, appForm())).access_token;
      const [h, p, s] = good.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, oid: ids.guid() })).toString('base64url')}.${s}`;
      await assert.rejects(plane.tokens.verifyAccessToken(tampered), armFailure('InvalidAuthenticationToken', /^The access token is invalid\.$/));

      const foreign = await generateKeyPair('RS256');
      const { kid } = decodeProtectedHeader(good);
      const now = Math.floor(clock.now().getTime() / 1000);
      const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: kid! }).setIssuedAt(now).setExpirationTime(now + 600).sign(foreign.privateKey);
      await assert.rejects(plane.tokens.verifyAccessToken(forged), armFailure('InvalidAuthenticationToken'));

      const unknownKid = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'nope' }).sign(foreign.privateKey);
      await assert.rejects(plane.tokens.verifyAccessToken(unknownKid), armFailure('InvalidAuthenticationToken'));
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${p}.`;
      await assert.rejects(plane.tokens.verifyAccessToken(none), armFailure('InvalidAuthenticationToken'));
      await assert.rejects(plane.tokens.verifyAccessToken('not-a-jwt'), armFailure('InvalidAuthenticationToken'));
      assert.ok(await exportJWK(foreign.publicKey), 'the foreign key is a real key');
    });

    it('refuses a wrong issuer, an unknown tenant, a vanished principal, a mismatched appid and a missing idtyp', async () => {
      const stranger = ids.guid();
      const cases: JWTPayload[] = [
        { ...appClaims(), iss: `https://login.microsoftonline.com/${tenant.id}/v2.0` },
        { ...appClaims(), tid: stranger, iss: `${BASE}/${stranger}/v2.0` },
        { ...appClaims(), oid: ids.guid() },
        { ...appClaims(), appid: ids.guid() },
        { ...appClaims(), tid: other.id, iss: `${BASE}/${other.id}/v2.0` },
        { ...appClaims(), idtyp: undefined },
        { ...appClaims(), idtyp: 'user' },
      ];
      for (const claims of cases) {
        await assert.rejects(plane.tokens.verifyAccessToken(await forge(claims)), armFailure('InvalidAuthenticationToken'), JSON.stringify(claims));
      }
    });
  });
});
