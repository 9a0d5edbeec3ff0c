/**
 * Issue 11.8: the cross-tenant matrix over the demo world. Every demo principal (users, the guest
 * and the service principals of the three tenants) × every subscription × read, list and write
 * operations on ARM (subscription, resource groups, resources, role assignments, registration
 * definitions and assignments, the Lantern.Lighthouse views) and Partner Center. The expected
 * answer of each cell comes from the demo world as product.md documents it (the GRANTS table
 * below), not from the engine: a role grants its reads (and an Owner its writes, a registration
 * definition included, as a customer onboarding a provider does), anything else is
 * refused (403, or 404 where the caller may not learn the target exists) and leaks nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDemoUsers, type DemoUsers } from '../e2e/support/demo-users.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { isArmError } from './support.js';

const database = testDatabases()[0]!;
const FAB = DEMO_IDS.fabrikamProduction;
const NW = DEMO_IDS.northwindDev;
const READER_ROLE = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
// Each Owner's role-assignment write names another built-in role, so none repeats an earlier one (409).
const ASSIGNABLE_ROLES = [READER_ROLE, '43d0d8ad-25c7-4714-9337-8ba259a9fe05', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', '73c42c96-874c-492b-b04d-ab87d138a893'];

// product.md's demo world: who holds which role where (no delegations are seeded).
const GRANTS: Record<string, Partial<Record<string, 'Owner' | 'Reader'>>> = {
  'admin@contoso.example': {},
  'alice@contoso.example': {},
  'bob@contoso.example': {},
  'contoso-automation': {},
  'owner@fabrikam.example': { [FAB]: 'Owner' },
  'reader@fabrikam.example': { [FAB]: 'Reader' },
  'auditor_northwind.example#EXT#@fabrikam.example': {},
  'fabrikam-deployer': { [FAB]: 'Owner' },
  'owner@northwind.example': { [NW]: 'Owner' },
  'northwind-deployer': { [NW]: 'Owner' },
};
// The members of publisher `contoso`: its Partner Center Owner and its Developer (both may read and write offers).
const PUBLISHER_MEMBERS = new Set(['admin@contoso.example', 'contoso-automation']);
/** Owners and Managers of contoso: they see its Users (the automation principal is a Developer). */
const PUBLISHER_USER_MANAGERS = new Set(['admin@contoso.example']);
const RESOURCE_GROUP: Record<string, string> = { [FAB]: 'rg-web', [NW]: 'rg-app' };
const RESOURCE: Record<string, string> = { [FAB]: 'rg-web/providers/Microsoft.Web/sites/fabrikam-web', [NW]: 'rg-app/providers/Microsoft.Web/sites/northwind-app' };

