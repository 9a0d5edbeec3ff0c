/**
 * product.md "Template path", "Manage" and "Offboard" end to end over HTTPS with the real Azure
 * SDK clients, on SQLite and PostgreSQL: Fabrikam's deployer service principal deploys the
 * Lighthouse sample `rg.json` delegating rg-web to the "Contoso L2 Engineers" group; Contoso's
 * automation service principal (a member of that group, signed in to its home tenant) then creates
 * and deletes a resource in rg-web, and is refused role-assignment writes, another resource group
 * and another subscription; once Fabrikam removes the assignment, access ends at once.
 *
 * The deployment goes through @azure/arm-resources' generic `beginCreateOrUpdateByIdAndWait`, as a
 * client that knows no deployments API would send it (test/e2e/deployments-client.test.ts drives the
 * deployments client itself).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { ResourceManagementClient } from '@azure/arm-resources';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { CONTRIBUTOR, OWNER, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../../src/core/roles/builtin-catalog.js';
import { armGuid } from '../../src/core/templates/index.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { seedDelegationWorld, type DelegationWorld } from './support/delegation-world.js';
import { LIGHTHOUSE_SAMPLES, SKIP_WITHOUT_SAMPLES } from '../support/shared-data.js';

const ROOT = LIGHTHOUSE_SAMPLES;
const RG_TEMPLATE = 'templates/delegated-resource-management/rg/rg.json';
const OFFER = 'Contoso Managed Operations';

/** The status code an SDK call was refused with, and the ARM error code. */
async function refusal(call: () => Promise<unknown>): Promise<{ statusCode: number | undefined; code: string | undefined }> {
  return (await failure(call)).refusal;
}

/** The refusal and the message of an SDK call that must fail. */
async function failure(call: () => Promise<unknown>): Promise<{ refusal: { statusCode: number | undefined; code: string | undefined }; message: string }> {
  try {
    await call();
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message?: string };
    return { refusal: { statusCode: e.statusCode, code: e.code }, message: e.message ?? '' };
  }
  assert.fail('the call was expected to be refused');
}

