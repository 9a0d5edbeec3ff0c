/**
 * Microsoft.Resources/deployments over HTTP (SQLite and PostgreSQL): what is refused before
 * anything is created (template errors, links, missing permissions, the onboarding rule), a
 * resource the provider refuses (DeploymentFailed), validate, get/list/delete/operations, nested
 * deployment records, resource-group deployments with reference() outputs, and both spellings of
 * the resource-group path.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CONTRIBUTOR, OWNER, READER } from '../../src/core/roles/builtin-catalog.js';
import { createSubscription } from '../../src/services/operator/subscription-admin.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { addSubscription, arm, assignRole, seedDelegationWorld, type DelegationWorld } from '../e2e/support/delegation-world.js';

const V = 'api-version=2021-04-01';
const SUB_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const RG_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function onboarding(managedByTenantId: string, principalId: string, roleDefinitionId = READER, offer = 'Contoso Ops') {
  return {
    $schema: SUB_SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { offer: { type: 'string', defaultValue: offer } },
    variables: { name: "[guid(parameters('offer'))]" },
    resources: [
      {
        type: 'Microsoft.ManagedServices/registrationDefinitions',
        apiVersion: '2022-10-01',
        name: "[variables('name')]",
        properties: { registrationDefinitionName: "[parameters('offer')]", managedByTenantId, authorizations: [{ principalId, roleDefinitionId }] },
      },
      {
        type: 'Microsoft.ManagedServices/registrationAssignments',
        apiVersion: '2022-10-01',
        name: "[variables('name')]",
        dependsOn: ["[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]"],
        properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions', variables('name'))]" },
      },
    ],
  };
}

for (const database of testDatabases()) {
  describe(`Microsoft.Resources/deployments (${database.name})`, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let deployer: string;
    const call = (method: string, path: string, token: string, body?: unknown) => arm(lantern.httpUrl, method, path, token, body);
    const definitionsIn = async (sub: string) => (await call('GET', `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`, deployer)).body.value as unknown[];

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      deployer = await w.deployer.token();
    });
    after(() => lantern.stop());

    it('a template error is InvalidTemplate naming the path and the expression, and nothing is created', async () => {
      const sub = `/subscriptions/${await addSubscription(lantern.services, w, [])}`;
      const template = onboarding(w.contoso.id, w.l2.id);
      template.resources[0]!.properties.registrationDefinitionName = "[parameters('nope')]";
      const res = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/bad?${V}`, deployer, { location: 'westeurope', properties: { mode: 'Incremental', template } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error?.code, 'InvalidTemplate');
      assert.equal(res.body.error?.target, 'resources[0].properties.registrationDefinitionName');
      assert.match(res.body.error?.message ?? '', /parameters\('nope'\)/);
      assert.deepEqual(await definitionsIn(sub), []);
      assert.equal((await call('GET', `${sub}/providers/Microsoft.Resources/deployments/bad?${V}`, deployer)).status, 404);
    });

    it('refuses templateLink, Complete mode and a subscription deployment without location', async () => {
      const sub = `/subscriptions/${w.subscriptionId}`;
      const link = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/linked?${V}`, deployer, { location: 'westeurope', properties: { mode: 'Incremental', templateLink: { uri: 'https://example.com/t.json' } } });
      assert.equal(link.status, 400);
      assert.equal(link.body.error?.code, 'LinkedTemplatesNotSupported');
      assert.equal(link.body.error?.target, 'properties.templateLink');
      const complete = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/c?${V}`, deployer, { location: 'westeurope', properties: { mode: 'Complete', template: onboarding(w.contoso.id, w.l2.id) } });
      assert.equal(complete.body.error?.code, 'InvalidDeploymentMode');
      const noLocation = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/l?${V}`, deployer, { properties: { mode: 'Incremental', template: onboarding(w.contoso.id, w.l2.id) } });
      assert.equal(noLocation.body.error?.code, 'LocationRequired');
    });

    it('checks the caller for every resource before creating anything: a Contributor may not onboard', async () => {
      const sub = `/subscriptions/${await addSubscription(lantern.services, w, [])}`;
      const res = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, await w.contributor.token(), { location: 'westeurope', properties: { mode: 'Incremental', template: onboarding(w.contoso.id, w.l2.id) } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error?.code, 'AuthorizationFailed');
      assert.match(res.body.error?.message ?? '', /Microsoft\.Authorization\/roleAssignments\/write/);
      assert.deepEqual(await definitionsIn(sub), []);
    });

    it('a resource the provider refuses fails the deployment with DeploymentFailed and a failed operation', async () => {
      const sub = `/subscriptions/${await addSubscription(lantern.services, w, [])}`;
      const res = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/owner?${V}`, deployer, { location: 'westeurope', properties: { mode: 'Incremental', template: onboarding(w.contoso.id, w.l2.id, OWNER) } });
      assert.equal(res.status, 201);
      const props = res.body.properties as { provisioningState: string; error: { code: string; details: { code: string; message: string }[] } };
      assert.equal(props.provisioningState, 'Failed');
      assert.equal(props.error.code, 'DeploymentFailed');
      assert.equal(props.error.details[0]?.code, 'BadRequest');
      const inner = JSON.parse(props.error.details[0].message) as { error: { code: string; target: string } };
      assert.equal(inner.error.code, 'InvalidRegistrationDefinitionCreateRequest');
      assert.equal(inner.error.target, 'properties.authorizations[0].roleDefinitionId');
      const ops = (await call('GET', `${sub}/providers/Microsoft.Resources/deployments/owner/operations?${V}`, deployer)).body.value as { operationId: string; properties: { provisioningState: string; statusCode: string; statusMessage?: { error: { code: string } } } }[];
      assert.equal(ops.length, 1);
      assert.equal(ops[0]?.properties.provisioningState, 'Failed');
      assert.equal(ops[0]?.properties.statusMessage?.error.code, 'InvalidRegistrationDefinitionCreateRequest');
      const one = await call('GET', `${sub}/providers/Microsoft.Resources/deployments/owner/operations/${ops[0].operationId}?${V}`, deployer);
      assert.equal(one.status, 200);
      assert.deepEqual(await definitionsIn(sub), []);
    });

    it('validate plans and checks without creating; get, list, head and delete follow ARM', async () => {
      const sub = `/subscriptions/${await addSubscription(lantern.services, w, [])}`;
      const body = { location: 'westeurope', properties: { mode: 'Incremental', template: onboarding(w.contoso.id, w.l2.id) } };
      const validated = await call('POST', `${sub}/providers/Microsoft.Resources/deployments/onboard/validate?${V}`, deployer, body);
      assert.equal(validated.status, 200, JSON.stringify(validated.body));
      assert.equal((validated.body.properties as { validatedResources: unknown[] }).validatedResources.length, 2);
      assert.deepEqual(await definitionsIn(sub), []);
      const head = await fetch(new URL(`${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, lantern.httpUrl), { method: 'HEAD', headers: { authorization: `Bearer ${deployer}` } });
      assert.equal(head.status, 404);

      assert.equal((await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer, body)).status, 201);
      const again = await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer, body);
      assert.equal(again.status, 200, 'redeploying the same offer updates');
      assert.equal((again.body.properties as { provisioningState: string }).provisioningState, 'Succeeded');
      assert.equal((await definitionsIn(sub)).length, 1);
      const registrations = async () =>
        (await lantern.services.activity.query({ tenantId: w.contoso.id, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }))
          .filter((e) => e.operationName === 'Microsoft.Resources/tenants/register/action' && (e.description ?? '').includes(sub.split('/')[2]!)).length;
      assert.equal(await registrations(), 1, 'redeploying the same delegation is no delegation change');
      const changed = { ...body, properties: { ...body.properties, template: onboarding(w.contoso.id, w.l2.id, CONTRIBUTOR) } };
      assert.equal((await call('PUT', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer, changed)).status, 200);
      assert.equal(await registrations(), 2, 'new authorizations update the delegation');
      const got = await call('GET', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer);
      assert.equal(got.body.id, `${sub}/providers/Microsoft.Resources/deployments/onboard`);
      assert.deepEqual((got.body.properties as { parameters: unknown }).parameters, {});
      const listed = (await call('GET', `${sub}/providers/Microsoft.Resources/deployments?${V}`, deployer)).body.value as { name: string }[];
      assert.deepEqual(listed.map((d) => d.name), ['onboard']);
      assert.equal((await call('GET', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, await w.alice.token())).status, 200, 'the delegated Reader may read it');
      assert.equal((await call('GET', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, await w.admin.token())).status, 403, 'a managing-tenant user outside the delegation may not');
      assert.equal((await call('DELETE', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer)).status, 200);
      assert.equal((await call('DELETE', `${sub}/providers/Microsoft.Resources/deployments/onboard?${V}`, deployer)).status, 204);
      assert.equal((await definitionsIn(sub)).length, 1, 'deleting a deployment keeps its resources');
    });

    it('a resource-group deployment puts generic resources, registers their provider, and evaluates reference() outputs; both path spellings work', async () => {
      const subscriptionId = await addSubscription(lantern.services, w, ['rg-app']);
      const template = {
        $schema: RG_SCHEMA,
        contentVersion: '1.0.0.0',
        parameters: { name: { type: 'string' }, secret: { type: 'securestring', defaultValue: 'hidden' } },
        resources: [
          { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[parameters('name')]", location: "[resourceGroup().location]", kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { minimumTlsVersion: 'TLS1_2' } },
        ],
        outputs: {
          tls: { type: 'string', value: "[reference(parameters('name')).minimumTlsVersion]" },
          id: { type: 'string', value: "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" },
        },
      };
      const path = `/subscriptions/${subscriptionId}/resourcegroups/rg-app/providers/Microsoft.Resources/deployments/storage?${V}`;
      const res = await call('PUT', path, deployer, { properties: { mode: 'Incremental', template, parameters: { name: { value: 'stfabrikam' }, secret: { value: 's3cret' } } } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const props = res.body.properties as { provisioningState: string; outputs: Record<string, { value: string }>; parameters: Record<string, unknown>; outputResources: { id: string }[] };
      assert.equal(props.provisioningState, 'Succeeded');
      const id = `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stfabrikam`;
      assert.equal(props.outputs.tls?.value, 'TLS1_2');
      assert.equal(props.outputs.id?.value, id);
      assert.deepEqual(props.parameters.secret, { type: 'Securestring' }, 'secure values are not echoed');
      assert.deepEqual(props.outputResources, [{ id }]);
      const stored = await lantern.services.store.resources.getResource(id);
      assert.equal(stored?.location, 'westeurope');
      const providers = await lantern.services.store.resources.listProviderRegistrations(subscriptionId);
      assert.ok(providers.some((p) => p.namespace.toLowerCase() === 'microsoft.storage' && p.registrationState === 'Registered'));
      const viaCamel = await call('GET', `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Resources/deployments/storage?${V}`, deployer);
      assert.equal(viaCamel.status, 200);
    });

    it('reference() reads the resources it names, not every resource of the subscription, in resource bodies and outputs alike', async () => {
      const subscriptionId = await addSubscription(lantern.services, w, ['rg-app']);
      const group = `/subscriptions/${subscriptionId}/resourceGroups/rg-app`;
      const existing = `${group}/providers/Microsoft.Storage/storageAccounts/stexisting`;
      assert.equal((await call('POST', `/subscriptions/${subscriptionId}/providers/Microsoft.Storage/register?${V}`, deployer)).status, 200);
      assert.equal((await call('PUT', `${existing}?api-version=2023-01-01`, deployer, { location: 'westeurope', properties: { note: 'from before' } })).status, 201);
      const template = {
        $schema: RG_SCHEMA, contentVersion: '1.0.0.0',
        resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'stnew', location: 'westeurope', properties: { copied: `[reference('${existing}', '2023-01-01').note]` } }],
        outputs: {
          copied: { type: 'string', value: "[reference('stnew').copied]" },
          before: { type: 'string', value: `[reference('${existing.toUpperCase()}', '2023-01-01', 'Full').properties.note]` },
        },
      };
      const resources = lantern.services.store.resources;
      const listResources = resources.listResources.bind(resources);
      resources.listResources = () => Promise.reject(new Error('a deployment read every resource of the subscription'));
      try {
        const res = await call('PUT', `${group}/providers/Microsoft.Resources/deployments/by-name?${V}`, deployer, { properties: { mode: 'Incremental', template } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const props = res.body.properties as { provisioningState: string; outputs: Record<string, { value: string }> };
        assert.equal(props.provisioningState, 'Succeeded', JSON.stringify(res.body));
        assert.deepEqual([props.outputs.copied?.value, props.outputs.before?.value], ['from before', 'from before']);
        const missing = await call('PUT', `${group}/providers/Microsoft.Resources/deployments/missing?${V}`, deployer, { properties: { mode: 'Incremental', template: {
          $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [], outputs: { x: { type: 'string', value: `[reference('${group}/providers/Microsoft.Storage/storageAccounts/stnothere', '2023-01-01').note]` } },
        } } });
        assert.match(JSON.stringify(missing.body), /ResourceNotFound/, JSON.stringify(missing.body));
      } finally {
        resources.listResources = listResources;
      }
      assert.equal((await lantern.services.store.resources.getResource(`${group}/providers/Microsoft.Storage/storageAccounts/stnew`))?.properties.copied, 'from before');
    });

    it("reference() reads a resource only as the caller may: a resource group's Contributor gets nothing of another group through a deployment", async () => {
      const subscriptionId = await addSubscription(lantern.services, w, ['rg-app', 'rg-vault']);
      const vault = `/subscriptions/${subscriptionId}/resourceGroups/rg-vault/providers/Microsoft.Storage/storageAccounts/stvault`;
      assert.equal((await call('POST', `/subscriptions/${subscriptionId}/providers/Microsoft.Storage/register?${V}`, deployer)).status, 200);
      assert.equal((await call('PUT', `${vault}?api-version=2023-01-01`, deployer, { location: 'westeurope', properties: { note: 'owners only' } })).status, 201);
      const { directory, tokens } = lantern.services.identity;
      const sp = await directory.createServicePrincipal({ tenantId: w.fabrikam.id, displayName: 'rg-app-contributor' });
      const secret = (await directory.addClientSecret(sp.id, { displayName: 'tests' })).value;
      await assignRole(lantern.services, `/subscriptions/${subscriptionId}/resourceGroups/rg-app`, CONTRIBUTOR, sp.id, 'ServicePrincipal');
      const token = (await tokens.token(w.fabrikam.id, { grant_type: 'client_credentials', client_id: sp.appId, client_secret: secret, scope: 'https://management.azure.com/.default' })).access_token;
      assert.equal((await call('GET', `${vault}?api-version=2023-01-01`, token)).status, 403, 'not readable directly');

      const peek = (reference: string) => ({ properties: { mode: 'Incremental', template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [], outputs: { note: { type: 'string', value: `[${reference}.note]` } } } } });
      for (const [name, reference] of [['peek', `reference('${vault}', '2023-01-01')`], ['peek-upper', `reference('${vault.toUpperCase()}', '2023-01-01')`], ['peek-id', "reference(resourceId('rg-vault', 'Microsoft.Storage/storageAccounts', 'stvault'), '2023-01-01', 'Full').properties"]] as const) {
        const res = await call('PUT', `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Resources/deployments/${name}?${V}`, token, peek(reference));
        assert.doesNotMatch(JSON.stringify(res.body), /owners only/, name);
        const error = (res.body.properties as { error?: { details?: { code: string }[] } } | undefined)?.error ?? res.body.error;
        assert.match(JSON.stringify(error), /AuthorizationFailed/, `${name}: ${JSON.stringify(res.body)}`);
      }
      const own = await call('PUT', `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Resources/deployments/owner-peek?${V}`, deployer, peek(`reference('${vault}', '2023-01-01')`));
      assert.equal((own.body.properties as { outputs: { note: { value: string } } }).outputs.note.value, 'owners only', 'the owner may read it');

      // resourceGroup() of a nested deployment into the other group, its tag carried into a template error.
      await lantern.services.store.resources.putResourceGroup({ subscriptionId, name: 'rg-vault', location: 'westeurope', tags: { project: 'hush' } });
      const nested = { properties: { mode: 'Incremental', template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [{
        type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: 'nested', resourceGroup: 'rg-vault',
        properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [
          { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[concat(resourceGroup().tags.project, '/x')]", location: 'westeurope' },
        ] } },
      }] } } };
      const group = `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Resources/deployments/group-peek?${V}`;
      const refused = await call('PUT', group, token, nested);
      assert.equal(refused.body.error?.code, 'ResourceGroupNotFound', JSON.stringify(refused.body));
      assert.doesNotMatch(JSON.stringify(refused.body), /hush/);
      assert.match(String((await call('PUT', group, deployer, nested)).body.error?.message), /hush\/x/, 'the owner may read the group');
    });

    it("subscription() in a nested deployment knows only the subscriptions the caller may list: another directory's name stays out, even of an error", async () => {
      const { directory } = lantern.services.identity;
      const tailspin = await directory.createTenant({ displayName: 'Tailspin', defaultDomain: `tailspin-${randomUUID().slice(0, 8)}.example` });
      const foreign = randomUUID();
      await createSubscription({ store: lantern.services.store, engine: lantern.services.access.engine }, { subscriptionId: foreign, tenantId: tailspin.id, displayName: 'Tailspin Secret Project' });
      // The inner resource's name carries subscription() into the template error ARM reports.
      const nestedAt = (subscriptionId: string) => ({ properties: { mode: 'Incremental', template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [{
        type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: 'nested', subscriptionId, resourceGroup: 'rg-dev',
        properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', resources: [
          { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[concat(subscription().displayName, '/x')]", location: 'westeurope' },
        ] } },
      }] } } });
      const path = `/subscriptions/${w.subscriptionId}/resourceGroups/rg-web/providers/Microsoft.Resources/deployments/probe?${V}`;
      for (const target of [foreign, randomUUID()]) {
        const res = await call('PUT', path, deployer, nestedAt(target));
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.equal(res.body.error?.code, 'SubscriptionNotFound', 'the same answer for another directory\'s subscription and for none');
        assert.doesNotMatch(JSON.stringify(res.body), /Tailspin/);
      }
      const readable = await call('PUT', path, deployer, nestedAt(w.otherSubscriptionId));
      assert.equal(readable.body.error?.code, 'InvalidTemplate');
      assert.match(String(readable.body.error?.message), /Fabrikam Dev\/x/, 'a subscription the caller may list is known');
    });

    it('a nested resource-group deployment is recorded at its resource group', async () => {
      const subscriptionId = await addSubscription(lantern.services, w, ['rg-one']);
      const template = onboarding(w.contoso.id, w.l2.id);
      const assignment = template.resources.pop()!;
      template.resources.push({
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2018-05-01',
        name: 'rgAssignment',
        resourceGroup: 'rg-one',
        dependsOn: assignment.dependsOn,
        properties: { mode: 'Incremental', template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', parameters: {}, resources: [{ ...assignment, dependsOn: undefined }] } },
      } as unknown as (typeof template.resources)[number]);
      const res = await call('PUT', `/subscriptions/${subscriptionId}/providers/Microsoft.Resources/deployments/rg?${V}`, deployer, { location: 'westeurope', properties: { mode: 'Incremental', template } });
      assert.equal((res.body.properties as { provisioningState: string }).provisioningState, 'Succeeded', JSON.stringify(res.body));
      const nested = await call('GET', `/subscriptions/${subscriptionId}/resourceGroups/rg-one/providers/Microsoft.Resources/deployments/rgAssignment?${V}`, deployer);
      assert.equal(nested.status, 200);
      assert.deepEqual((nested.body.properties as { outputResources: { id: string }[] }).outputResources.map((r) => r.id.split('/providers/')[1]), [`Microsoft.ManagedServices/registrationAssignments/${(res.body.properties as { outputResources: { id: string }[] }).outputResources[0]!.id.split('/').pop()!}`]);
      const ops = (await call('GET', `/subscriptions/${subscriptionId}/resourceGroups/rg-one/providers/Microsoft.Resources/deployments/rgAssignment/operations?${V}`, deployer)).body.value as unknown[];
      assert.equal(ops.length, 1);
    });
  });
}
