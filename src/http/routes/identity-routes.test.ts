import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Tenant } from '../../core/identity/model.js';
import { openIdentityPlane } from '../../services/identity/identity-plane.js';
import type { IdentityPlane } from '../../services/identity/identity-plane.js';
import { openStore } from '../../storage/open-store.js';
import type { Store } from '../../storage/port.js';
import { identityRoutes } from './identity-routes.js';

const BASE = 'https://lantern.test:8443';
const clock = { now: () => new Date('2026-11-21T05:32:35Z') };
const ids = { guid: () => randomUUID() };

describe('identity routes', () => {
  let store: Store;
  let plane: IdentityPlane;
  let app: FastifyInstance;
  let tenant: Tenant;
  let appId: string;
  let secret: string;

  const form = (fields: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

  before(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    plane = await openIdentityPlane({ store, baseUrl: BASE, clock, ids });
    app = Fastify();
    await app.register(identityRoutes, { tokens: plane.tokens, discovery: plane.discovery, clock, adfs: plane.adfs });
    tenant = await plane.directory.createTenant({ displayName: 'Contoso', defaultDomain: 'contoso-routes.example' });
    const sp = await plane.directory.createServicePrincipal({ tenantId: tenant.id, displayName: 'automation' });
    appId = sp.appId;
    secret = (await plane.directory.addClientSecret(sp.id)).value;
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('ADFS-style authority: the token is for the own tenant of the service principal, whatever the request says; an unknown client is refused', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/adfs/.well-known/openid-configuration' })).json<Record<string, unknown>>();
    assert.equal(doc.token_endpoint, `${BASE}/adfs/oauth2/token`);
    const other = await plane.directory.createTenant({ displayName: 'Other', defaultDomain: 'other-routes.example' });
    const form = (extra: Record<string, string>) => new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://management.azure.com/.default', ...extra }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const issued = await app.inject({ method: 'POST', url: '/adfs/oauth2/token', headers, payload: form({ tenant: other.id, tid: other.id }) });
    assert.equal(issued.statusCode, 200, issued.body);
    const claims = JSON.parse(Buffer.from(issued.json<{ access_token: string }>().access_token.split('.')[1] ?? '', 'base64url').toString()) as { tid: string };
    assert.equal(claims.tid, tenant.id);
    const unknown = await app.inject({ method: 'POST', url: '/adfs/oauth2/token', headers, payload: form({ client_id: '11111111-2222-4333-8444-555555555555' }) });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json<{ error: string }>().error, 'unauthorized_client');
    const wrongSecret = await app.inject({ method: 'POST', url: '/adfs/oauth2/token', headers, payload: form({ client_secret: 'not-the-secret' }) });
    assert.equal(wrongSecret.statusCode, 401);
  });

  it('serves the OpenID configuration by tenant id or domain, with endpoints naming the tenant id', async () => {
    for (const segment of [tenant.id, tenant.defaultDomain]) {
      const res = await app.inject({ method: 'GET', url: `/${segment}/v2.0/.well-known/openid-configuration` });
      assert.equal(res.statusCode, 200);
      const doc = res.json<Record<string, unknown>>();
      assert.equal(doc.issuer, `${BASE}/${tenant.id}/v2.0`);
      assert.equal(doc.token_endpoint, `${BASE}/${tenant.id}/oauth2/v2.0/token`);
      assert.equal(doc.jwks_uri, `${BASE}/${tenant.id}/discovery/v2.0/keys`);
      assert.equal(doc.authorization_endpoint, `${BASE}/${tenant.id}/oauth2/v2.0/authorize`);
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
      assert.equal(doc.tenant_region_scope, 'WW');
      assert.equal(doc.cloud_instance_name, 'lantern.test:8443');
    }
    const common = (await app.inject({ method: 'GET', url: '/common/v2.0/.well-known/openid-configuration' })).json<Record<string, unknown>>();
    assert.equal(common.issuer, `${BASE}/{tenantid}/v2.0`);
    assert.equal(common.token_endpoint, `${BASE}/common/oauth2/v2.0/token`);
  });

  it('answers an unknown tenant with AADSTS90002 in the Entra error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere.example/v2.0/.well-known/openid-configuration', headers: { 'client-request-id': 'abc-123' } });
    assert.equal(res.statusCode, 400);
    const body = res.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
    assert.equal(body.error, 'invalid_tenant');
    assert.deepEqual(body.error_codes, [90002]);
    assert.equal(body.correlation_id, 'abc-123');
    assert.equal(res.headers['client-request-id'], 'abc-123');
    assert.equal(body.timestamp, '2026-11-21 05:32:35Z');
    assert.match(String(body.error_description), /^AADSTS90002: Tenant 'nowhere\.example' not found\..* Trace ID: \S+ Correlation ID: abc-123 Timestamp: 2026-11-21 05:32:35Z$/);
  });

  it('publishes the JWKS without private members', async () => {
    const res = await app.inject({ method: 'GET', url: `/${tenant.id}/discovery/v2.0/keys` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'max-age=60, private', 'cached for less than the default key activation delay');
    const { keys } = res.json<{ keys: Record<string, unknown>[] }>();
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0]!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('issues a token from a form body, never cached', async () => {
    const res = await app.inject({
      method: 'POST', url: `/${tenant.id}/oauth2/v2.0/token`,
      ...form({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://management.azure.com/.default' }),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    assert.equal((await plane.tokens.verifyAccessToken(String(body.access_token))).appId, appId);
  });

  it('reads only form bodies: JSON, other types and no body count as an empty form', async () => {
    const fields = { grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope: 'https://management.azure.com/.default' };
    for (const request of [{ payload: fields }, { headers: { 'content-type': 'text/plain' }, payload: new URLSearchParams(fields).toString() }, {}]) {
      const res = await app.inject({ method: 'POST', url: `/${tenant.id}/oauth2/v2.0/token`, ...request });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json<Record<string, unknown>>().error_codes, [900144]);
      assert.match(res.json<{ error_description: string }>().error_description, /'grant_type'/);
    }
  });

  it('answers a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const res = await app.inject({
      method: 'POST', url: `/${tenant.id}/oauth2/v2.0/token`,
      ...form({ grant_type: 'client_credentials', client_id: appId, client_secret: 'nope', scope: 'https://management.azure.com/.default' }),
    });
    assert.equal(res.statusCode, 401);
    const body = res.json<{ error: string; error_description: string }>();
    assert.equal(body.error, 'invalid_client');
    assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
  });

  it('answers instance discovery for its own host only', async () => {
    const authorize = encodeURIComponent(`${BASE}/${tenant.id}/oauth2/v2.0/authorize`);
    const ok = await app.inject({ method: 'GET', url: `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}` });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), {
      tenant_discovery_endpoint: `${BASE}/${tenant.id}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: 'lantern.test:8443', preferred_cache: 'lantern.test:8443', aliases: ['lantern.test:8443'] }],
    });
    const foreign = encodeURIComponent('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    const refused = await app.inject({ method: 'GET', url: `/common/discovery/instance?api-version=1.1&authorization_endpoint=${foreign}` });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json<{ error: string }>().error, 'invalid_instance');
  });

  it('documents its routes, form fields included, in the OpenAPI document', async () => {
    const documented = Fastify();
    await documented.register(swagger, { openapi: { openapi: '3.0.3', info: { title: 't', version: '1' } } });
    await documented.register(identityRoutes, { tokens: plane.tokens, discovery: plane.discovery, clock, adfs: plane.adfs });
    await documented.ready();
    const { paths } = documented.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    assert.deepEqual(Object.keys(paths).sort(), [
      '/adfs/.well-known/openid-configuration', '/adfs/discovery/keys', '/adfs/oauth2/token', '/common/discovery/instance', '/{tenant}/discovery/v2.0/keys', '/{tenant}/oauth2/v2.0/token', '/{tenant}/v2.0/.well-known/openid-configuration',
    ]);
    const body = paths['/{tenant}/oauth2/v2.0/token']?.post?.requestBody?.content['application/x-www-form-urlencoded']?.schema;
    assert.deepEqual(Object.keys(body?.properties ?? {}).sort(), ['client_id', 'client_secret', 'grant_type', 'password', 'scope', 'username']);
    await documented.close();
  });
});
