/**
 * An attacker's audit of the ARM plane (resource plane, deployments, PIM, activity log), over HTTP
 * on SQLite and PostgreSQL: each case is a hole that was open before its fix, or a rule probed and
 * found to hold.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRIBUTOR, READER } from '../../src/core/roles/builtin-catalog.js';
import type { ServicePrincipal } from '../../src/core/identity/model.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { arm, assignRole, seedDelegationWorld, type DelegationWorld } from '../e2e/support/delegation-world.js';

const V = 'api-version=2021-04-01';
const RG_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const ARM_SCOPE = 'https://management.azure.com/.default';

for (const database of testDatabases()) {
  describe(`ARM audit (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let rgContributor: string;
    let rgReader: string;
    let sub: string;
    const call = (method: string, path: string, token: string, body?: unknown) => arm(lantern.httpUrl, method, path, token, body);

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      sub = `/subscriptions/${w.subscriptionId}`;
      const { directory, tokens } = lantern.services.identity;
      const app = async (displayName: string, role: string): Promise<string> => {
        const sp: ServicePrincipal = await directory.createServicePrincipal({ tenantId: w.fabrikam.id, displayName });
        const secret = (await directory.addClientSecret(sp.id, { displayName: 'audit' })).value;
        await assignRole(lantern.services, `${sub}/resourceGroups/rg-web`, role, sp.id, 'ServicePrincipal');
        return (await tokens.token(w.fabrikam.id, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: ARM_SCOPE })).access_token;
      };
      rgContributor = await app('rg-web-contributor', CONTRIBUTOR);
      rgReader = await app('rg-web-reader', READER);
    });
    after(() => lantern.stop());

    it('a resource group Contributor cannot register a resource provider of the subscription through a deployment', async () => {
      const direct = await call('POST', `${sub}/providers/Contoso.Widgets/register?api-version=2021-04-01`, rgContributor);
      assert.equal(direct.status, 403, `directly it may not: ${JSON.stringify(direct.body)}`);
      const template = {
        $schema: RG_SCHEMA,
        contentVersion: '1.0.0.0',
        resources: [{ type: 'Contoso.Widgets/widgets', apiVersion: '2023-01-01', name: 'w1', properties: {} }],
      };
      const res = await call('PUT', `${sub}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/widgets?${V}`, rgContributor, { properties: { mode: 'Incremental', template } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const props = res.body.properties as { provisioningState: string; error?: { details?: { message: string }[] } };
      assert.equal(props.provisioningState, 'Failed', 'the put fails as a direct PUT would');
      assert.match(props.error?.details?.[0]?.message ?? '', /MissingSubscriptionRegistration/);
      const providers = await lantern.services.store.resources.listProviderRegistrations(w.subscriptionId);
      assert.ok(!providers.some((p) => p.namespace.toLowerCase() === 'contoso.widgets' && p.registrationState === 'Registered'),
        `the namespace stays unregistered: deployment answered ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    });

    it('never echoes a secure parameter, whatever the casing of the template keys', async () => {
      const template = {
        $schema: RG_SCHEMA,
        contentVersion: '1.0.0.0',
        Parameters: { pw: { Type: 'secureString' }, other: { TYPE: 'SecureString' } },
        resources: [],
      };
      const res = await call('PUT', `${sub}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/secrets?${V}`, rgContributor,
        { properties: { mode: 'Incremental', template, parameters: { pw: { value: 'hunter2-pw' }, OTHER: { value: 'hunter2-other' } } } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const read = await call('GET', `${sub}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/secrets?${V}`, rgReader);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.ok(!JSON.stringify(read.body).includes('hunter2'), `a reader of the group sees no secret: ${JSON.stringify(read.body.properties)}`);
      assert.ok(!JSON.stringify(res.body).includes('hunter2'), 'nor does the answer to the PUT');
    });

    it('never shows the value of a secure output', async () => {
      const template = {
        $schema: RG_SCHEMA,
        contentVersion: '1.0.0.0',
        parameters: { pw: { type: 'securestring' } },
        resources: [],
        outputs: { leaked: { type: 'securestring', value: "[parameters('pw')]" }, obj: { type: 'secureObject', value: { p: "[parameters('pw')]" } } },
      };
      const res = await call('PUT', `${sub}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/secure-out?${V}`, rgContributor,
        { properties: { mode: 'Incremental', template, parameters: { pw: { value: 'hunter3-out' } } } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const read = await call('GET', `${sub}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/secure-out?${V}`, rgReader);
      assert.equal(read.status, 200);
      const outputs = (read.body.properties as { outputs: Record<string, unknown> }).outputs;
      assert.ok(!JSON.stringify(read.body).includes('hunter3'), `no secure output value: ${JSON.stringify(outputs)}`);
    });
  });
}
