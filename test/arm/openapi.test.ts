/**
 * The OpenAPI document documents the resource plane from the route schemas, once per operation
 * (the path spellings registered for clients stay hidden), and the browsable UI is served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';

const [database] = testDatabases();

describe('OpenAPI document of the resource plane', () => {
  let lantern: TestLantern;
  let doc: { paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; in: string }[]; requestBody?: unknown; responses?: Record<string, unknown> }>> };

  before(async () => {
    lantern = await startTestLantern(database!);
    const r = await fetch(`${lantern.baseUrl}/openapi.json`);
    assert.equal(r.status, 200);
    doc = (await r.json()) as typeof doc;
  });
  after(async () => lantern.stop());

  it('has each operation once, with its operationId, parameters, body and error responses', () => {
    const rg = doc.paths['/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'];
    assert.equal(rg?.put?.operationId, 'ResourceGroups_CreateOrUpdate');
    assert.ok(rg?.put?.requestBody);
    assert.ok(rg?.put?.parameters?.some((p) => p.name === 'api-version' && p.in === 'query'));
    assert.deepEqual(Object.keys(rg?.put?.responses ?? {}).sort(), ['200', '201', '400', '401', '403', '404', '409', '429']);
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    for (const id of ['Tenants_List', 'Subscriptions_List', 'Subscriptions_Get', 'Resources_List', 'Resources_CreateOrUpdate', 'Providers_Register',
      'RoleAssignments_CreateForResourceGroup', 'RoleDefinitions_ListForSubscription', 'Permissions_ListForResourceGroup', 'ActivityLogs_List', 'TenantActivityLogs_List']) {
      assert.equal(operations.filter((o) => o === id).length, 1, id);
    }
  });

  it('leaves out the alias spellings', () => {
    const aliases = Object.keys(doc.paths).filter((p) => p.startsWith('//') || p.includes('/resourcegroups'));
    assert.deepEqual(aliases, []);
  });

  it('serves the browsable UI', async () => {
    const r = await fetch(`${lantern.baseUrl}/docs/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  });
});
