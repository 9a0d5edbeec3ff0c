/**
 * Microsoft.ManagedServices over HTTP on a whole Lantern (SQLite and PostgreSQL): the fourteen
 * operations, api-version shapes, filters, paging, the onboarding rule, the delegation logs and
 * access that starts with an assignment and ends with its removal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, OWNER } from '../../src/core/roles/builtin-catalog.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, seedDelegationWorld, type DelegationWorld } from '../e2e/support/delegation-world.js';

const MS = 'providers/Microsoft.ManagedServices';
const V = '2022-10-01';
const VERSIONS = ['2018-06-01-preview', '2019-04-01-preview', '2019-06-01', '2019-09-01', '2020-02-01-preview', '2022-01-01-preview', '2022-10-01'];

interface Listed {
  value: { id: string; name: string; properties: Record<string, unknown> }[];
  nextLink?: string;
}

for (const database of testDatabases()) {
  describe(`Microsoft.ManagedServices REST (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let sub: string;
    let owner: string;
    const call = (method: string, path: string, token: string, body?: unknown) => arm(lantern.httpUrl, method, path, token, body);
    const definitionBody = (extra: Record<string, unknown> = {}) => ({
      properties: {
        registrationDefinitionName: 'Contoso Managed Ops',
        description: 'Operations by Contoso',
        managedByTenantId: w.contoso.id,
        authorizations: [
          { principalId: w.l2.id, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR },
          { principalId: w.offboarding.id, principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
        ],
        ...extra,
      },
    });
    const definitionPath = (name: string, scope = sub) => `${scope}/${MS}/registrationDefinitions/${name}?api-version=${V}`;
    const assignmentPath = (scope: string, name: string, query = '') => `${scope}/${MS}/registrationAssignments/${name}?api-version=${V}${query}`;
    const definitionId = (name: string) => `${sub}/${MS}/registrationDefinitions/${name}`;

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      sub = `/subscriptions/${w.subscriptionId}`;
      owner = await w.owner.token();
    });
    after(() => lantern.stop());

    it('PUT registrationDefinitions answers 201 then 200 with provisioningState Succeeded and the tenant names filled', async () => {
      const name = randomUUID();
      const created = await call('PUT', definitionPath(name), owner, definitionBody());
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const props = created.body.properties as Record<string, unknown>;
      assert.equal(props.provisioningState, 'Succeeded');
      assert.equal(props.managedByTenantName, 'Contoso');
      assert.equal(props.manageeTenantId, w.fabrikam.id);
      assert.equal(props.manageeTenantName, 'Fabrikam');
      assert.equal(created.body.id, definitionId(name));
      assert.equal(created.body.type, 'Microsoft.ManagedServices/registrationDefinitions');
      assert.equal((created.body.systemData as Record<string, unknown>).createdByType, 'User');
      const updated = await call('PUT', definitionPath(name), owner, definitionBody({ description: 'changed' }));
      assert.equal(updated.status, 200);
      assert.equal((updated.body.properties as Record<string, unknown>).description, 'changed');
      const registrations = await lantern.services.store.resources.listProviderRegistrations(w.subscriptionId);
      assert.ok(registrations.some((r) => r.namespace === 'Microsoft.ManagedServices' && r.registrationState === 'Registered'));
    });

    it('every api-version reads a definition; eligibleAuthorizations from 2020-02-01-preview, systemData from 2022-01-01-preview', async () => {
      const name = randomUUID();
      const eligible = [{ principalId: w.alice.principal.id, roleDefinitionId: READER, justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT4H' } }];
      assert.equal((await call('PUT', definitionPath(name), owner, definitionBody({ eligibleAuthorizations: eligible }))).status, 201);
      for (const version of VERSIONS) {
        const got = await call('GET', `${sub}/${MS}/registrationDefinitions/${name}?api-version=${version}`, owner);
        assert.equal(got.status, 200, version);
        const props = got.body.properties as Record<string, unknown>;
        const index = VERSIONS.indexOf(version);
        assert.equal('eligibleAuthorizations' in props, index >= 4, `eligibleAuthorizations in ${version}`);
        assert.equal('systemData' in got.body, index >= 5, `systemData in ${version}`);
      }
    });

    it('refuses eligibleAuthorizations before 2020-02-01-preview, naming the field', async () => {
      const body = definitionBody({ eligibleAuthorizations: [{ principalId: w.alice.principal.id, roleDefinitionId: READER, justInTimeAccessPolicy: { multiFactorAuthProvider: 'None' } }] });
      const res = await call('PUT', `${sub}/${MS}/registrationDefinitions/${randomUUID()}?api-version=2019-09-01`, owner, body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error?.code, 'InvalidRegistrationDefinitionCreateRequest');
      assert.equal(res.body.error?.target, 'properties.eligibleAuthorizations');
    });

    it('refuses a definition at resource-group scope, Owner in authorizations, and a missing or unknown api-version', async () => {
      const rg = await call('PUT', definitionPath(randomUUID(), `${sub}/resourceGroups/rg-web`), owner, definitionBody());
      assert.equal(rg.status, 400);
      assert.equal(rg.body.error?.code, 'InvalidRegistrationDefinitionUri');
      const bad = definitionBody();
      bad.properties.authorizations = [{ principalId: w.l2.id, principalIdDisplayName: 'x', roleDefinitionId: OWNER }];
      const ownerRole = await call('PUT', definitionPath(randomUUID()), owner, bad);
      assert.equal(ownerRole.status, 400);
      assert.equal(ownerRole.body.error?.target, 'properties.authorizations[0].roleDefinitionId');
      const missing = await call('GET', `${sub}/${MS}/registrationDefinitions`, owner);
      assert.equal(missing.body.error?.code, 'MissingApiVersionParameter');
      const unknown = await call('GET', `${sub}/${MS}/registrationDefinitions?api-version=2017-01-01`, owner);
      assert.equal(unknown.body.error?.code, 'NoRegisteredProviderFound');
    });

    it('onboarding needs a member of the customer tenant with roleAssignments/write on the subscription', async () => {
      const contributor = await call('PUT', definitionPath(randomUUID()), await w.contributor.token(), definitionBody());
      assert.equal(contributor.status, 403);
      assert.equal(contributor.body.error?.code, 'AuthorizationFailed');
      assert.match(contributor.body.error?.message ?? '', /Microsoft\.Authorization\/roleAssignments\/write/);
      const guest = await call('PUT', definitionPath(randomUUID()), await w.guest.token(), definitionBody());
      assert.equal(guest.status, 403);
      assert.match(guest.body.error?.message ?? '', /guest users can't onboard/);
      const foreign = await call('PUT', definitionPath(randomUUID()), await w.alice.token(), definitionBody());
      assert.equal(foreign.status, 403);
    });

    it('assignments: created at the subscription and a resource group, listed with expand, filters and paging; duplicates refused', async () => {
      const name = randomUUID();
      assert.equal((await call('PUT', definitionPath(name), owner, definitionBody())).status, 201);
      const rg = `${sub}/resourceGroups/rg-data`;
      const subName = randomUUID();
      const atSub = await call('PUT', assignmentPath(sub, subName), owner, { properties: { registrationDefinitionId: definitionId(name) } });
      assert.equal(atSub.status, 201, JSON.stringify(atSub.body));
      assert.equal((atSub.body.properties as Record<string, unknown>).provisioningState, 'Succeeded');
      const rgName = randomUUID();
      const atRg = await call('PUT', assignmentPath(rg, rgName), owner, { properties: { registrationDefinitionId: definitionId(name) } });
      assert.equal(atRg.status, 201);
      assert.equal(atRg.body.id, `${rg}/${MS}/registrationAssignments/${rgName}`);
      assert.equal((await call('PUT', assignmentPath(rg, rgName), owner, { properties: { registrationDefinitionId: definitionId(name) } })).status, 200);
      const twice = await call('PUT', assignmentPath(rg, randomUUID()), owner, { properties: { registrationDefinitionId: definitionId(name) } });
      assert.equal(twice.status, 409);
      assert.match(twice.body.error?.message ?? '', /Multiple registration assignments are not allowed/);

      const listed = (await call('GET', `${sub}/${MS}/registrationAssignments?api-version=${V}&$expandRegistrationDefinition=true`, owner)).body as unknown as Listed;
      assert.ok(listed.value.some((a) => a.id.includes('/resourceGroups/rg-data/')), 'subscription list includes resource-group assignments');
      const expanded = listed.value.find((a) => a.name === rgName)!;
      const embedded = expanded.properties.registrationDefinition as { properties: Record<string, unknown>; id: string };
      assert.equal(embedded.id, definitionId(name));
      assert.equal(embedded.properties.managedByTenantName, 'Contoso');
      const atRgOnly = (await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, owner)).body as unknown as Listed;
      assert.ok(atRgOnly.value.every((a) => a.id.startsWith(rg + '/')));
      const single = await call('GET', assignmentPath(rg, rgName), owner);
      assert.equal((single.body.properties as Record<string, unknown>).registrationDefinition, undefined, 'not expanded by default');

      const eq = (await call('GET', `${sub}/${MS}/registrationDefinitions?api-version=${V}&$filter=${encodeURIComponent(`managedByTenantId eq '${w.contoso.id}'`)}`, owner)).body as unknown as Listed;
      assert.ok(eq.value.length > 0);
      const none = (await call('GET', `${sub}/${MS}/registrationAssignments?api-version=${V}&$filter=${encodeURIComponent(`managedByTenantId in ('${randomUUID()}', '${randomUUID()}')`)}`, owner)).body as unknown as Listed;
      assert.deepEqual(none.value, []);
      const some = (await call('GET', `${sub}/${MS}/registrationAssignments?api-version=${V}&$filter=${encodeURIComponent(`managedByTenantId in ('${randomUUID()}', '${w.contoso.id}')`)}`, owner)).body as unknown as Listed;
      assert.equal(some.value.length, listed.value.length);
      const badFilter = await call('GET', `${sub}/${MS}/registrationDefinitions?api-version=${V}&$filter=${encodeURIComponent("name eq 'x'")}`, owner);
      assert.equal(badFilter.status, 400);
      assert.equal(badFilter.body.error?.code, 'InvalidFilterInQueryString');

      const seen: string[] = [];
      let next: string | undefined = `${sub}/${MS}/registrationAssignments?api-version=${V}&$top=1`;
      while (next) {
        const pageBody = (await call('GET', next, owner)).body as unknown as Listed;
        assert.ok(pageBody.value.length <= 1);
        seen.push(...pageBody.value.map((a) => a.id));
        next = pageBody.nextLink;
      }
      assert.deepEqual([...seen].sort(), listed.value.map((a) => a.id).sort());
      assert.equal(new Set(seen).size, seen.length);
      // Leave the subscription undelegated for the tests that follow.
      assert.equal((await call('DELETE', assignmentPath(sub, subName), owner)).status, 200);
    });

    it('access follows the assignment: the managing group works in the resource group at once, and not after removal; the delete role may remove it', async () => {
      const name = randomUUID();
      assert.equal((await call('PUT', definitionPath(name), owner, definitionBody())).status, 201);
      const rg = `${sub}/resourceGroups/rg-web`;
      const assignment = randomUUID();
      const alice = await w.alice.token();
      assert.equal((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 403, 'nothing delegated yet');
      assert.equal((await call('PUT', assignmentPath(rg, assignment), owner, { properties: { registrationDefinitionId: definitionId(name) } })).status, 201);
      assert.equal((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 200);
      assert.equal((await call('GET', `${sub}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 403, 'the subscription is not delegated');

      const inUse = await call('DELETE', definitionPath(name), owner);
      assert.equal(inUse.status, 409);
      assert.equal(inUse.body.error?.code, 'RegistrationDefinitionInUse');

      assert.equal((await call('DELETE', assignmentPath(rg, assignment), alice)).status, 403, 'Contributor through a delegation may not remove it');
      const removed = await call('DELETE', assignmentPath(rg, assignment), await w.admin.token());
      assert.equal(removed.status, 200);
      assert.equal((await call('DELETE', assignmentPath(rg, assignment), owner)).status, 204);
      assert.equal((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 403, 'access ends at once');
      assert.equal((await call('GET', assignmentPath(rg, assignment), owner)).status, 404);
      assert.equal((await call('DELETE', definitionPath(name), owner)).status, 200);
      assert.equal((await call('DELETE', definitionPath(name), owner)).status, 204);

      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const managing = await lantern.services.activity.query({ tenantId: w.contoso.id, from, to });
      const mine = managing.filter((e) => (e.description ?? '').includes(`"delegationResourceId":"${rg}"`));
      assert.deepEqual(mine.map((e) => e.operationName).sort(), ['Microsoft.Resources/tenants/register/action', 'Microsoft.Resources/tenants/unregister/action']);
      assert.ok(mine.every((e) => e.status === 'Succeeded' && e.subscriptionId === undefined));
      const customer = await lantern.services.activity.query({ tenantId: w.fabrikam.id, from, to });
      const ops = customer.filter((e) => e.resourceId.endsWith(assignment)).map((e) => `${e.operationName} ${e.status}`);
      assert.deepEqual(ops.sort(), [
        'Microsoft.ManagedServices/registrationAssignments/delete Failed', // the delegate's refused delete
        'Microsoft.ManagedServices/registrationAssignments/delete Succeeded',
        'Microsoft.ManagedServices/registrationAssignments/write Succeeded',
      ]);
      const reads = customer.filter((e) => e.callerObjectId === w.alice.principal.id && e.operationName === 'Microsoft.ManagedServices/registrationAssignments/read' && e.resourceId === rg);
      assert.deepEqual([...new Set(reads.map((e) => e.status))].sort(), ['Failed', 'Succeeded'], "the managing tenant's reads, allowed and refused, are in the customer's log");
    });

    it('deleting a resource group removes its delegations, so a group re-created under the same name is not delegated', async () => {
      const rg = `${sub}/resourceGroups/rg-temp`;
      assert.equal((await call('PUT', `${rg}?api-version=2021-04-01`, owner, { location: 'westeurope' })).status, 201);
      const name = randomUUID();
      assert.equal((await call('PUT', definitionPath(name), owner, definitionBody())).status, 201);
      assert.equal((await call('PUT', assignmentPath(rg, name), owner, { properties: { registrationDefinitionId: definitionId(name) } })).status, 201);
      const alice = await w.alice.token();
      assert.equal((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 200);
      assert.equal((await call('DELETE', `${rg}?api-version=2021-04-01`, owner)).status, 200);
      assert.equal((await call('PUT', `${rg}?api-version=2021-04-01`, owner, { location: 'westeurope' })).status, 201);
      assert.deepEqual((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, owner)).body.value, []);
      assert.equal((await call('GET', `${rg}/${MS}/registrationAssignments?api-version=${V}`, alice)).status, 403);
      assert.equal((await call('DELETE', definitionPath(name), owner)).status, 200, 'the definition is free again');
    });

    it('the OpenAPI document lists the fourteen operations once each, with unique operationIds', async () => {
      const doc = (await (await fetch(`${lantern.httpUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
      const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId)).filter((id): id is string => id !== undefined);
      assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
      const fourteen = [
        'RegistrationDefinitions_Get', 'RegistrationDefinitions_CreateOrUpdate', 'RegistrationDefinitions_Delete', 'RegistrationAssignments_Get',
        'RegistrationAssignments_CreateOrUpdate', 'RegistrationAssignments_Delete', 'RegistrationDefinitions_List', 'RegistrationAssignments_List',
        'MarketplaceRegistrationDefinitions_List', 'MarketplaceRegistrationDefinitionsWithoutScope_List', 'MarketplaceRegistrationDefinitions_Get',
        'MarketplaceRegistrationDefinitionsWithoutScope_Get', 'Operations_List', 'OperationsWithScope_List',
      ];
      for (const id of fourteen) assert.ok(ids.includes(id), id);
      assert.ok(doc.paths['/subscriptions/{subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments/{registrationAssignmentId}']?.put);
    });

    it('listing assignments checks access before looking anything up (an unknown subscription is refused as another tenant\'s is), then the resource group', async () => {
      const outsider = await w.automation.token();
      const list = (scope: string, token: string) => call('GET', `${scope}/${MS}/registrationAssignments?api-version=${V}&$expandRegistrationDefinition=true`, token);
      const codeOf = (r: { body: Record<string, unknown> }) => (r.body.error as { code?: string } | undefined)?.code;
      const unknownSub = `/subscriptions/${randomUUID()}`;
      const noGroup = `${sub}/resourceGroups/rg-never-${randomUUID().slice(0, 8)}`;
      const cases: [string, string, number, string][] = [
        [unknownSub, owner, 403, 'AuthorizationFailed'],
        [`${unknownSub}/resourceGroups/rg-x`, owner, 403, 'AuthorizationFailed'],
        [noGroup, outsider, 403, 'AuthorizationFailed'],
        [noGroup, owner, 404, 'ResourceGroupNotFound'],
      ];
      for (const [scope, token, status, code] of cases) {
        const answer = await list(scope, token);
        assert.equal(answer.status, status, `${scope}: ${JSON.stringify(answer.body)}`);
        assert.equal(codeOf(answer), code, scope);
      }
      assert.equal((await list(sub, owner)).status, 200);
    });

    it('operations, with and without scope, and marketplace definitions (none published yet)', async () => {
      const ops = await call('GET', `/providers/Microsoft.ManagedServices/operations?api-version=${V}`, owner);
      assert.equal(ops.status, 200);
      const value = ops.body.value as { name: string; display: Record<string, string> }[];
      assert.equal(value.length, 11);
      assert.deepEqual(value.find((o) => o.name === 'Microsoft.ManagedServices/registrationDefinitions/read')?.display, {
        provider: 'Microsoft Managed Services',
        resource: 'Managed Services Registration Definition',
        operation: 'List Managed Services Registration Definitions',
        description: 'Retrieves a list of Managed Services registration definitions.',
      });
      assert.deepEqual((await call('GET', `${sub}/${MS}/operations?api-version=${V}`, owner)).body, ops.body);
      const market = await call('GET', `${sub}/${MS}/marketplaceRegistrationDefinitions?api-version=${V}&$filter=${encodeURIComponent("planIdentifier eq 'contoso.ops.gold.1.0.0'")}`, owner);
      assert.deepEqual(market.body, { value: [] });
      assert.deepEqual((await call('GET', `/${MS}/marketplaceRegistrationDefinitions?api-version=${V}`, owner)).body, { value: [] });
      assert.equal((await call('GET', `/${MS}/marketplaceRegistrationDefinitions/contoso.ops.gold.1.0.0?api-version=${V}`, owner)).status, 404);
    });
  });
}
