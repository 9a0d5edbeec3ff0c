/**
 * ARM deployments driven by the real @azure/arm-resources client (its `deployments` and
 * `deploymentOperations`, api-version 2025-03-01, with their long-running-operation pollers) over HTTPS: validate, create,
 * get, list, operations, outputs and delete at subscription scope with a Lighthouse sample, a
 * resource-group deployment, and a template error refused before anything is created.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { ResourceManagementClient } from '@azure/arm-resources';
import { READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../../src/core/roles/builtin-catalog.js';
import { armGuid } from '../../src/core/templates/index.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDelegationWorld, type DelegationWorld } from './support/delegation-world.js';
import { LIGHTHOUSE_SAMPLES, SKIP_WITHOUT_SAMPLES } from '../support/shared-data.js';

const ROOT = LIGHTHOUSE_SAMPLES;
const OFFER = 'Contoso Subscription Monitoring';

async function refused(call: () => Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await call();
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message?: string };
    return { ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}), ...(e.code !== undefined ? { code: e.code } : {}), message: e.message ?? '' };
  }
  assert.fail('the call was expected to be refused');
}

for (const database of testDatabases()) {
  describe(`ARM deployments with @azure/arm-resources (${database.name})`, { skip: SKIP_WITHOUT_SAMPLES }, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let resources: ResourceManagementClient;
    const template = () => JSON.parse(readFileSync(join(ROOT, 'templates/delegated-resource-management/subscription/subscription.json'), 'utf8')) as Record<string, unknown>;
    const parameters = () => ({
      mspOfferName: { value: OFFER },
      mspOfferDescription: { value: 'Monitoring by Contoso' },
      managedByTenantId: { value: w.contoso.id },
      authorizations: {
        value: [
          { principalId: w.l2.id, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: READER },
          { principalId: w.offboarding.id, principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
        ],
      },
    });

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      const credential = new ClientSecretCredential(w.fabrikam.id, w.deployer.principal.appId, w.deployer.secret, { authorityHost: lantern.baseUrl, disableInstanceDiscovery: true });
      resources = new ResourceManagementClient(credential, w.subscriptionId, { endpoint: lantern.baseUrl });
    });
    after(() => lantern.stop());

    it('validates, creates, reads, lists and deletes a subscription deployment of the Lighthouse sample', async () => {
      const validation = await resources.deployments.beginValidateAtSubscriptionScopeAndWait('monitoring', { location: 'westeurope', properties: { mode: 'Incremental', template: template(), parameters: parameters() } });
      assert.equal(validation.error, undefined);
      assert.equal(validation.properties?.provisioningState, 'Succeeded');

      const created = await resources.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait('monitoring', { location: 'westeurope', properties: { mode: 'Incremental', template: template(), parameters: parameters() } });
      assert.equal(created.properties?.provisioningState, 'Succeeded');
      assert.deepEqual((created.properties?.outputs as Record<string, { value: unknown }>).mspOfferName?.value, `Managed by ${OFFER}`);

      const got = await resources.deployments.getAtSubscriptionScope('monitoring');
      assert.equal(got.name, 'monitoring');
      const listed: string[] = [];
      for await (const d of resources.deployments.listAtSubscriptionScope()) listed.push(d.name ?? '');
      assert.ok(listed.includes('monitoring'));

      const operations: string[] = [];
      for await (const op of resources.deploymentOperations.listAtSubscriptionScope('monitoring')) operations.push(op.properties?.targetResource?.resourceType ?? '');
      assert.deepEqual(operations.sort(), ['Microsoft.ManagedServices/registrationAssignments', 'Microsoft.ManagedServices/registrationDefinitions']);

      const name = armGuid([OFFER]);
      const assignment = await resources.resources.getById(`/subscriptions/${w.subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments/${name}`, '2022-10-01');
      assert.equal(assignment.name, name);

      await resources.deployments.beginDeleteAtSubscriptionScopeAndWait('monitoring');
      const gone = await refused(() => resources.deployments.getAtSubscriptionScope('monitoring'));
      assert.equal(gone.statusCode, 404);
      // Deleting the deployment record leaves what it deployed, as in ARM.
      assert.equal((await resources.resources.getById(`/subscriptions/${w.subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments/${name}`, '2022-10-01')).name, name);
    });

    it('deploys a template at resource-group scope and returns its outputs', async () => {
      await resources.providers.register('Microsoft.Storage');
      const rgTemplate = {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { name: { type: 'string' } },
        resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: "[parameters('name')]", location: "[resourceGroup().location]", properties: { supportsHttpsTrafficOnly: true } }],
        outputs: { id: { type: 'string', value: "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" } },
      };
      const result = await resources.deployments.beginCreateOrUpdateAndWait('rg-web', 'storage', { properties: { mode: 'Incremental', template: rgTemplate, parameters: { name: { value: 'fabrikamlogs01' } } } });
      assert.equal(result.properties?.provisioningState, 'Succeeded');
      const id = (result.properties?.outputs as Record<string, { value: string }>).id?.value ?? '';
      assert.match(id, /\/resourceGroups\/rg-web\/providers\/Microsoft\.Storage\/storageAccounts\/fabrikamlogs01$/);
      assert.equal((await resources.resources.getById(id, '2023-01-01')).name, 'fabrikamlogs01');
    });

    it('refuses a template error as InvalidTemplate naming the path and expression, before creating anything', async () => {
      const bad = template() as { variables: Record<string, string> };
      bad.variables.mspRegistrationName = "[variables('nope')]";
      const error = await refused(() => resources.deployments.beginCreateOrUpdateAtSubscriptionScopeAndWait('broken', { location: 'westeurope', properties: { mode: 'Incremental', template: bad, parameters: parameters() } }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'InvalidTemplate');
      assert.match(error.message, /variables\('nope'\)/);
      assert.equal((await refused(() => resources.deployments.getAtSubscriptionScope('broken'))).statusCode, 404);
    });
  });
}
