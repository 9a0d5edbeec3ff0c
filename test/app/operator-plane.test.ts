/**
 * The operator plane over real HTTP (SQLite and PostgreSQL), in the demo world with one platform
 * operator (a Contoso service principal made the first operator, as `lantern operator bootstrap`
 * does): it creates a tenant, a user who signs in with the returned password, a group and its
 * member, a service principal whose returned secret signs in, and a subscription; bad input is
 * refused naming the field, with nothing written; a non-operator and another tenant's Global
 * Administrator (even elevated to User Access Administrator at `/`) get ARM's 403; a grant works
 * on the next request, a revoke refuses the very next request of a token issued before it, and a
 * restart's engine holds the operators the store holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { OPERATOR_SCOPE } from '../../src/core/rbac/operator-scope.js';
import { startEngine } from '../../src/services/authorization/engine-start.js';
import { systemContext } from '../../src/services/context.js';
import { DEMO_IDS, seedDemoWorldInto, type DemoCredentials } from '../../src/services/demo/demo-world.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, type ArmResponse } from '../e2e/support/delegation-world.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const V = 'api-version=2026-12-01';
const TENANTS = `${OPERATOR_SCOPE}/tenants`;
const OPERATORS = `${OPERATOR_SCOPE}/operators`;
const ARM_SCOPE = 'https://management.azure.com/.default';

for (const database of testDatabases()) {
  describe(`the operator plane over HTTP (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoCredentials;
    let operatorToken: string;

    // Tokens from Lantern's token endpoint over HTTPS, as any client gets them.
    const token = async (tenant: string, form: Record<string, string>): Promise<string> => {
      const res = await fetch(`${lantern.baseUrl}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ scope: ARM_SCOPE, ...form }) });
      const body = (await res.json()) as { access_token?: string; error_description?: string };
      assert.ok(body.access_token, `no token: ${body.error_description}`);
      return body.access_token;
    };
    const userToken = (tenant: string, username: string, password: string) => token(tenant, { grant_type: 'password', client_id: AZURE_CLI, username, password });
    const demoUser = (upn: string) => {
      const u = demo.users.find((x) => x.userPrincipalName === upn)!;
      return userToken(demo.tenants.find((t) => t.name === u.tenant)!.tenantId, u.userPrincipalName, u.password);
    };
    const demoApp = (name: string) => {
      const sp = demo.servicePrincipals.find((s) => s.displayName === name)!;
      return token(demo.tenants.find((t) => t.name === sp.tenant)!.tenantId, { grant_type: 'client_credentials', client_id: sp.clientId, client_secret: sp.clientSecret });
    };
    const call = (bearer: string, method: string, path: string, body?: unknown): Promise<ArmResponse> => arm(lantern.baseUrl, method, `${path}${path.includes('?') ? '&' : '?'}${V}`, bearer, body);
    const refusedAsArm = (res: ArmResponse, action: string) => {
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, 'AuthorizationFailed');
      assert.match(res.body.error?.message ?? '', new RegExp(`perform action '${action.replace(/\//g, '\\/')}' over scope '${OPERATOR_SCOPE}'`));
    };

    before(async () => {
      lantern = await startTestLantern(database);
      demo = await seedDemoWorldInto(lantern.services);
      const { directory } = lantern.services.identity;
      const sp = await directory.createServicePrincipal({ tenantId: DEMO_IDS.contosoTenant, displayName: 'lantern-operator' });
      const secret = await directory.addClientSecret(sp.id);
      await lantern.services.operators.bootstrap(systemContext(lantern.services.ids), () => Promise.resolve(sp.id));
      operatorToken = await token(DEMO_IDS.contosoTenant, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret.value });
    });
    after(() => lantern.stop());

    it('creates a tenant, a user who signs in, a group with a member, a service principal whose secret signs in, and a subscription', async () => {
      const tenant = await call(operatorToken, 'POST', TENANTS, { displayName: 'Adatum', defaultDomain: 'adatum.example' });
      assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
      const tenantId = tenant.body.id as string;
      assert.equal(tenant.body.defaultDomain, 'adatum.example');
      assert.ok(((await call(operatorToken, 'GET', TENANTS)).body.value as { id: string }[]).some((t) => t.id === tenantId));

      const user = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/users`, { userPrincipalName: 'ops@adatum.example', displayName: 'Adatum Ops' });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      assert.equal(user.body.userType, 'Member');
      assert.equal(user.body.passwordHash, undefined);
      await userToken(tenantId, 'ops@adatum.example', user.body.password as string);
      const chosen = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/users`, { userPrincipalName: 'dev@adatum.example', displayName: 'Adatum Dev', password: 'Chosen-Passw0rd' });
      assert.equal(chosen.body.password, 'Chosen-Passw0rd');
      await userToken(tenantId, 'dev@adatum.example', 'Chosen-Passw0rd');

      const group = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/groups`, { displayName: 'Adatum Engineers' });
      assert.equal(group.status, 201, JSON.stringify(group.body));
      const member = await call(operatorToken, 'PUT', `${TENANTS}/${tenantId}/groups/${group.body.id as string}/members/${user.body.id as string}`);
      assert.equal(member.status, 200, JSON.stringify(member.body));
      assert.deepEqual(member.body, { groupId: group.body.id, memberId: user.body.id, memberType: 'User' });
      assert.ok(lantern.services.access.engine.groups.groupsOf(user.body.id as string).has(group.body.id as string), 'the engine knows the membership at once');

      const sp = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/servicePrincipals`, { displayName: 'adatum-automation' });
      assert.equal(sp.status, 201, JSON.stringify(sp.body));
      const secret = sp.body.clientSecret as { value: string; hint: string };
      assert.equal(secret.value.slice(0, 3), secret.hint);
      await token(tenantId, { grant_type: 'client_credentials', client_id: sp.body.appId as string, client_secret: secret.value });
      const stored = await lantern.services.store.identity.listClientSecrets(sp.body.id as string);
      assert.match(stored[0]!.secretHash, /^\$sha256\$/);
      assert.ok(!JSON.stringify(stored).includes(secret.value), 'only the hash is stored');

      const subscriptionId = randomUUID();
      const sub = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/subscriptions`, { displayName: 'Adatum Production', subscriptionId, ownerId: user.body.id });
      assert.equal(sub.status, 201, JSON.stringify(sub.body));
      assert.deepEqual(sub.body, { subscriptionId, tenantId, displayName: 'Adatum Production', state: 'Enabled' });
      // Its Owner works in it through ARM; the operator, who has no role there, does not.
      const ops = await userToken(tenantId, 'ops@adatum.example', user.body.password as string);
      const rg = await arm(lantern.baseUrl, 'PUT', `/subscriptions/${subscriptionId}/resourcegroups/rg-app?api-version=2021-04-01`, ops, { location: 'westeurope' });
      assert.equal(rg.status, 201, JSON.stringify(rg.body));
      assert.equal((await arm(lantern.baseUrl, 'GET', `/subscriptions/${subscriptionId}/resourcegroups/rg-app?api-version=2021-04-01`, operatorToken)).status, 403);
      const generated = await call(operatorToken, 'POST', `${TENANTS}/${tenantId}/subscriptions`, { displayName: 'Adatum Dev' });
      assert.equal(generated.status, 201);
      assert.match(generated.body.subscriptionId as string, /^[0-9a-f-]{36}$/);
    });

    it('refuses bad input naming the field, and writes nothing', async () => {
      const tenantsBefore = await lantern.services.store.identity.listTenants();
      const cases: [string, string, unknown, string][] = [
        [TENANTS, 'POST', { displayName: 'Bad', defaultDomain: 'not a domain' }, 'defaultDomain'],
        [TENANTS, 'POST', { displayName: ' ', defaultDomain: 'blank.example' }, 'displayName'],
        [TENANTS, 'POST', { displayName: 'Taken', defaultDomain: 'contoso.example' }, 'defaultDomain'],
        [TENANTS, 'POST', { displayName: 'Bad id', defaultDomain: 'badid.example', id: 'nope' }, 'id'],
        [`${TENANTS}/${DEMO_IDS.fabrikamTenant}/users`, 'POST', { userPrincipalName: 'x@contoso.example', displayName: 'Wrong domain' }, 'userPrincipalName'],
        [`${TENANTS}/${DEMO_IDS.fabrikamTenant}/users`, 'POST', { userPrincipalName: 'weak@fabrikam.example', displayName: 'Weak', password: 'password' }, 'password'],
        [`${TENANTS}/${DEMO_IDS.fabrikamTenant}/subscriptions`, 'POST', { displayName: 'Bad', subscriptionId: 'not-a-guid' }, 'subscriptionId'],
        [`${TENANTS}/${DEMO_IDS.fabrikamTenant}/subscriptions`, 'POST', { displayName: 'Taken', subscriptionId: DEMO_IDS.fabrikamProduction }, 'subscriptionId'],
        [`${TENANTS}/${DEMO_IDS.fabrikamTenant}/subscriptions`, 'POST', { displayName: 'Foreign owner', ownerId: demo.users[0]!.objectId }, 'ownerId'],
        [`${OPERATORS}/not-a-guid`, 'PUT', undefined, 'principalId'],
        [`${OPERATORS}/${demo.groups.find((g) => g.displayName === 'Contoso Automation')!.objectId}`, 'PUT', undefined, 'principalId'],
      ];
      for (const [path, method, body, field] of cases) {
        const res = await call(operatorToken, method, path, body);
        assert.ok(res.status === 400 || res.status === 409, `${method} ${path} ${JSON.stringify(body)}: ${res.status}`);
        assert.equal(res.body.error?.target, field, `${method} ${path} ${JSON.stringify(res.body)}`);
      }
      // Shapes the schema refuses: a missing field, a field of the wrong type, an unknown field.
      const missing = await call(operatorToken, 'POST', TENANTS, { displayName: 'No domain' });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error?.message ?? '', /defaultDomain/);
      const wrongType = await call(operatorToken, 'POST', `${TENANTS}/${DEMO_IDS.fabrikamTenant}/groups`, { displayName: 42 });
      assert.equal(wrongType.status, 400);
      assert.match(wrongType.body.error?.message ?? '', /displayName/);
      const unknown = await call(operatorToken, 'POST', TENANTS, { displayName: 'Typo', defaultDomain: 'typo.example', domain: 'typo.example' });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error?.message ?? '', /domain/);
      assert.equal((await call(operatorToken, 'POST', `${TENANTS}/${randomUUID()}/groups`, { displayName: 'Nowhere' })).body.error?.code, 'TenantNotFound');
      assert.equal((await arm(lantern.baseUrl, 'GET', TENANTS, operatorToken)).body.error?.code, 'MissingApiVersionParameter');
      assert.equal((await lantern.services.store.identity.listTenants()).length, tenantsBefore.length, 'no tenant was written');
      assert.equal((await lantern.services.store.resources.listSubscriptions()).some((s) => s.displayName === 'Foreign owner'), false, 'no subscription was written');
    });

    it("refuses a non-operator and another tenant's Global Administrator, even elevated, with ARM's 403", async () => {
      const deployer = await demoApp('fabrikam-deployer'); // Owner of Fabrikam Production
      refusedAsArm(await call(deployer, 'POST', TENANTS, { displayName: 'Sneaky', defaultDomain: 'sneaky.example' }), 'Lantern.Operator/tenants/write');
      refusedAsArm(await call(deployer, 'POST', `${TENANTS}/${DEMO_IDS.fabrikamTenant}/users`, { userPrincipalName: 'new@fabrikam.example', displayName: 'New' }), 'Lantern.Operator/tenants/users/write');
      refusedAsArm(await call(deployer, 'GET', OPERATORS), 'Lantern.Operator/operators/read');

      const admin = await demoUser('admin@contoso.example'); // Contoso's Global Administrator
      assert.equal((await arm(lantern.baseUrl, 'POST', '/providers/Microsoft.Authorization/elevateAccess?api-version=2016-07-01', admin)).status, 200);
      const adminId = demo.users.find((u) => u.userPrincipalName === 'admin@contoso.example')!.objectId;
      refusedAsArm(await call(admin, 'POST', `${TENANTS}/${DEMO_IDS.fabrikamTenant}/users`, { userPrincipalName: 'mole@fabrikam.example', displayName: 'Mole' }), 'Lantern.Operator/tenants/users/write');
      refusedAsArm(await call(admin, 'POST', `${TENANTS}/${DEMO_IDS.contosoTenant}/subscriptions`, { displayName: 'Free compute' }), 'Lantern.Operator/tenants/subscriptions/write');
      refusedAsArm(await call(admin, 'PUT', `${OPERATORS}/${adminId}`), 'Lantern.Operator/operators/write');
      // Not even through a role assignment at the operator scope (User Access Administrator at `/` may write one).
      const assignment = await arm(lantern.baseUrl, 'PUT', `/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, admin, {
        properties: { roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635', principalId: adminId },
      });
      assert.equal(assignment.status, 201, JSON.stringify(assignment.body));
      refusedAsArm(await call(admin, 'GET', TENANTS), 'Lantern.Operator/tenants/read');
      assert.equal((await lantern.services.store.identity.findUserByUpn('mole@fabrikam.example')), undefined);
    });

    it('grants the role (effective on the next request) and revokes it (refusing the next request of a token issued before)', async () => {
      const bob = demo.users.find((u) => u.userPrincipalName === 'bob@contoso.example')!;
      const bobToken = await demoUser(bob.userPrincipalName);
      refusedAsArm(await call(bobToken, 'GET', TENANTS), 'Lantern.Operator/tenants/read');

      const granted = await call(operatorToken, 'PUT', `${OPERATORS}/${bob.objectId}`);
      assert.equal(granted.status, 200, JSON.stringify(granted.body));
      assert.equal(granted.body.principalType, 'User');
      assert.match(granted.body.grantedBy as string, /^[0-9a-f-]{36}$/, 'the granting application is named');
      assert.equal((await call(bobToken, 'GET', TENANTS)).status, 200);
      assert.equal((await call(operatorToken, 'PUT', `${OPERATORS}/${bob.objectId}`)).status, 200, 'granting again changes nothing');
      const listed = (await call(bobToken, 'GET', OPERATORS)).body.value as { principalId: string }[];
      assert.deepEqual(listed.map((o) => o.principalId).sort(), [bob.objectId, listed.find((o) => o.principalId !== bob.objectId)!.principalId].sort());

      // The store holds it: a restarted engine allows bob too.
      const restarted = (await startEngine(lantern.services.store)).engine;
      assert.equal(restarted.check({ principalId: bob.objectId, tenantId: DEMO_IDS.contosoTenant, action: 'Lantern.Operator/tenants/read', scope: OPERATOR_SCOPE, at: Date.now() }), true);

      // A platform operator verifies a publisher's eligibility over Partner Center.
      const claim = await call(await demoUser('admin@contoso.example'), 'POST', '/partner-center/publishers/contoso/eligibility', { credential: 'SolutionsPartner:Security', evidence: 'designation 7' });
      assert.equal(claim.status, 200, JSON.stringify(claim.body));
      const decided = await call(bobToken, 'POST', '/partner-center/publishers/contoso/eligibility/SolutionsPartner:Security/decision', { decision: 'verified' });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));

      const revoked = await call(operatorToken, 'DELETE', `${OPERATORS}/${bob.objectId}`);
      assert.equal(revoked.status, 204);
      refusedAsArm(await call(bobToken, 'GET', TENANTS), 'Lantern.Operator/tenants/read');
      assert.equal((await call(bobToken, 'POST', '/partner-center/publishers/contoso/verify')).status, 403);
      assert.equal((await call(operatorToken, 'DELETE', `${OPERATORS}/${bob.objectId}`)).body.error?.code, 'OperatorNotFound');
      const after = (await startEngine(lantern.services.store)).engine;
      assert.equal(after.check({ principalId: bob.objectId, tenantId: DEMO_IDS.contosoTenant, action: 'Lantern.Operator/tenants/read', scope: OPERATOR_SCOPE, at: Date.now() }), false);
    });

    it('bootstraps only a deployment without an operator', async () => {
      const sp = demo.servicePrincipals.find((s) => s.displayName === 'northwind-deployer')!;
      let made = false;
      const make = () => {
        made = true;
        return Promise.resolve(sp.objectId);
      };
      await assert.rejects(lantern.services.operators.bootstrap(systemContext(lantern.services.ids), make), (e: Error & { code?: string }) => e.code === 'OperatorAlreadyExists');
      assert.equal(made, false, 'nothing is made once an operator exists');
      assert.equal((await lantern.services.operators.list(systemContext(lantern.services.ids))).some((o) => o.principalId === sp.objectId), false);
    });
  });
}
