/**
 * The OpenAPI document documents the resource plane from the route schemas, once per operation
 * (the path spellings registered for clients stay hidden), and the browsable UI is served. Every
 * operation says whether it needs a token, and the server agrees: each one declaring the bearer
 * scheme answers 401 without a token, and only the operations listed here as anonymous answer
 * without one. Every ARM operation requires `api-version`, and the server answers ARM's 400s
 * without one or with one it does not support.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoUsers } from '../e2e/support/demo-users.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';

const [database] = testDatabases();

interface Parameter { name: string; in: string; required?: boolean; description?: string }
interface Operation { operationId?: string; summary?: string; description?: string; security?: unknown; parameters?: Parameter[]; requestBody?: unknown; responses?: Record<string, unknown> }
type Document = { paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, unknown> } };

// The operations anyone may call: how clients find Lantern and get their tokens, and the sign-in pages.
const ANONYMOUS = [
  'GET /metadata/endpoints',
  'GET /{tenant}/v2.0/.well-known/openid-configuration',
  'GET /{tenant}/discovery/v2.0/keys',
  'POST /{tenant}/oauth2/v2.0/token',
  'POST /{tenant}/oauth2/v2.0/devicecode',
  'GET /{tenant}/oauth2/v2.0/authorize',
  'POST /{tenant}/oauth2/v2.0/authorize',
  'GET /devicelogin',
  'POST /devicelogin',
  'GET /adfs/.well-known/openid-configuration',
  'GET /adfs/discovery/keys',
  'POST /adfs/oauth2/token',
  'GET /common/discovery/instance',
];

// Real values for path parameters, so a request reaches the checks under test.
const PATH_VALUES: Record<string, string> = {
  subscriptionId: DEMO_IDS.fabrikamProduction,
  resourceGroupName: 'rg-web',
  resourcePath: 'Microsoft.Web/sites/web-1',
  resourceProviderNamespace: 'Microsoft.Web',
  tenant: DEMO_IDS.fabrikamTenant,
  offerType: 'virtualmachine',
};

function operations(doc: Document): { key: string; method: string; path: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation })));
}

function concrete(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => PATH_VALUES[name] ?? '00000000-0000-4000-8000-000000000001');
}

describe('OpenAPI document of the resource plane', () => {
  let lantern: TestLantern;
  let doc: Document;
  let token: string;

  before(async () => {
    lantern = await startTestLantern(database!);
    token = await (await seedDemoUsers(lantern.services, lantern.baseUrl)).token('owner@fabrikam.example');
    const r = await fetch(`${lantern.baseUrl}/openapi.json`);
    assert.equal(r.status, 200);
    doc = (await r.json()) as Document;
  });
  after(async () => lantern.stop());

  const send = (method: string, path: string, query: string, authorization?: string) =>
    fetch(`${lantern.baseUrl}${concrete(path)}${query}`, {
      method,
      headers: { ...(authorization ? { authorization } : {}), ...(['PUT', 'POST', 'PATCH'].includes(method) ? { 'content-type': 'application/json' } : {}) },
      ...(['PUT', 'POST', 'PATCH'].includes(method) ? { body: '{}' } : {}),
    });

  it('has each operation once, with its operationId, parameters, body and error responses', () => {
    const rg = doc.paths['/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'];
    assert.equal(rg?.put?.operationId, 'ResourceGroups_CreateOrUpdate');
    assert.ok(rg?.put?.requestBody);
    assert.ok(rg?.put?.parameters?.some((p) => p.name === 'api-version' && p.in === 'query'));
    assert.deepEqual(Object.keys(rg?.put?.responses ?? {}).sort(), ['200', '201', '400', '401', '403', '404', '409', '429']);
    const ids = operations(doc).map((o) => o.operation.operationId);
    for (const id of ['Tenants_List', 'Subscriptions_List', 'Subscriptions_Get', 'Resources_List', 'Resources_CreateOrUpdate', 'Providers_Register',
      'RoleAssignments_CreateForResourceGroup', 'RoleDefinitions_ListForSubscription', 'Permissions_ListForResourceGroup', 'ActivityLogs_List', 'TenantActivityLogs_List']) {
      assert.equal(ids.filter((o) => o === id).length, 1, id);
    }
  });

  it('leaves out the alias spellings', () => {
    const aliases = Object.keys(doc.paths).filter((p) => p.startsWith('//') || p.includes('/resourcegroups'));
    assert.deepEqual(aliases, []);
  });

  it('declares the bearer scheme on every operation but the anonymous ones, and the server agrees', async () => {
    assert.deepEqual(doc.components.securitySchemes?.bearer, {
      type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /{tenant}/oauth2/v2.0/token for https://management.azure.com/.default.',
    });
    const all = operations(doc);
    assert.deepEqual(ANONYMOUS.filter((key) => !all.some((o) => o.key === key)), [], 'every anonymous operation is in the document');
    const wrong: string[] = [];
    for (const { key, method, path, operation } of all) {
      const anonymous = ANONYMOUS.includes(key);
      if (anonymous && operation.security !== undefined) wrong.push(`${key}: anonymous but declares ${JSON.stringify(operation.security)}`);
      if (!anonymous && JSON.stringify(operation.security) !== JSON.stringify([{ bearer: [] }])) wrong.push(`${key}: declares no bearer scheme`);
      const r = await send(method, path, method === 'GET' && path === '/metadata/endpoints' ? '?api-version=2015-01-01' : '');
      await r.arrayBuffer();
      if (anonymous && r.status === 401) wrong.push(`${key}: anonymous but answers 401 without a token`);
      if (!anonymous && (r.status !== 401 || !/^Bearer /.test(r.headers.get('www-authenticate') ?? ''))) wrong.push(`${key}: answers ${r.status} without a token`);
    }
    assert.deepEqual(wrong, []);
  });

  it('requires api-version on every ARM operation, and answers ARM\'s 400s without one or with an unsupported one', async () => {
    const arm = operations(doc).filter((o) => o.operation.operationId !== undefined || o.path === '/metadata/endpoints');
    assert.ok(arm.length > 130, `${arm.length} ARM operations`);
    const wrong: string[] = [];
    for (const { key, method, path, operation } of arm) {
      const parameter = operation.parameters?.find((p) => p.name === 'api-version' && p.in === 'query');
      if (parameter?.required !== true || !parameter.description) wrong.push(`${key}: api-version is not documented as required`);
      const auth = `Bearer ${token}`;
      for (const [query, codes] of [['', ['MissingApiVersionParameter']], ['?api-version=', ['MissingApiVersionParameter']], ['?api-version=bogus', ['InvalidApiVersionParameter', 'NoRegisteredProviderFound']]] as const) {
        const r = await send(method, path, query, auth);
        const body = (await r.json().catch(() => ({}))) as { error?: { code?: string; target?: string } };
        if (r.status !== 400 || !(codes as readonly string[]).includes(body.error?.code ?? '') || body.error?.target !== 'api-version') {
          wrong.push(`${key}${query}: ${r.status} ${JSON.stringify(body).slice(0, 160)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('documents the generic resource paths with a named path, summaries and parameter descriptions', () => {
    const generic = doc.paths['/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{resourcePath}'];
    assert.deepEqual(Object.keys(generic ?? {}).sort(), ['delete', 'get', 'patch', 'post', 'put']);
    for (const operation of Object.values(generic ?? {})) {
      assert.ok(operation.summary && operation.description?.includes('resourcePath'), operation.operationId);
      const path = operation.parameters?.filter((p) => p.in === 'path') ?? [];
      assert.deepEqual(path.map((p) => p.name), ['subscriptionId', 'resourceGroupName', 'resourcePath'], operation.operationId);
      assert.ok(path.every((p) => p.required === true && (p.description ?? '').length > 10), operation.operationId);
    }
    assert.ok(!Object.keys(doc.paths).some((p) => p.includes('{*}')), 'no path keeps Fastify\'s {*}');
  });

  it('serves the browsable UI, which no other site may frame', async () => {
    for (const path of ['/docs/', '/docs', '/docs/static/index.html']) {
      const r = await fetch(`${lantern.baseUrl}${path}`);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/, path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    }
  });
});
