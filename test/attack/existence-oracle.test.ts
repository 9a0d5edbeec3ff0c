/**
 * An outsider learns nothing of what exists where it has no rights: each request against Fabrikam's
 * subscription (its resource group, resource, role assignments, delegations, deployments, PIM, the
 * activity log, explain) answers Northwind's Owner exactly as the same request against a
 * subscription, group or resource that does not exist. On SQLite, over HTTPS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';

const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NONE = `/subscriptions/${randomUUID()}`;
const RG = `${FAB}/resourceGroups/rg-web`;
const NO_RG = `${FAB}/resourceGroups/no-such-group`;

describe('no existence oracle for an outsider (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoUsers;
  before(async () => {
    lantern = await startTestLantern(testDatabases()[0]!);
    demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
  });
  after(() => lantern.stop());

  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${lantern.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await demo.token('owner@northwind.example')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, code: text === '' ? '' : ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '') };
  };

  it('answers a request on what exists as on what does not', async () => {
    const since = encodeURIComponent(`eventTimestamp ge '${new Date(Date.now() - 3_600_000).toISOString()}'`);
    const owner = demo.objectId('owner@fabrikam.example');
    const pairs: [method: string, exists: string, missing: string, body?: unknown][] = [
      ['GET', `${FAB}?api-version=2021-04-01`, `${NONE}?api-version=2021-04-01`],
      ['GET', `${RG}?api-version=2021-04-01`, `${NO_RG}?api-version=2021-04-01`],
      ['GET', `${RG}/resources?api-version=2021-04-01`, `${NO_RG}/resources?api-version=2021-04-01`],
      ['GET', `${RG}/providers/Microsoft.Web/sites/fabrikam-web?api-version=2022-03-01`, `${RG}/providers/Microsoft.Web/sites/no-such-site?api-version=2022-03-01`],
      ['PUT', `${RG}/providers/Microsoft.Web/sites/probe?api-version=2022-03-01`, `${NO_RG}/providers/Microsoft.Web/sites/probe?api-version=2022-03-01`, { location: 'westeurope' }],
      ['GET', `${FAB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`, `${NONE}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`],
      ['GET', `${RG}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`, `${NO_RG}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`],
      ['GET', `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, `${NONE}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`],
      ['GET', `${FAB}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, `${NONE}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`],
      ['GET', `${RG}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`, `${NO_RG}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`],
      ['PUT', `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${randomUUID()}?api-version=2022-10-01`, `${NONE}/providers/Microsoft.ManagedServices/registrationDefinitions/${randomUUID()}?api-version=2022-10-01`, { properties: { registrationDefinitionName: 'x', managedByTenantId: DEMO_IDS.northwindTenant, authorizations: [{ principalId: randomUUID(), roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' }] } }],
      ['GET', `${FAB}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions?api-version=2022-10-01`, `${NONE}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions?api-version=2022-10-01`],
      ['GET', `${RG}/providers/Microsoft.Resources/deployments?api-version=2021-04-01`, `${NO_RG}/providers/Microsoft.Resources/deployments?api-version=2021-04-01`],
      ['GET', `${RG}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01`, `${NO_RG}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances?api-version=2020-10-01`],
      ['GET', `${FAB}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${since}`, `${NONE}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${since}`],
      ['GET', `/lantern/explain?action=x/read&scope=${encodeURIComponent(RG)}&principalId=${owner}`, `/lantern/explain?action=x/read&scope=${encodeURIComponent(NO_RG)}&principalId=${owner}`],
    ];
    for (const [method, exists, missing, body] of pairs) {
      const [a, b] = [await send(method, exists, body), await send(method, missing, body)];
      assert.deepEqual(a, b, `${method} ${exists.split('?')[0]} vs ${missing.split('?')[0]}`);
      assert.ok(a.status === 403 || a.status === 404, `${method} ${exists}: refused (${a.status} ${a.code})`);
    }
  });
});
