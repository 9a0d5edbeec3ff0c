/**
 * Issue 11 points 1 and 2, attacked over HTTPS in the demo world with tokens from Lantern's own
 * token endpoint, on SQLite and PostgreSQL. Fabrikam delegates its production subscription to
 * Contoso: alice holds User Access Administrator limited to Contributor, the L1 Support group
 * Reader. A delegate must not escape its delegation (naming itself, its groups or apps, or another
 * tenant's identity as a "managed identity"), a customer Owner must not name another tenant's
 * principals, a guest of Fabrikam still works, assignments stored before the fix grant nothing,
 * and whatever the delegate made ends with the delegation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, OWNER, READER, USER_ACCESS_ADMINISTRATOR } from '../../src/core/roles/builtin-catalog.js';
import type { RoleAssignment } from '../../src/core/rbac/model.js';
import { DEMO_IDS, seedDemoWorldInto, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm } from './support.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const AUTHZ = 'api-version=2022-04-01';
const MS = 'providers/Microsoft.ManagedServices';
const SUB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NORTHWIND_SUB = `/subscriptions/${DEMO_IDS.northwindDev}`;
const POLICY = `${SUB}/providers/Microsoft.Authorization/policyAssignments/enforce-tags`;

for (const database of testDatabases()) {
  describe(`a delegate cannot escape its delegation, nor a customer name another tenant's principals (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoCredentials;
    let miId: string;
    let northwindMiId: string;
    let delegatedMiAssignment: string;
    const registrationAssignment = randomUUID();
    const tokens = new Map<string, string>();

    const user = (upn: string) => {
      const u = demo.users.find((x) => x.userPrincipalName === upn);
      assert.ok(u, upn);
      return u;
    };
    const app = (displayName: string) => {
      const sp = demo.servicePrincipals.find((x) => x.displayName === displayName);
      assert.ok(sp, displayName);
      return sp;
    };
    const group = (displayName: string) => demo.groups.find((g) => g.displayName === displayName)?.objectId as string;
    const tenantOf = (name: string) => demo.tenants.find((t) => t.name === name)?.tenantId as string;

    // A token from the token endpoint over HTTPS: ROPC for users (as `az login` does), client credentials for apps.
    async function token(tenant: string, form: Record<string, string>): Promise<string> {
      const key = JSON.stringify([tenant, form]);
      const known = tokens.get(key);
      if (known) return known;
      const res = await fetch(`${lantern.baseUrl}/${tenantOf(tenant)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, scope: 'https://management.azure.com/.default' }).toString(),
      });
      const body = (await res.json()) as { access_token?: string; error_description?: string };
      assert.ok(body.access_token, body.error_description);
      tokens.set(key, body.access_token);
      return body.access_token;
    }
    const userToken = (tenant: string, upn: string) => token(tenant, { grant_type: 'password', client_id: AZURE_CLI, username: upn, password: user(upn).password });
    const appToken = (tenant: string, name: string) => token(tenant, { grant_type: 'client_credentials', client_id: app(name).clientId, client_secret: app(name).clientSecret });
    const fabrikamOwner = () => userToken('Fabrikam', 'owner@fabrikam.example');
    const alice = () => userToken('Contoso', 'alice@contoso.example');

    const assignmentPath = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`;
    const roleId = (guid: string, sub = SUB) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const putAssignment = async (bearer: string, properties: Record<string, unknown>, scope = SUB, name = randomUUID()) =>
      ({ name, res: await arm(lantern, 'PUT', assignmentPath(scope, name), bearer, { properties }) });
    const stored = async () => lantern.services.store.authorization.listRoleAssignmentsUnder(SUB);
    const readGroup = async (bearer: string) => (await arm(lantern, 'GET', `${SUB}/resourceGroups/rg-web?api-version=2021-04-01`, bearer)).status;
    const tagGroup = async (bearer: string) =>
      (await arm(lantern, 'PUT', `${SUB}/resourceGroups/rg-escape?api-version=2021-04-01`, bearer, { location: 'westeurope' })).status;

    // Refused with `code` and `status`, and nothing written.
    async function refused(bearer: string, properties: Record<string, unknown>, status: number, code: string | RegExp, scope = SUB): Promise<{ message: string }> {
      const before = (await stored()).length;
      const { name, res } = await putAssignment(bearer, properties, scope);
      assert.equal(res.status, status, `${JSON.stringify(properties)} → ${JSON.stringify(res.body)}`);
      assert.match(res.body.error?.code ?? '', code instanceof RegExp ? code : new RegExp(`^${code}$`));
      assert.equal((await stored()).length, before, 'nothing was written');
      assert.equal(await lantern.services.store.authorization.getRoleAssignment(name), undefined);
      return { message: res.body.error?.message ?? '' };
    }

    before(async () => {
      lantern = await startTestLantern(database);
      const s = lantern.services;
      demo = await seedDemoWorldInto(s);
      miId = (await s.identity.directory.createManagedIdentity({ tenantId: DEMO_IDS.fabrikamTenant, resourceId: POLICY })).id;
      northwindMiId = (await s.identity.directory.createManagedIdentity({ tenantId: DEMO_IDS.northwindTenant, resourceId: `${NORTHWIND_SUB}/providers/Microsoft.Authorization/policyAssignments/audit` })).id;

      // Fabrikam's Owner delegates the subscription to Contoso over ARM.
      const owner = await fabrikamOwner();
      const definition = randomUUID();
      const def = await arm(lantern, 'PUT', `${SUB}/${MS}/registrationDefinitions/${definition}?api-version=2022-10-01`, owner, {
        properties: {
          registrationDefinitionName: 'Contoso managed operations',
          managedByTenantId: DEMO_IDS.contosoTenant,
          authorizations: [
            { principalId: user('alice@contoso.example').objectId, principalIdDisplayName: 'Alice', roleDefinitionId: USER_ACCESS_ADMINISTRATOR, delegatedRoleDefinitionIds: [CONTRIBUTOR] },
            { principalId: group('Contoso L1 Support'), principalIdDisplayName: 'L1 Support', roleDefinitionId: READER },
          ],
        },
      });
      assert.equal(def.status, 201, JSON.stringify(def.body));
      const assigned = await arm(lantern, 'PUT', `${SUB}/${MS}/registrationAssignments/${registrationAssignment}?api-version=2022-10-01`, owner, {
        properties: { registrationDefinitionId: `${SUB}/${MS}/registrationDefinitions/${definition}` },
      });
      assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
    });
    after(async () => lantern.stop());

    it('refuses the attack of issue 11: alice names herself a managed identity and assigns herself Contributor', async () => {
      const self = user('alice@contoso.example').objectId;
      const forged = { roleDefinitionId: roleId(CONTRIBUTOR), principalId: self, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY };
      const { message } = await refused(await alice(), forged, 400, 'PrincipalNotFound');
      assert.match(message, new RegExp(`Principal ${self} does not exist in the directory ${DEMO_IDS.fabrikamTenant}`));
      // Another spelling of every id, another principalType, none at all: the directory decides.
      const upper = { ...forged, principalId: self.toUpperCase(), roleDefinitionId: roleId(CONTRIBUTOR.toUpperCase(), SUB.toUpperCase()), delegatedManagedIdentityResourceId: POLICY.toUpperCase() };
      await refused(await alice(), upper, 400, 'PrincipalNotFound', `/SUBSCRIPTIONS/${DEMO_IDS.fabrikamProduction.toUpperCase()}`);
      await refused(await alice(), { ...forged, principalType: 'User' }, 400, 'PrincipalNotFound');
      await refused(await alice(), { roleDefinitionId: roleId(CONTRIBUTOR), principalId: self }, 400, 'PrincipalNotFound');
      await refused(await alice(), forged, 400, 'PrincipalNotFound', `${SUB}/resourceGroups/rg-web`);
      assert.equal(await tagGroup(await alice()), 403, 'alice still cannot write');
      assert.equal(await readGroup(await userToken('Contoso', 'bob@contoso.example')), 200, 'the delegation itself works');
    });

    it("refuses the delegate's groups, apps and other tenants' managed identities, and anything of Fabrikam but a managed identity", async () => {
      const bearer = await alice();
      const as = (principalId: string, extra: Record<string, unknown> = {}) => ({ roleDefinitionId: roleId(CONTRIBUTOR), principalId, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY, ...extra });
      await refused(bearer, as(group('Contoso L2 Engineers'), { principalType: 'Group' }), 400, 'PrincipalNotFound');
      await refused(bearer, as(group('Contoso L1 Support')), 400, 'PrincipalNotFound');
      await refused(bearer, as(app('contoso-automation').objectId), 400, 'PrincipalNotFound');
      await refused(bearer, as(northwindMiId, { delegatedManagedIdentityResourceId: `${NORTHWIND_SUB}/providers/Microsoft.Authorization/policyAssignments/audit` }), 400, 'PrincipalNotFound');
      // Fabrikam's own principals that are not managed identities: its guest, its owner, its deployer app.
      const guest = demo.users.find((u) => u.userType === 'Guest')?.objectId as string;
      await refused(bearer, { roleDefinitionId: roleId(CONTRIBUTOR), principalId: guest }, 403, 'AuthorizationFailed');
      await refused(bearer, { roleDefinitionId: roleId(CONTRIBUTOR), principalId: user('owner@fabrikam.example').objectId, principalType: 'User' }, 403, 'AuthorizationFailed');
      await refused(bearer, { roleDefinitionId: roleId(CONTRIBUTOR), principalId: app('fabrikam-deployer').objectId }, 403, 'AuthorizationFailed');
      await refused(bearer, as(app('fabrikam-deployer').objectId), 400, 'InvalidDelegatedManagedIdentityResourceId');
      // Fabrikam's managed identity, but a role the delegation does not list, or another resource's id.
      await refused(bearer, as(miId, { roleDefinitionId: roleId(OWNER) }), 403, 'AuthorizationFailed');
      await refused(bearer, as(miId, { delegatedManagedIdentityResourceId: `${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/fabrikam-web` }), 400, 'InvalidDelegatedManagedIdentityResourceId');
    });

    it('lets the delegate do what Azure allows: its delegated role for a managed identity of Fabrikam', async () => {
      const { name, res } = await putAssignment(await alice(), { roleDefinitionId: roleId(CONTRIBUTOR), principalId: miId.toUpperCase(), principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY }, `${SUB}/resourceGroups/rg-web`);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.properties && (res.body.properties as { principalType: string }).principalType, 'ServicePrincipal');
      delegatedMiAssignment = name;
    });

    it("refuses a customer Owner's direct assignment to another tenant's user, group or app; a guest of Fabrikam works", async () => {
      const owner = await fabrikamOwner();
      const admin = user('admin@contoso.example').objectId;
      for (const [principalId, principalType] of [[admin, 'User'], [admin, undefined], [admin.toUpperCase(), 'ServicePrincipal'], [group('Contoso Automation'), 'Group'], [app('contoso-automation').objectId, 'ServicePrincipal'], [app('northwind-deployer').objectId, undefined]] as const) {
        const { message } = await refused(owner, { roleDefinitionId: roleId(READER), principalId, ...(principalType ? { principalType } : {}) }, 400, 'PrincipalNotFound');
        assert.match(message, new RegExp(`Principal ${principalId} does not exist in the directory ${DEMO_IDS.fabrikamTenant}`));
      }
      assert.equal(await readGroup(await userToken('Contoso', 'admin@contoso.example')), 403);
      assert.equal(await readGroup(await appToken('Contoso', 'contoso-automation')), 403);

      const guest = demo.users.find((u) => u.userType === 'Guest');
      assert.ok(guest);
      const guestToken = await userToken('Fabrikam', guest.userPrincipalName);
      assert.equal(await readGroup(guestToken), 403);
      const { res } = await putAssignment(owner, { roleDefinitionId: roleId(READER), principalId: guest.objectId, principalType: 'User' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(await readGroup(guestToken), 200, 'a guest is an object of the customer directory');
    });

    it('gives nothing to assignments stored before the fix, shows them to the customer only, and lets the customer remove them', async () => {
      const s = lantern.services;
      const put = async (a: Omit<RoleAssignment, 'createdAt' | 'principalType'> & { principalType?: RoleAssignment['principalType'] }) => {
        const full: RoleAssignment = { principalType: 'ServicePrincipal', createdAt: new Date().toISOString(), ...a };
        await s.store.authorization.putRoleAssignment(full);
        s.access.engine.putRoleAssignment(full);
        return full;
      };
      // As the attack left them: alice's self-assignment, and the Owner's Reader for Contoso's admin and app.
      const self = await put({ id: randomUUID(), scope: SUB, roleDefinitionId: CONTRIBUTOR, principalId: user('alice@contoso.example').objectId, delegatedManagedIdentityResourceId: POLICY, createdBy: user('alice@contoso.example').objectId });
      const admin = await put({ id: randomUUID(), scope: SUB, roleDefinitionId: READER, principalId: user('admin@contoso.example').objectId, principalType: 'User', createdBy: user('owner@fabrikam.example').objectId });
      const automation = await put({ id: randomUUID(), scope: `${SUB}/resourceGroups/rg-web`, roleDefinitionId: READER, principalId: app('contoso-automation').objectId, createdBy: user('owner@fabrikam.example').objectId });
      assert.equal(await tagGroup(await alice()), 403, "alice's Contributor grants nothing");
      assert.equal(await readGroup(await userToken('Contoso', 'admin@contoso.example')), 403);
      assert.equal(await readGroup(await appToken('Contoso', 'contoso-automation')), 403);

      const names = async (bearer: string) => ((await arm(lantern, 'GET', `${SUB}/providers/Microsoft.Authorization/roleAssignments?${AUTHZ}`, bearer)).body.value ?? []).map((a) => a.name as string);
      const seenByOwner = await names(await fabrikamOwner());
      for (const a of [self, admin, automation]) assert.ok(seenByOwner.includes(a.id), 'the customer sees them');
      assert.deepEqual(await names(await alice()), [delegatedMiAssignment], 'the delegate sees only what it may make: Fabrikam managed identities');
      assert.equal((await arm(lantern, 'GET', assignmentPath(SUB, self.id), await alice())).status, 404);
      assert.equal((await arm(lantern, 'GET', assignmentPath(SUB, self.id), await fabrikamOwner())).status, 200);
      assert.equal((await arm(lantern, 'DELETE', assignmentPath(SUB, admin.id), await fabrikamOwner())).status, 200);
      assert.equal((await arm(lantern, 'DELETE', assignmentPath(SUB, self.id), await alice())).status, 403, 'not the delegate: it may remove only its managed identities');
    });

    it('ends with the delegation what flowed from it: the managed identity assignment and what the delegate made before the fix', async () => {
      const from = new Date(Date.now() - 60_000).toISOString();
      const byAlice = (await stored()).filter((a) => a.createdBy === user('alice@contoso.example').objectId).map((a) => a.id).sort();
      assert.equal(byAlice.length, 2, 'the managed identity assignment and the self-assignment stored before the fix');
      const byOwner = (await stored()).filter((a) => a.createdBy === user('owner@fabrikam.example').objectId).map((a) => a.id);
      const removed = await arm(lantern, 'DELETE', `${SUB}/${MS}/registrationAssignments/${registrationAssignment}?api-version=2022-10-01`, await fabrikamOwner());
      assert.equal(removed.status, 200);
      const left = (await stored()).map((a) => a.id);
      for (const id of byAlice) assert.ok(!left.includes(id), `${id} ended with the delegation`);
      for (const id of byOwner) assert.ok(left.includes(id), "the customer's own assignments stay");
      assert.equal((await arm(lantern, 'GET', assignmentPath(`${SUB}/resourceGroups/rg-web`, delegatedMiAssignment), await fabrikamOwner())).status, 404);
      const log = await lantern.services.activity.query({ tenantId: DEMO_IDS.fabrikamTenant, from, to: new Date(Date.now() + 60_000).toISOString() });
      const deletes = log.filter((e) => e.operationName === 'Microsoft.Authorization/roleAssignments/delete').map((e) => e.resourceId.split('/').pop());
      for (const id of byAlice) assert.ok(deletes.includes(id), "Fabrikam's activity log shows what ended");
      // After removal: the attack again, and the legitimate right too, are plain 403s; nothing reads.
      const bearer = await alice();
      await refused(bearer, { roleDefinitionId: roleId(CONTRIBUTOR), principalId: user('alice@contoso.example').objectId, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY }, 403, 'AuthorizationFailed');
      await refused(bearer, { roleDefinitionId: roleId(CONTRIBUTOR), principalId: miId, principalType: 'ServicePrincipal', delegatedManagedIdentityResourceId: POLICY }, 403, 'AuthorizationFailed');
      assert.equal(await readGroup(bearer), 403);
      assert.equal(await readGroup(await userToken('Contoso', 'bob@contoso.example')), 403);
      // The engine a restart would build agrees: nothing of Contoso's is left in Fabrikam.
      const caller = { objectId: user('alice@contoso.example').objectId, tenantId: DEMO_IDS.contosoTenant, principalType: 'User' as const, appId: AZURE_CLI, displayName: 'alice' };
      assert.deepEqual(lantern.services.access.explain(caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', `${SUB}/resourceGroups/rg-web`).grants, []);
    });
  });
}
