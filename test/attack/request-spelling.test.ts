/**
 * Issue 11.5–11.7 regressions: one canonical form of the path for throttling, the guard and the
 * activity log; every error in its plane's envelope; no 5xx on malformed input.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock } from '../identity/support.js';
import { buildWorld, tokenOf, type ArmWorld } from '../arm/support.js';
import { isAadError, isArmError, rawRequest } from './support.js';

const RES = 'api-version=2025-04-01';
const database = testDatabases()[0]!;

describe('one canonical request path (sqlite)', () => {
  let lantern: TestLantern;
  let world: ArmWorld;
  let token: string;

  before(async () => {
    lantern = await startTestLantern(database, { clock: offsetClock(), env: { LANTERN_THROTTLE_READS: '4', LANTERN_THROTTLE_WRITES: '3' } });
    world = await buildWorld(lantern);
    token = await tokenOf(lantern, world.owner);
  });
  after(async () => lantern.stop());

  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(lantern.baseUrl, 'GET', path, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('throttles every spelling of a subscription in one bucket', async () => {
    const s = world.subscriptionId;
    const spellings = [
      `/subscriptions/${s}/resourcegroups?${RES}`,
      `/subscriptions/%${s.charCodeAt(0).toString(16)}${s.slice(1)}/resourcegroups?${RES}`,
      `//subscriptions/${s}/resourcegroups?${RES}`,
      `/%73ubscriptions/${s.toUpperCase()}/RESOURCEGROUPS/?${RES}`,
    ];
    const remaining: string[] = [];
    for (const path of spellings) {
      const answer = await get(path);
      assert.equal(answer.status, 200, path);
      remaining.push(String(answer.headers['x-ms-ratelimit-remaining-subscription-reads']));
    }
    assert.deepEqual(remaining, ['3', '2', '1', '0']);
    const throttled = await get(`/subscriptions//${s}//resourceGroups?${RES}`);
    assert.equal(throttled.status, 429);
    assert.ok(isArmError(throttled.json) && throttled.json.error.code === 'TooManyRequests');
  });

  it('logs and authorizes a write under its canonical scope, whatever its spelling', async () => {
    const s = world.subscriptionId;
    const rgReader = await tokenOf(lantern, world.rgReader);
    const refused = await rawRequest(lantern.baseUrl, 'DELETE', `/%73ubscriptions/${s}//RESOURCEGROUPS/rg-app/?${RES}`, { headers: { authorization: `Bearer ${rgReader}` } });
    assert.equal(refused.status, 403);
    const events = await lantern.services.activity.query({ tenantId: world.contoso, subscriptionId: s, from: new Date(0).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() });
    const logged = events.filter((e) => e.operationName === 'Microsoft.Resources/subscriptions/resourceGroups/delete');
    assert.deepEqual(logged.map((e) => [e.resourceId, e.status]), [[`/subscriptions/${s}/resourceGroups/rg-app`, 'Failed']]);
  });

  it('refuses spellings the router and the guard could read differently, in ARM’s envelope', async () => {
    const s = world.subscriptionId;
    for (const path of [
      `/subscriptions/${s}%2Fresourcegroups?${RES}`,
      `/subscriptions/${s}/resourcegroups/..?${RES}`,
      `/subscriptions/${s}/resourcegroups/%2e%2e?${RES}`,
      `/subscriptions/${s}/resourcegroups/rg-app%5C..?${RES}`,
    ]) {
      const answer = await get(path);
      assert.equal(answer.status, 400, path);
      assert.ok(isArmError(answer.json) && answer.json.error.code === 'InvalidResourceId', `${path}: ${answer.text}`);
    }
  });
});

describe('errors in their plane’s envelope, never a 5xx (sqlite)', () => {
  let lantern: TestLantern;
  let world: ArmWorld;
  let token: string;

  before(async () => {
    lantern = await startTestLantern(database);
    world = await buildWorld(lantern);
    token = await tokenOf(lantern, world.owner);
  });
  after(async () => lantern.stop());

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('answers a repeated api-version with 400, not 500', async () => {
    const answer = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${world.subscriptionId}/resourcegroups?${RES}&${RES}`, { headers: auth() });
    assert.equal(answer.status, 400);
    assert.ok(isArmError(answer.json) && answer.json.error.code === 'InvalidApiVersionParameter', answer.text);
  });

  it('answers a malformed escape, an over-long segment and huge headers in ARM’s envelope', async () => {
    const s = world.subscriptionId;
    const badEscape = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${s}/resourcegroups/%zz?${RES}`, { headers: auth() });
    assert.equal(badEscape.status, 400);
    assert.ok(isArmError(badEscape.json), badEscape.text);
    const long = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${s}/resourcegroups/${'a'.repeat(2000)}?${RES}`, { headers: auth() });
    assert.equal(long.status, 414);
    assert.ok(isArmError(long.json) && long.json.error.code === 'RequestUriTooLong', long.text);
    const headers = await rawRequest(lantern.baseUrl, 'GET', `/subscriptions/${s}/resourcegroups?${RES}`, { headers: { ...auth(), 'x-padding': 'a'.repeat(20_000) } });
    assert.equal(headers.status, 431);
    assert.ok(isArmError(headers.json) && headers.json.error.code === 'RequestHeaderFieldsTooLarge', headers.text);
    const partnerCenter = await rawRequest(lantern.baseUrl, 'GET', '/partner-center/publishers/%zz', { headers: auth() });
    assert.ok(isArmError(partnerCenter.json), partnerCenter.text);
  });

  it('answers the identity endpoints’ framework errors in Entra’s shape', async () => {
    const badEscape = await rawRequest(lantern.baseUrl, 'GET', '/common/v2.0/%zz');
    assert.equal(badEscape.status, 400);
    assert.ok(isAadError(badEscape.json) && badEscape.json.error === 'invalid_request', badEscape.text);
    const dotted = await rawRequest(lantern.baseUrl, 'GET', '/common/v2.0/../.well-known/openid-configuration');
    assert.ok(isAadError(dotted.json) && dotted.status === 400, dotted.text);
  });

  it('answers a body over the size cap with 413 in each plane’s envelope', async () => {
    const s = world.subscriptionId;
    const big = JSON.stringify({ location: 'westeurope', properties: { padding: 'a'.repeat(9 * 1024 * 1024) } });
    for (const [method, path, envelope] of [
      ['PUT', `/subscriptions/${s}/resourcegroups/rg-app/providers/Microsoft.Web/sites/big?${RES}`, 'arm'],
      ['PUT', '/partner-center/publishers/none/offers/none/listing', 'arm'],
      ['POST', '/rp/product-ingestion/configure', 'ingestion'],
    ] as const) {
      const answer = await rawRequest(lantern.baseUrl, method, path, { headers: { ...auth(), 'content-type': 'application/json' }, body: big });
      assert.equal(answer.status, 413, `${path}: ${answer.text.slice(0, 200)}`);
      assert.ok(isArmError(answer.json), `${envelope} envelope: ${answer.text.slice(0, 200)}`);
    }
    const token = await rawRequest(lantern.baseUrl, 'POST', `/${world.contoso}/oauth2/v2.0/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=${'a'.repeat(9 * 1024 * 1024)}` });
    assert.equal(token.status, 413);
    assert.ok(isAadError(token.json), token.text.slice(0, 200));
  });

  it('refuses JSON nested thousands deep with 400 on every JSON route, and template expressions as deep', async () => {
    const s = world.subscriptionId;
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const [method, path] of [
      ['PUT', `/subscriptions/${s}/resourceGroups/rg-app/providers/Microsoft.Web/sites/deep?${RES}`],
      ['PUT', `/subscriptions/${s}/resourcegroups/deep?${RES}`],
      ['PUT', `/subscriptions/${s}/providers/Microsoft.Resources/deployments/deep?api-version=2021-04-01`],
      ['POST', '/rp/product-ingestion/configure'],
      ['PUT', '/partner-center/publishers/none/offers/none/listing'],
    ] as const) {
      const answer = await rawRequest(lantern.baseUrl, method, path, { headers: { ...auth(), 'content-type': 'application/json' }, body: `{"location":"westeurope","properties":${deep}}` });
      assert.equal(answer.status, 400, `${path}: ${answer.text.slice(0, 200)}`);
      assert.match(answer.text, /more than 64 levels deep/, path);
    }
    const expression = `[${'concat('.repeat(5000)}'a'${')'.repeat(5000)}]`;
    const template = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [], outputs: { x: { type: 'string', value: expression } } };
    const deployment = await rawRequest(lantern.baseUrl, 'PUT', `/subscriptions/${s}/resourcegroups/rg-app/providers/Microsoft.Resources/deployments/deep?api-version=2021-04-01`, {
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { mode: 'Incremental', template } }),
    });
    assert.equal(deployment.status, 400, deployment.text.slice(0, 300));
    assert.ok(isArmError(deployment.json), deployment.text.slice(0, 300));
  });
});
