/**
 * Just-in-time access through Azure's PIM contract, as the demo world's users over HTTP (SQLite and
 * PostgreSQL): Fabrikam's Owner delegates rg-web to Contoso with two eligible authorizations (alice:
 * Contributor, MFA, PT1H, no approvers; "Contoso L2 Engineers": Virtual Machine Contributor, PT2H,
 * approvers admin and alice). Eligibility listing, self-activation (the real
 * @azure/arm-authorization client), approval, access inside the window only, deactivation,
 * cancel, the activity log, and every refusal. The clock is injected and moved forward for expiry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { CONTRIBUTOR, OWNER, READER, VIRTUAL_MACHINE_CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import { DEMO_IDS, seedDemoWorldInto, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { GLOBAL_ADMINISTRATOR } from '../../src/core/identity/directory-roles.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, type ArmResponse } from '../e2e/support/delegation-world.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const PIM = 'api-version=2020-10-01';
const APPROVALS = 'api-version=2021-01-01-preview';
const AUTH = 'providers/Microsoft.Authorization';
const SUB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const RG = `${SUB}/resourceGroups/rg-web`;
const VM = `${RG}/providers/Microsoft.Compute/virtualMachines/vm-jit?api-version=2024-07-01`;

for (const database of testDatabases()) {
  describe(`PIM for eligible authorizations, over HTTP (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoCredentials;
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const user = (upn: string) => {
      const found = demo.users.find((u) => u.userPrincipalName === upn);
      assert.ok(found, upn);
      return found;
    };
    const tokenOf = async (upn: string, amr?: string[]) => {
      const u = user(upn);
      const tenant = demo.tenants.find((t) => t.name === u.tenant)!.tenantId;
      const form = { grant_type: 'password', client_id: AZURE_CLI, username: u.userPrincipalName, password: u.password, scope: 'https://management.azure.com/.default' };
      return (await lantern.services.identity.tokens.token(tenant, form, amr ? { amr } : {})).access_token;
    };
    const call = async (method: string, path: string, upn: string, body?: unknown, amr?: string[]): Promise<ArmResponse> => arm(lantern.baseUrl, method, path, await tokenOf(upn, amr), body);
    const MFA = ['pwd', 'mfa'];
    const alice = () => user('alice@contoso.example');
    const requestPath = (name: string, scope = RG) => `${scope}/${AUTH}/roleAssignmentScheduleRequests/${name}?${PIM}`;
    const activation = (role: string, extra: Record<string, unknown> = {}) => ({
      properties: {
        principalId: alice().objectId,
        roleDefinitionId: `${SUB}/${AUTH}/roleDefinitions/${role}`,
        requestType: 'SelfActivate',
        justification: 'Incident 4711: web front end down',
        scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT30M' } },
        ...extra,
      },
    });
    const refusal = (res: ArmResponse, status: number, code: string, text?: string) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, code);
      if (text !== undefined) assert.match(res.body.error?.message ?? '', new RegExp(text));
    };
    const vmWrite = async () => (await call('PUT', VM, 'alice@contoso.example', { location: 'westeurope', properties: {} })).status;

    before(async () => {
      lantern = await startTestLantern(database, { clock });
      const s = lantern.services;
      demo = await seedDemoWorldInto(s);
      const group = (name: string) => demo.groups.find((g) => g.displayName === name)!.objectId;
      const owner = 'owner@fabrikam.example';
      const definition = randomUUID();
      const put = await call('PUT', `${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}?api-version=2022-10-01`, owner, {
        properties: {
          registrationDefinitionName: 'Contoso managed web (JIT)',
          managedByTenantId: DEMO_IDS.contosoTenant,
          authorizations: [{ principalId: group('Contoso L2 Engineers'), principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: READER }],
          eligibleAuthorizations: [
            { principalId: alice().objectId, principalIdDisplayName: 'Alice Engineer', roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT1H' } },
            {
              principalId: group('Contoso L2 Engineers'),
              principalIdDisplayName: 'Contoso L2 Engineers',
              roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR,
              justInTimeAccessPolicy: {
                multiFactorAuthProvider: 'None',
                maximumActivationDuration: 'PT2H',
                managedByTenantApprovers: [
                  { principalId: user('admin@contoso.example').objectId, principalIdDisplayName: 'Contoso Admin' },
                  { principalId: alice().objectId, principalIdDisplayName: 'Alice Engineer' },
                ],
              },
            },
          ],
        },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      const assigned = await call('PUT', `${RG}/providers/Microsoft.ManagedServices/registrationAssignments/${randomUUID()}?api-version=2022-10-01`, owner, {
        properties: { registrationDefinitionId: `${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${definition}` },
      });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
      assert.equal((await call('POST', `${SUB}/providers/Microsoft.Compute/register?api-version=2021-04-01`, owner)).status, 200);
    });
    after(() => lantern.stop());

    it('lists the caller its own eligibilities (asTarget), directly and through its group, at the delegated scope and at the root', async () => {
      const at = await call('GET', `${RG}/${AUTH}/roleEligibilityScheduleInstances?$filter=asTarget()&${PIM}`, 'alice@contoso.example');
      assert.equal(at.status, 200, JSON.stringify(at.body));
      const items = at.body.value as { properties: { roleDefinitionId: string; memberType: string; scope: string; expandedProperties: { roleDefinition: { displayName: string } } } }[];
      assert.deepEqual(items.map((i) => `${i.properties.expandedProperties.roleDefinition.displayName}:${i.properties.memberType}`).sort(), ['Contributor:Direct', 'Virtual Machine Contributor:Group']);
      assert.ok(items.every((i) => i.properties.scope === RG && i.properties.roleDefinitionId.endsWith(`/roleDefinitions/${i.properties.roleDefinitionId.split('/').pop()}`)));
      const root = await call('GET', `/${AUTH}/roleEligibilityScheduleInstances?$filter=asTarget()&${PIM}`, 'alice@contoso.example');
      assert.equal((root.body.value as unknown[]).length, 2);
      assert.deepEqual((await call('GET', `/${AUTH}/roleEligibilityScheduleInstances?$filter=asTarget()&${PIM}`, 'bob@contoso.example')).body.value, [], 'bob is in L1, not L2');
      // Everything at the scope needs read there: Northwind's owner has none on Fabrikam.
      refusal(await call('GET', `${RG}/${AUTH}/roleEligibilityScheduleInstances?${PIM}`, 'owner@northwind.example'), 403, 'AuthorizationFailed');
      assert.equal(((await call('GET', `${RG}/${AUTH}/roleEligibilityScheduleInstances?${PIM}`, 'owner@fabrikam.example')).body.value as unknown[]).length, 2, 'the customer Owner sees the eligibilities on its scope');
      refusal(await call('GET', `${RG}/${AUTH}/roleEligibilityScheduleInstances?$filter=principalId eq 'x'&${PIM}`, 'alice@contoso.example'), 400, 'InvalidFilter');
    });

    it('refuses activations that break the policy or the contract, and changes nothing', async () => {
      const put = (body: unknown, amr = MFA, name: string = randomUUID()) => call('PUT', requestPath(name), 'alice@contoso.example', body, amr);
      refusal(await put(activation(CONTRIBUTOR), ['pwd']), 400, 'RoleAssignmentRequestPolicyValidationFailed', 'MfaRule.*amr');
      refusal(await put(activation(CONTRIBUTOR, { scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } } })), 400, 'RoleAssignmentRequestPolicyValidationFailed', 'ExpirationRule.*PT1H');
      refusal(await put(activation(CONTRIBUTOR, { scheduleInfo: { expiration: { type: 'NoExpiration' } } })), 400, 'RoleAssignmentRequestPolicyValidationFailed', 'ExpirationRule');
      refusal(await put(activation(CONTRIBUTOR, { justification: '  ' })), 400, 'RoleAssignmentRequestPolicyValidationFailed', 'JustificationRule');
      refusal(await put(activation(OWNER)), 403, 'RoleAssignmentDoesNotExist', 'holds no eligible authorization');
      refusal(await put(activation(CONTRIBUTOR, { principalId: user('bob@contoso.example').objectId })), 400, 'InvalidPrincipalId');
      refusal(await put(activation(CONTRIBUTOR, { requestType: 'AdminAssign' })), 400, 'InvalidRequestType');
      refusal(await put(activation(CONTRIBUTOR), MFA, 'not-a-guid'), 400, 'InvalidRoleAssignmentScheduleRequestName');
      // Eligible at rg-web, not at the subscription above it.
      refusal(await call('PUT', requestPath(randomUUID(), SUB), 'alice@contoso.example', activation(CONTRIBUTOR), MFA), 403, 'RoleAssignmentDoesNotExist');
      // Another tenant's principal, and a service principal of the managing tenant.
      const northwind = user('owner@northwind.example');
      refusal(await call('PUT', requestPath(randomUUID()), 'owner@northwind.example', activation(CONTRIBUTOR, { principalId: northwind.objectId }), MFA), 403, 'RoleAssignmentDoesNotExist');
      const automation = demo.servicePrincipals.find((p) => p.displayName === 'contoso-automation')!;
      const appToken = (await lantern.services.identity.tokens.token(DEMO_IDS.contosoTenant, { grant_type: 'client_credentials', client_id: automation.clientId, client_secret: automation.clientSecret, scope: 'https://management.azure.com/.default' })).access_token;
      refusal(await arm(lantern.baseUrl, 'PUT', requestPath(randomUUID()), appToken, activation(VIRTUAL_MACHINE_CONTRIBUTOR, { principalId: automation.objectId })), 403, 'EligibleActivationNotAllowed');

      assert.deepEqual((await call('GET', `${RG}/${AUTH}/roleAssignmentScheduleRequests?$filter=asRequestor()&${PIM}`, 'alice@contoso.example')).body.value, []);
      assert.deepEqual((await call('GET', `${RG}/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, 'alice@contoso.example')).body.value, []);
    });

    it('self-activates with MFA through @azure/arm-authorization; the role works until the window ends, or until SelfDeactivate', async () => {
      const rgWrite = async () => (await call('PUT', `${RG}?api-version=2021-04-01`, 'alice@contoso.example', { location: 'westeurope', tags: { touched: 'jit' } })).status;
      assert.equal(await rgWrite(), 403, 'eligible is not active');
      const token = await tokenOf('alice@contoso.example', MFA);
      const credential: TokenCredential = { getToken: (): Promise<AccessToken> => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_000_000 }) };
      const client = new AuthorizationManagementClient(credential, DEMO_IDS.fabrikamProduction, { endpoint: lantern.baseUrl });
      const name = randomUUID();
      const created = await client.roleAssignmentScheduleRequests.create(RG, name, {
        principalId: alice().objectId,
        roleDefinitionId: `${SUB}/${AUTH}/roleDefinitions/${CONTRIBUTOR}`,
        requestType: 'SelfActivate',
        justification: 'Incident 4711',
        scheduleInfo: { startDateTime: clock.now(), expiration: { type: 'AfterDuration', duration: 'PT30M' } },
      });
      assert.equal(created.status, 'Provisioned');
      assert.equal(created.name, name);
      assert.equal(created.principalType, 'User');
      assert.equal(created.expandedProperties?.roleDefinition?.displayName, 'Contributor');
      assert.equal(created.expandedProperties?.scope?.displayName, 'rg-web');
      assert.equal(await rgWrite(), 200, 'active now');
      refusal(await call('PUT', requestPath(name), 'alice@contoso.example', activation(CONTRIBUTOR), MFA), 409, 'RoleAssignmentScheduleRequestExists');
      refusal(await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(CONTRIBUTOR), MFA), 409, 'RoleAssignmentExists');
      const instances = await call('GET', `${RG}/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, 'alice@contoso.example');
      assert.equal((instances.body.value as { properties: { assignmentType: string } }[])[0]?.properties.assignmentType, 'Activated');
      const got = await client.roleAssignmentScheduleRequests.get(RG, name);
      assert.equal(got.status, 'Provisioned');

      offset += 31 * 60_000;
      assert.equal(await rgWrite(), 403, 'the window has ended');
      assert.deepEqual((await call('GET', `${RG}/${AUTH}/roleAssignmentScheduleInstances?$filter=asTarget()&${PIM}`, 'alice@contoso.example')).body.value, []);

      const again = await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(CONTRIBUTOR), MFA);
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(await rgWrite(), 200);
      const off = await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(CONTRIBUTOR, { requestType: 'SelfDeactivate' }), MFA);
      assert.equal(off.status, 201, JSON.stringify(off.body));
      assert.equal((off.body.properties as { status: string }).status, 'Revoked');
      assert.equal(await rgWrite(), 403, 'deactivated');
      refusal(await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(CONTRIBUTOR, { requestType: 'SelfDeactivate' }), MFA), 403, 'RoleAssignmentDoesNotExist');
    });

    it('waits for an approver who is not the requester; approval grants the role for its window; the activity log shows request, approval and activation', async () => {
      const start = clock.now().toISOString();
      const name = randomUUID();
      const pending = await call('PUT', requestPath(name), 'alice@contoso.example', activation(VIRTUAL_MACHINE_CONTRIBUTOR, { scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT2H' } } }));
      assert.equal(pending.status, 201, JSON.stringify(pending.body));
      const properties = pending.body.properties as { status: string; approvalId: string };
      assert.equal(properties.status, 'PendingApproval');
      assert.equal(await vmWrite(), 403, 'not active while pending');
      refusal(await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(VIRTUAL_MACHINE_CONTRIBUTOR)), 409, 'PendingRoleAssignmentRequest');

      const approval = await call('GET', `${properties.approvalId}?${APPROVALS}`, 'admin@contoso.example');
      assert.equal(approval.status, 200, JSON.stringify(approval.body));
      const stage = (approval.body.properties as { stages: { id: string; properties: { assignedToMe: boolean; reviewResult: string } }[] }).stages[0]!;
      assert.deepEqual([stage.properties.assignedToMe, stage.properties.reviewResult], [true, 'NotReviewed']);
      const listed = await call('GET', `/${AUTH}/roleAssignmentApprovals?${APPROVALS}`, 'admin@contoso.example');
      assert.ok((listed.body.value as { name: string }[]).some((a) => properties.approvalId.endsWith(a.name)));
      const review = { properties: { reviewResult: 'Approve', justification: 'Known incident' } };
      refusal(await call('PUT', `${stage.id}?${APPROVALS}`, 'alice@contoso.example', review), 403, 'AuthorizationFailed', 'cannot approve their own');
      refusal(await call('PUT', `${stage.id}?${APPROVALS}`, 'bob@contoso.example', review), 403, 'AuthorizationFailed', 'not an approver');
      refusal(await call('PUT', `${stage.id}?${APPROVALS}`, 'owner@northwind.example', review), 404, 'RoleAssignmentApprovalNotFound');
      refusal(await call('PUT', `${stage.id}?${APPROVALS}`, 'admin@contoso.example', { properties: { reviewResult: 'Maybe', justification: 'x' } }), 400, 'InvalidReviewResult');
      assert.equal(await vmWrite(), 403, 'refused reviews change nothing');

      const approved = await call('PUT', `${stage.id}?${APPROVALS}`, 'admin@contoso.example', review);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal((approved.body.properties as { reviewResult: string }).reviewResult, 'Approve');
      const got = await call('GET', requestPath(name), 'alice@contoso.example');
      assert.equal((got.body.properties as { status: string }).status, 'Provisioned');
      assert.equal(await vmWrite(), 201, 'approved and active');
      refusal(await call('PATCH', `${stage.id}?${APPROVALS}`, 'admin@contoso.example', review.properties), 409, 'RoleAssignmentApprovalStageCompleted');

      const window = encodeURIComponent(`eventTimestamp ge '${start}' and eventTimestamp le '${new Date(clock.now().getTime() + 60_000).toISOString()}'`);
      const log = await call('GET', `${SUB}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter=${window}`, 'owner@fabrikam.example');
      const operations = (log.body.value as { operationName: { value: string }; status: { value: string }; caller: string }[]).filter((e) => e.status.value === 'Succeeded').map((e) => `${e.operationName.value} by ${e.caller}`);
      for (const expected of [
        'Microsoft.Authorization/roleAssignmentScheduleRequests/write by alice@contoso.example',
        'Microsoft.Authorization/roleAssignmentApprovals/stages/write by admin@contoso.example',
        'Microsoft.Authorization/roleAssignments/write by admin@contoso.example',
      ]) assert.ok(operations.includes(expected), `${expected} in ${operations.join(', ')}`);

      offset += 2 * 3_600_000 + 60_000;
      assert.equal(await vmWrite(), 403, 'expired');
    });

    it('lets only the requester cancel a pending request; a canceled request cannot be approved', async () => {
      const name = randomUUID();
      const pending = await call('PUT', requestPath(name), 'alice@contoso.example', activation(VIRTUAL_MACHINE_CONTRIBUTOR));
      assert.equal(pending.status, 201, JSON.stringify(pending.body));
      const approvalId = (pending.body.properties as { approvalId: string }).approvalId;
      refusal(await call('POST', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${name}/cancel?${PIM}`, 'admin@contoso.example'), 403, 'AuthorizationFailed');
      assert.equal((await call('POST', `${RG}/${AUTH}/roleAssignmentScheduleRequests/${name}/cancel?${PIM}`, 'alice@contoso.example')).status, 200);
      assert.equal(((await call('GET', requestPath(name), 'alice@contoso.example')).body.properties as { status: string }).status, 'Canceled');
      const stage = ((await call('GET', `${approvalId}?${APPROVALS}`, 'admin@contoso.example')).body.properties as { stages: { id: string }[] }).stages[0]!;
      refusal(await call('PUT', `${stage.id}?${APPROVALS}`, 'admin@contoso.example', { properties: { reviewResult: 'Approve', justification: 'late' } }), 409, 'RoleAssignmentApprovalStageCompleted');
      refusal(await call('GET', requestPath(name), 'owner@northwind.example'), 403, 'AuthorizationFailed');
    });

    it("lists at the root only what the caller may read where each item is: another directory's root reader sees none of Fabrikam's", async () => {
      const lists = ['roleEligibilityScheduleInstances', 'roleAssignmentScheduleInstances', 'roleAssignmentScheduleRequests'];
      const listed = async (scope: string, upn: string) => Object.fromEntries(await Promise.all(lists.map(async (list) => {
        const r = await call('GET', `${scope}/${AUTH}/${list}?${PIM}`, upn);
        assert.equal(r.status, 200, `${list}: ${JSON.stringify(r.body)}`);
        return [list, (r.body.value as { properties: { scope: string } }[]).map((i) => i.properties.scope.toLowerCase())] as const;
      })));
      // Something to list in each: an activation running now (alice's, with MFA), beside the requests made before.
      assert.equal((await call('PUT', requestPath(randomUUID()), 'alice@contoso.example', activation(CONTRIBUTOR), MFA)).status, 201);
      const atFabrikam = await listed(SUB, 'owner@fabrikam.example');
      for (const list of lists) assert.ok(atFabrikam[list]!.length > 0 && atFabrikam[list]!.every((scope) => scope === RG.toLowerCase()), `Fabrikam's Owner lists ${list} of its subscription`);
      // Northwind's owner becomes its Global Administrator and elevates: User Access Administrator at the root of Northwind.
      const northwindOwner = user('owner@northwind.example').objectId;
      await lantern.services.directoryRoles.assign(DEMO_IDS.northwindTenant, northwindOwner, GLOBAL_ADMINISTRATOR);
      assert.equal((await call('POST', `/${AUTH}/elevateAccess?api-version=2016-07-01`, 'owner@northwind.example')).status, 200);
      assert.deepEqual(await listed('', 'owner@northwind.example'), Object.fromEntries(lists.map((list) => [list, []])), "Northwind's root is not Fabrikam's");
      assert.equal((await call('GET', `${SUB}/${AUTH}/roleEligibilityScheduleInstances?${PIM}`, 'owner@northwind.example')).status, 403);
      // Contoso's admin elevates too: the managing tenant's root does not reach into its customer's subscription either.
      assert.equal((await call('POST', `/${AUTH}/elevateAccess?api-version=2016-07-01`, 'admin@contoso.example')).status, 200);
      assert.deepEqual(await listed('', 'admin@contoso.example'), Object.fromEntries(lists.map((list) => [list, []])));
    });
  });
}
