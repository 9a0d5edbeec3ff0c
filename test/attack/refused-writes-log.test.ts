/**
 * Issue 11.7: every refused write reaches the activity log, on every plane, in the log of the
 * tenant whose scope it targeted (status Failed, the error's code in `statusMessage`, as Azure
 * keeps failed operations), and never in the log of the caller's own tenant when it aimed elsewhere.
 * Each request carries its own correlation id, which finds its entries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import type { ActivityLogEntry } from '../../src/core/resources/model.js';
import { isArmError, rawRequest, writeAndTrace } from './support.js';

const database = testDatabases()[0]!;
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const TENANTS = [DEMO_IDS.contosoTenant, DEMO_IDS.fabrikamTenant, DEMO_IDS.northwindTenant];

describe('refused writes in the activity log of the targeted tenant (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoUsers;

  before(async () => {
    lantern = await startTestLantern(database);
    demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
  });
  after(async () => lantern.stop());

  /** Sends a write as `upn`; answers its status, error code and the log entries of its correlation id, by tenant. */
  async function refusedWrite(upn: string, method: string, path: string, body: unknown) {
    const { answer, logged } = await writeAndTrace(lantern, await demo.token(upn), method, path, JSON.stringify(body));
    assert.ok(answer.status >= 400 && answer.status < 500, `${method} ${path}: ${answer.status} ${answer.text}`);
    assert.ok(isArmError(answer.json), answer.text);
    const logs = new Map<string, ActivityLogEntry[]>();
    for (const tenantId of TENANTS) logs.set(tenantId, await logged(tenantId));
    return { status: answer.status, code: answer.json.error.code, logs };
  }

  function assertLoggedOnlyIn(result: Awaited<ReturnType<typeof refusedWrite>>, tenantId: string, expected: { operationName: string; resourceId: string; subscriptionId?: string }) {
    for (const [tenant, entries] of result.logs) {
      if (tenant !== tenantId) {
        assert.deepEqual(entries, [], `nothing in the log of ${tenant}`);
        continue;
      }
      assert.equal(entries.length, 1, JSON.stringify(entries));
      const [entry] = entries as [ActivityLogEntry];
      assert.equal(entry.status, 'Failed');
      assert.equal(entry.statusCode, result.status);
      assert.equal(entry.operationName.toLowerCase(), expected.operationName.toLowerCase());
      assert.equal(entry.resourceId.toLowerCase(), expected.resourceId.toLowerCase());
      assert.equal(entry.subscriptionId, expected.subscriptionId);
      assert.equal((JSON.parse(entry.statusMessage ?? '{}') as { error?: { code?: string } }).error?.code, result.code);
    }
  }

  it('resource plane: a Reader’s refused resource group write (403) and an Owner’s invalid one (400)', async () => {
    const forbidden = await refusedWrite('reader@fabrikam.example', 'PUT', `${FAB}/resourceGroups/rg-new?api-version=2025-04-01`, { location: 'westeurope' });
    assert.equal(forbidden.code, 'AuthorizationFailed');
    assertLoggedOnlyIn(forbidden, DEMO_IDS.fabrikamTenant, { operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write', resourceId: `${FAB}/resourceGroups/rg-new`, subscriptionId: DEMO_IDS.fabrikamProduction });
    const invalid = await refusedWrite('owner@fabrikam.example', 'PUT', `${FAB}/resourceGroups/rg-new?api-version=2025-04-01`, { tags: 'not an object' });
    assert.equal(invalid.status, 400);
    assertLoggedOnlyIn(invalid, DEMO_IDS.fabrikamTenant, { operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write', resourceId: `${FAB}/resourceGroups/rg-new`, subscriptionId: DEMO_IDS.fabrikamProduction });
  });

  it('resource plane: a duplicate role assignment (409)', async () => {
    const readerRole = `${FAB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
    const path = `${FAB}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`;
    const conflict = await refusedWrite('owner@fabrikam.example', 'PUT', path, { properties: { roleDefinitionId: readerRole, principalId: demo.objectId('reader@fabrikam.example') } });
    assert.equal(conflict.status, 409);
    assertLoggedOnlyIn(conflict, DEMO_IDS.fabrikamTenant, { operationName: 'Microsoft.Authorization/roleAssignments/write', resourceId: path.split('?')[0] as string, subscriptionId: DEMO_IDS.fabrikamProduction });
  });

  it('Microsoft.ManagedServices: another tenant’s owner writing a registration definition in Fabrikam (403)', async () => {
    const path = `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${randomUUID()}`;
    const body = { properties: { registrationDefinitionName: 'x', managedByTenantId: DEMO_IDS.northwindTenant, authorizations: [{ principalId: demo.objectId('owner@northwind.example'), roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' }] } };
    const refused = await refusedWrite('owner@northwind.example', 'PUT', `${path}?api-version=2022-10-01`, body);
    assert.equal(refused.status, 403);
    assertLoggedOnlyIn(refused, DEMO_IDS.fabrikamTenant, { operationName: 'Microsoft.ManagedServices/registrationDefinitions/write', resourceId: path, subscriptionId: DEMO_IDS.fabrikamProduction });
  });

  it('Partner Center: another tenant’s user writing Contoso’s offer, and deciding its eligibility (operator route)', async () => {
    const offer = await refusedWrite('owner@northwind.example', 'PUT', '/partner-center/publishers/contoso/offers/stolen/properties', {});
    assertLoggedOnlyIn(offer, DEMO_IDS.contosoTenant, { operationName: 'Lantern.PartnerCenter/publishers/offers/properties/write', resourceId: '/providers/Lantern.PartnerCenter/publishers/contoso/offers/stolen' });
    const decision = await refusedWrite('alice@contoso.example', 'POST', '/partner-center/publishers/contoso/eligibility/SolutionsPartner:Security/decision', { decision: 'verified' });
    assert.equal(decision.status, 403);
    assertLoggedOnlyIn(decision, DEMO_IDS.contosoTenant, { operationName: 'Lantern.PartnerCenter/publishers/eligibility/decision/action', resourceId: '/providers/Lantern.PartnerCenter/publishers/contoso/eligibility/SolutionsPartner:Security' });
  });

  it('product ingestion: another tenant’s user configuring Contoso’s products', async () => {
    const refused = await refusedWrite('owner@fabrikam.example', 'POST', '/rp/product-ingestion/configure?$version=2022-03-01-preview3&publisherId=contoso', {
      $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2',
      resources: [{ $schema: 'https://schema.mp.microsoft.com/schema/product/2022-03-01-preview3', identity: { externalId: 'stolen' }, type: 'azureManagedService', alias: 'Stolen' }],
    });
    assertLoggedOnlyIn(refused, DEMO_IDS.contosoTenant, { operationName: 'Lantern.ProductIngestion/configure/action', resourceId: '/' });
  });

  it('marketplace: another tenant’s user accepting terms for Fabrikam’s subscription', async () => {
    const refused = await refusedWrite('owner@northwind.example', 'POST', `/marketplace${FAB}/acquisitions`, { offerId: 'contoso.managed-ops', planId: 'standard', acceptLegalTerms: true });
    assertLoggedOnlyIn(refused, DEMO_IDS.fabrikamTenant, { operationName: 'Lantern.Marketplace/acquisitions/write', resourceId: FAB, subscriptionId: DEMO_IDS.fabrikamProduction });
  });

  it('Lantern.Lighthouse views: a Reader accepting an update of a service provider offer, in its own directory’s log', async () => {
    const refused = await refusedWrite('reader@fabrikam.example', 'POST', '/providers/Lantern.Lighthouse/serviceProviderOffers/contoso.managed-ops/acceptUpdate?api-version=2022-10-01', { scopes: [FAB] });
    assertLoggedOnlyIn(refused, DEMO_IDS.fabrikamTenant, { operationName: 'Lantern.Lighthouse/serviceProviderOffers/acceptUpdate/action', resourceId: '/providers/Lantern.Lighthouse/serviceProviderOffers/contoso.managed-ops' });
  });

  it('shows the error code to the targeted tenant over ARM’s activity-log API', async () => {
    const refused = await refusedWrite('reader@fabrikam.example', 'DELETE', `${FAB}/resourceGroups/rg-web?api-version=2025-04-01`, undefined);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const answer = await rawRequest(lantern.baseUrl, 'GET', `${FAB}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(`eventTimestamp ge '${since}' and status eq 'Failed'`)}`, {
      headers: { authorization: `Bearer ${await demo.token('owner@fabrikam.example')}` },
    });
    assert.equal(answer.status, 200, answer.text);
    const events = (answer.json as { value: { operationName: { value: string }; caller: string; properties: Record<string, string> }[] }).value;
    const mine = events.find((e) => e.operationName.value === 'Microsoft.Resources/subscriptions/resourceGroups/delete' && e.caller === 'reader@fabrikam.example');
    assert.ok(mine, JSON.stringify(events));
    assert.equal(JSON.parse(mine.properties.statusMessage ?? '{}').error.code, refused.code);
  });
});