describe('cross-tenant matrix over the demo world (sqlite)', () => {
  let lantern: TestLantern;
  let demo: DemoUsers;
  const tokens = new Map<string, string>();

  before(async () => {
    lantern = await startTestLantern(database);
    demo = await seedDemoUsers(lantern.services, lantern.baseUrl);
    for (const name of Object.keys(GRANTS)) {
      const sp = demo.credentials.servicePrincipals.find((s) => s.displayName === name);
      if (!sp) {
        tokens.set(name, await demo.token(name));
        continue;
      }
      const tenant = demo.credentials.tenants.find((t) => t.name === sp.tenant)!;
      const res = await fetch(`${lantern.baseUrl}/${tenant.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sp.clientId, client_secret: sp.clientSecret, scope: 'https://management.azure.com/.default' }),
      });
      tokens.set(name, ((await res.json()) as { access_token: string }).access_token);
    }
  });
  after(async () => lantern.stop());

  const send = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${lantern.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(who)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  it('answers every cell as the demo world’s grants say', { timeout: 600_000 }, async () => {
    const wrong: string[] = [];
    let cells = 0;
    const cell = async (who: string, label: string, allowed: boolean, method: string, path: string, body?: unknown) => {
      cells++;
      const answer = await send(who, method, path, body);
      const ok = allowed
        ? answer.status >= 200 && answer.status < 300
        : (answer.status === 403 || answer.status === 404) && isArmError(answer.json);
      // A refusal never carries the target's data.
      const leaked = !allowed && answer.text.includes('westeurope');
      if (!ok || leaked) wrong.push(`${who} ${label} ${method} ${path}: expected ${allowed ? 'allowed' : 'refused'}, got ${answer.status} ${answer.text.slice(0, 160)}`);
    };

    let assignmentWrites = 0;
    for (const who of Object.keys(GRANTS)) {
      // Tenant-level lists hold exactly what the grants reach.
      cells++;
      const subs = await send(who, 'GET', '/subscriptions?api-version=2022-12-01');
      const listed = ((subs.json as { value?: { subscriptionId: string }[] }).value ?? []).map((s) => s.subscriptionId).sort();
      const expected = Object.keys(GRANTS[who] ?? {}).sort();
      if (subs.status !== 200 || JSON.stringify(listed) !== JSON.stringify(expected)) wrong.push(`${who} lists subscriptions ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`);
      cells++;
      const offers = await send(who, 'GET', '/providers/Lantern.Lighthouse/serviceProviderOffers?api-version=2022-10-01');
      if (offers.status >= 500 || (offers.status === 200 && ((offers.json as { value?: unknown[] }).value ?? []).length !== 0)) wrong.push(`${who} service provider offers: ${offers.status} ${offers.text.slice(0, 160)}`);

      for (const sub of [FAB, NW]) {
        const role = GRANTS[who]?.[sub];
        const reads = role !== undefined;
        const writes = role === 'Owner';
        const s = `/subscriptions/${sub}`;
        await cell(who, 'read subscription', reads, 'GET', `${s}?api-version=2022-12-01`);
        await cell(who, 'list resource groups', reads, 'GET', `${s}/resourcegroups?api-version=2025-04-01`);
        await cell(who, 'read resource group', reads, 'GET', `${s}/resourcegroups/${RESOURCE_GROUP[sub]}?api-version=2025-04-01`);
        await cell(who, 'list resources', reads, 'GET', `${s}/resources?api-version=2025-04-01`);
        await cell(who, 'read resource', reads, 'GET', `${s}/resourceGroups/${RESOURCE[sub]}?api-version=2025-04-01`);
        await cell(who, 'list role assignments', reads, 'GET', `${s}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`);
        await cell(who, 'list registration definitions', reads, 'GET', `${s}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`);
        await cell(who, 'list registration assignments', reads, 'GET', `${s}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`);
        await cell(who, 'write resource group', writes, 'PUT', `${s}/resourcegroups/matrix-${randomUUID().slice(0, 8)}?api-version=2025-04-01`, { location: 'northeurope' });
        await cell(who, 'write role assignment', writes, 'PUT', `${s}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
          properties: { roleDefinitionId: `${s}/providers/Microsoft.Authorization/roleDefinitions/${ASSIGNABLE_ROLES[assignmentWrites++ % ASSIGNABLE_ROLES.length]}`, principalId: demo.objectId(sub === FAB ? 'fabrikam-deployer' : 'northwind-deployer') },
        });
        // A customer's Owner creates the registration definition of a delegation (onboarding).
        await cell(who, 'write registration definition', writes, 'PUT', `${s}/providers/Microsoft.ManagedServices/registrationDefinitions/${randomUUID()}?api-version=2022-10-01`, {
          properties: { registrationDefinitionName: 'matrix', managedByTenantId: DEMO_IDS.contosoTenant, authorizations: [{ principalId: demo.objectId('alice@contoso.example'), roleDefinitionId: READER_ROLE }] },
        });
      }

      const publisher = PUBLISHER_MEMBERS.has(who);
      await cell(who, 'read publisher', publisher, 'GET', '/partner-center/publishers/contoso');
      await cell(who, 'list offers', publisher, 'GET', '/partner-center/publishers/contoso/offers');
      await cell(who, 'list publisher users', PUBLISHER_USER_MANAGERS.has(who), 'GET', '/partner-center/publishers/contoso/users');
      await cell(who, 'write offer', publisher, 'POST', '/partner-center/publishers/contoso/offers', { offerId: `matrix-${randomUUID().slice(0, 8)}`, alias: 'Matrix' });
    }
    console.log(`cross-tenant matrix: ${cells} cells, ${wrong.length} unexpected`);
    assert.deepEqual(wrong, []);
  });
});
