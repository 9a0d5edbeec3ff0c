/**
 * The HTTP layer as an attacker sees it (test/attack/request-spelling.test.ts covers the spellings
 * it already refuses): a `#` in the request target, which the router reads as the end of the path
 * while the guard authorized the whole of it; an absolute-form target, whose scheme and host the
 * router drops while the activity log saw no known target; and a custom role whose wildcards
 * stalled the event loop.
 */
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRIBUTOR, OWNER } from '../../src/core/roles/builtin-catalog.js';
import { systemContext } from '../../src/services/context.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { buildWorld, tokenOf, type ArmWorld, type TestPrincipal } from '../arm/support.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { isArmError, rawRequest, writeAndTrace } from './support.js';

const database = testDatabases()[0]!;

describe('HTTP surface: the router and the guard read one path (sqlite)', () => {
  let lantern: TestLantern;
  let world: ArmWorld;
  let contributor: TestPrincipal;
  let token: string;

  before(async () => {
    lantern = await startTestLantern(database);
    world = await buildWorld(lantern);
    const { directory } = lantern.services.identity;
    const sp = await directory.createServicePrincipal({ tenantId: world.contoso, displayName: 'contoso-contributor' });
    const secret = (await directory.addClientSecret(sp.id, { displayName: 'test' })).value;
    contributor = { objectId: sp.id, appId: sp.appId, tenantId: world.contoso, secret, displayName: 'contoso-contributor' };
    await lantern.services.rbac.putRoleAssignment(systemContext(lantern.services.ids), {
      name: randomUUID(), scope: `/subscriptions/${world.subscriptionId}`, roleDefinitionId: CONTRIBUTOR, principalId: sp.id, principalType: 'ServicePrincipal',
    });
    token = await tokenOf(lantern, contributor);
  });
  after(async () => lantern.stop());

  it('a Contributor cannot make itself Owner through a `#` the router stops at', async () => {
    const s = world.subscriptionId;
    const name = randomUUID();
    const body = JSON.stringify({ properties: { roleDefinitionId: `/subscriptions/${s}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, principalId: contributor.objectId, principalType: 'ServicePrincipal' } });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const direct = await rawRequest(lantern.baseUrl, 'PUT', `/subscriptions/${s}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`, { headers, body });
    assert.equal(direct.status, 403, direct.text);
    const smuggled = await rawRequest(lantern.baseUrl, 'PUT',
      `/subscriptions/${s}/providers/Microsoft.Authorization/roleAssignments/${name}#/providers/Microsoft.Web/sites/x?x=1&api-version=2022-04-01`, { headers, body });
    assert.equal(smuggled.status, 400, smuggled.text);
    assert.ok(isArmError(smuggled.json) && smuggled.json.error.code === 'InvalidResourceId', smuggled.text);
    const mine = await lantern.services.rbac.listRoleAssignments(systemContext(lantern.services.ids), `/subscriptions/${s}`, { principalId: contributor.objectId });
    assert.deepEqual(mine.map((a) => a.roleDefinitionId.split('/').pop()), [CONTRIBUTOR.split('/').pop()]);
  });

  it('refuses a `#` in the path on every plane, and lets one through in the query string', async () => {
    const s = world.subscriptionId;
    const auth = { authorization: `Bearer ${token}` };
    const rg = await rawRequest(lantern.baseUrl, 'DELETE', `/subscriptions/${s}/resourceGroups/rg-app#/providers/Microsoft.Web/sites/x?x=1&api-version=2025-04-01`, { headers: auth });
    assert.equal(rg.status, 400, rg.text);
    assert.ok(await lantern.services.resources.scopeExists(`/subscriptions/${s}/resourceGroups/rg-app`));
    const pc = await rawRequest(lantern.baseUrl, 'GET', '/partner-center/publishers#/x', { headers: auth });
    assert.equal(pc.status, 400, pc.text);
    const openid = await rawRequest(lantern.baseUrl, 'GET', `/${world.contoso}/v2.0/.well-known/openid-configuration#x`);
    assert.equal(openid.status, 400, openid.text);
    const inQuery = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${s}/resourceGroups?api-version=2025-04-01&x=#`, { headers: auth });
    assert.equal(inQuery.status, 200, inQuery.text);
  });
});

describe('HTTP surface: an absolute-form request target (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoUsers;

  before(async () => {
    lantern = await startTestLantern(database);
    demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
  });
  after(async () => lantern.stop());

  /** A refused Partner Center write by another tenant's user, and the entries of its correlation id in Contoso's log. */
  async function refusedWrite(target: string) {
    const { answer, logged } = await writeAndTrace(lantern, await demo.token('owner@northwind.example'), 'PUT', target, '{}');
    return { answer, logged: (await logged(DEMO_IDS.contosoTenant)).length };
  }

  it('is refused before any route runs, so no write escapes the activity log by dropping its scheme and host', async () => {
    const path = '/partner-center/publishers/contoso/offers/stolen/properties';
    const origin = await refusedWrite(path);
    assert.ok(isArmError(origin.answer.json) && origin.answer.status >= 400 && origin.answer.json.error.code !== 'InvalidResourceId', origin.answer.text);
    assert.equal(origin.logged, 1, 'the refused write is in Contoso’s log');
    for (const target of [`${lantern.baseUrl}${path}`, `http://evil.example${path}`]) {
      const absolute = await refusedWrite(target);
      assert.equal(absolute.answer.status, 400, `${target}: ${absolute.answer.text}`);
      assert.ok(isArmError(absolute.answer.json) && absolute.answer.json.error.code === 'InvalidResourceId', absolute.answer.text);
    }
  });
});

describe('HTTP surface: one request may not stall the server (sqlite)', () => {
  let lantern: TestLantern;
  let world: ArmWorld;

  before(async () => {
    lantern = await startTestLantern(database);
    world = await buildWorld(lantern);
  });
  after(async () => lantern.stop());

  // A custom role's action pattern was one regular expression (`*` → `.*`): nine stars against a
  // 40-letter type backtracked for seconds on the event loop, thirty for ever. Any subscription Owner
  // can write such a role and hold it. The matcher is linear now; a hang fails this test by its timeout.
  it('answers a request checked against a many-wildcard custom role', { timeout: 60_000 }, async () => {
    const s = world.subscriptionId;
    const owner = { authorization: `Bearer ${await tokenOf(lantern, world.owner)}`, 'content-type': 'application/json' };
    const roleId = randomUUID();
    const role = await rawRequest(lantern.baseUrl, 'PUT', `/subscriptions/${s}/providers/Microsoft.Authorization/roleDefinitions/${roleId}?api-version=2022-04-01`, {
      headers: owner,
      body: JSON.stringify({ properties: { roleName: 'Stars', assignableScopes: [`/subscriptions/${s}`], permissions: [{ actions: [`Microsoft.Stall/${'a*'.repeat(30)}b`] }] } }),
    });
    assert.equal(role.status, 201, role.text);
    const grant = await rawRequest(lantern.baseUrl, 'PUT', `/subscriptions/${s}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
      headers: owner,
      body: JSON.stringify({ properties: { roleDefinitionId: `/subscriptions/${s}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`, principalId: world.nobody.objectId, principalType: 'ServicePrincipal' } }),
    });
    assert.equal(grant.status, 201, grant.text);
    const nobody = await tokenOf(lantern, world.nobody);
    const answer = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${s}/resourceGroups/rg-app/providers/Microsoft.Stall/${'a'.repeat(40)}/x?api-version=2020-01-01`, { headers: { authorization: `Bearer ${nobody}` } });
    assert.equal(answer.status, 403, answer.text);
  });
});