for (const database of testDatabases()) {
  describe(`Template path, Manage and Offboard with the Azure SDK (${database.name})`, { skip: SKIP_WITHOUT_SAMPLES }, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let customer: ResourceManagementClient;
    let contoso: ResourceManagementClient;
    let contosoOnOtherSubscription: ResourceManagementClient;
    let contosoAuthorization: AuthorizationManagementClient;
    let sub: string;
    const definitionName = armGuid([OFFER]);
    const assignmentId = () => `${sub}/resourceGroups/rg-web/providers/Microsoft.ManagedServices/registrationAssignments/${definitionName}`;
    const storageId = (rg: string, name: string) => `${sub}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      sub = `/subscriptions/${w.subscriptionId}`;
      const credential = (tenantId: string, appId: string, secret: string) => new ClientSecretCredential(tenantId, appId, secret, { authorityHost: lantern.baseUrl, disableInstanceDiscovery: true });
      const fabrikamCredential = credential(w.fabrikam.id, w.deployer.principal.appId, w.deployer.secret);
      const contosoCredential = credential(w.contoso.id, w.automation.principal.appId, w.automation.secret);
      customer = new ResourceManagementClient(fabrikamCredential, w.subscriptionId, { endpoint: lantern.baseUrl });
      contoso = new ResourceManagementClient(contosoCredential, w.subscriptionId, { endpoint: lantern.baseUrl });
      contosoOnOtherSubscription = new ResourceManagementClient(contosoCredential, w.otherSubscriptionId, { endpoint: lantern.baseUrl });
      contosoAuthorization = new AuthorizationManagementClient(contosoCredential, w.subscriptionId, { endpoint: lantern.baseUrl });
    });
    after(() => lantern.stop());

    it('Template path: the customer deploys the sample rg.json delegating rg-web to the Contoso group', async () => {
      await customer.providers.register('Microsoft.Storage');
      const template = JSON.parse(readFileSync(join(ROOT, RG_TEMPLATE), 'utf8')) as Record<string, unknown>;
      const parameters = {
        mspOfferName: { value: OFFER },
        mspOfferDescription: { value: 'Operations of the web tier by Contoso' },
        managedByTenantId: { value: w.contoso.id },
        rgName: { value: 'rg-web' },
        authorizations: {
          value: [
            { principalId: w.l2.id, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: CONTRIBUTOR },
            { principalId: w.l2.id, principalIdDisplayName: 'Contoso L2 Engineers', roleDefinitionId: READER },
            { principalId: w.offboarding.id, principalIdDisplayName: 'Contoso Offboarding', roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE },
          ],
        },
      };
      const deployment = await customer.resources.beginCreateOrUpdateByIdAndWait(`${sub}/providers/Microsoft.Resources/deployments/contoso-onboarding`, '2021-04-01', {
        location: 'westeurope',
        properties: { mode: 'Incremental', template, parameters },
      });
      const props = deployment.properties as { provisioningState: string; outputs: Record<string, { value: unknown }> };
      assert.equal(props.provisioningState, 'Succeeded');
      assert.equal(props.outputs.mspOfferName?.value, `Managed by ${OFFER}`);

      const assignment = await customer.resources.getById(assignmentId(), '2022-10-01');
      assert.equal((assignment.properties as { registrationDefinitionId: string }).registrationDefinitionId, `${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${definitionName}`);
      const definition = await customer.resources.getById(`${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${definitionName}`, '2022-10-01');
      assert.equal((definition.properties as { managedByTenantName: string }).managedByTenantName, 'Contoso');
      const registered = await customer.providers.get('Microsoft.ManagedServices');
      assert.equal(registered.registrationState, 'Registered');
    });

    it('a delegation the service refuses fails the deployment, and the SDK poller reports it', async () => {
      const template = JSON.parse(readFileSync(join(ROOT, 'templates/delegated-resource-management/subscription/subscription.json'), 'utf8')) as Record<string, unknown>;
      const parameters = {
        mspOfferName: { value: 'Contoso Owner Offer' },
        mspOfferDescription: { value: 'asks for Owner' },
        managedByTenantId: { value: w.contoso.id },
        authorizations: { value: [{ principalId: w.l2.id, roleDefinitionId: OWNER }] },
      };
      const id = `/subscriptions/${w.otherSubscriptionId}/providers/Microsoft.Resources/deployments/owner-offer`;
      const failed = await failure(() => customer.resources.beginCreateOrUpdateByIdAndWait(id, '2021-04-01', { location: 'westeurope', properties: { mode: 'Incremental', template, parameters } }));
      assert.equal(failed.refusal.statusCode, undefined, 'the PUT itself was accepted');
      assert.match(failed.message, /long-running operation has failed/);
      const recorded = await customer.resources.getById(id, '2021-04-01');
      const props = recorded.properties as { provisioningState: string; error: { code: string } };
      assert.equal(props.provisioningState, 'Failed');
      assert.equal(props.error.code, 'DeploymentFailed');
    });

    it('Manage: the Contoso service principal creates and deletes a resource in the delegated resource group', async () => {
      const group = await contoso.resourceGroups.get('rg-web');
      assert.equal(group.name, 'rg-web');
      const created = await contoso.resources.beginCreateOrUpdateByIdAndWait(storageId('rg-web', 'stcontosoops'), '2023-01-01', { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });
      assert.equal(created.id, storageId('rg-web', 'stcontosoops'));
      const seen = await customer.resources.getById(storageId('rg-web', 'stcontosoops'), '2023-01-01');
      assert.equal(seen.name, 'stcontosoops');
      await contoso.resources.beginDeleteByIdAndWait(storageId('rg-web', 'stcontosoops'), '2023-01-01');
      const gone = await refusal(() => customer.resources.getById(storageId('rg-web', 'stcontosoops'), '2023-01-01'));
      assert.equal(gone.statusCode, 404);

      const from = new Date(Date.now() - 3_600_000).toISOString();
      const log = await lantern.services.activity.query({ tenantId: w.fabrikam.id, from, to: new Date(Date.now() + 60_000).toISOString() });
      const byContoso = log.filter((e) => e.callerTenantId === w.contoso.id && e.resourceId.toLowerCase() === storageId('rg-web', 'stcontosoops').toLowerCase());
      assert.deepEqual(byContoso.map((e) => e.operationName).sort(), ['Microsoft.Storage/storageAccounts/delete', 'Microsoft.Storage/storageAccounts/write'], "Fabrikam's activity log shows what Contoso did");
    });

    it('Manage: the Contoso service principal is refused role-assignment writes, other resource groups and other subscriptions', async () => {
      const roleWrite = await refusal(() =>
        contosoAuthorization.roleAssignments.create(`${sub}/resourceGroups/rg-web`, randomUUID(), {
          roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
          principalId: w.automation.principal.id,
          principalType: 'ServicePrincipal',
        }),
      );
      assert.deepEqual(roleWrite, { statusCode: 403, code: 'AuthorizationFailed' });
      const otherGroup = await refusal(() => contoso.resources.beginCreateOrUpdateByIdAndWait(storageId('rg-data', 'stcontosodata'), '2023-01-01', { location: 'westeurope' }));
      assert.deepEqual(otherGroup, { statusCode: 403, code: 'AuthorizationFailed' });
      const otherSubscription = await refusal(() => contosoOnOtherSubscription.resourceGroups.get('rg-dev'));
      assert.deepEqual(otherSubscription, { statusCode: 403, code: 'AuthorizationFailed' });
      const subscriptionLevel = await refusal(() => contoso.resourceGroups.createOrUpdate('rg-contoso', { location: 'westeurope' }));
      assert.deepEqual(subscriptionLevel, { statusCode: 403, code: 'AuthorizationFailed' });
    });

    it('Offboard: once the customer deletes the assignment, access ends at once', async () => {
      await contoso.resources.beginCreateOrUpdateByIdAndWait(storageId('rg-web', 'stbeforeoffboard'), '2023-01-01', { location: 'westeurope' });
      await customer.resources.beginDeleteByIdAndWait(assignmentId(), '2022-10-01');
      const after = await refusal(() => contoso.resources.beginCreateOrUpdateByIdAndWait(storageId('rg-web', 'staftereoffboard'), '2023-01-01', { location: 'westeurope' }));
      assert.deepEqual(after, { statusCode: 403, code: 'AuthorizationFailed' });
      const read = await refusal(() => contoso.resources.getById(storageId('rg-web', 'stbeforeoffboard'), '2023-01-01'));
      assert.equal(read.statusCode, 403);
      const log = await lantern.services.activity.query({ tenantId: w.contoso.id, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
      assert.deepEqual(
        log.filter((e) => (e.description ?? '').includes(`${sub}/resourceGroups/rg-web`)).map((e) => e.operationName).sort(),
        ['Microsoft.Resources/tenants/register/action', 'Microsoft.Resources/tenants/unregister/action'],
        "the managing tenant's tenant-level log shows the delegation and its removal",
      );
    });
  });
}
