/**
 * Plans every onboarding template of Azure/Azure-Lighthouse-samples (read in place from the shared
 * data folder) with its parameter file and checks exactly the registration definitions and
 * assignments each describes. Placeholder tenant ids in parameter files are replaced by real
 * GUIDs in memory; the files themselves are never changed. Then plans the other samples that use
 * only supported features, and checks the ones that cannot be planned fail for the right reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDeployment } from './plan-deployment.js';
import { parseTemplateJson } from './parse-template-json.js';
import { armGuid } from './arm-guid.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import type { DeploymentPlan, PlanStep, RuntimeFunctions } from './deployment-plan.js';
import { SUB, testContext } from './test-context.js';
import { DomainError } from '../errors.js';
import { LIGHTHOUSE_SAMPLES, SKIP_WITHOUT_SAMPLES } from '../../../test/support/shared-data.js';

const ROOT = LIGHTHOUSE_SAMPLES;
const MANAGING_TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DEF = 'Microsoft.ManagedServices/registrationDefinitions';
const ASG = 'Microsoft.ManagedServices/registrationAssignments';
const S = `/subscriptions/${SUB}`;
const noRuntime: RuntimeFunctions = { reference: () => null, list: () => null };

const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');
const readJson = (rel: string): JsonObject => parseTemplateJson(read(rel)) as JsonObject;

/** The parameter file with its `<insert …>` tenant placeholder replaced (in memory) by a GUID. */
function parameterFile(rel: string): JsonObject {
  const file = readJson(rel);
  const params = file.parameters as Record<string, { value: JsonValue }>;
  const tenant = params.managedByTenantId;
  if (tenant && typeof tenant.value === 'string' && tenant.value.startsWith('<')) tenant.value = MANAGING_TENANT;
  return file;
}

const valuesOf = (file: JsonObject): Record<string, JsonValue> =>
  Object.fromEntries(Object.entries(file.parameters as Record<string, { value: JsonValue }>).map(([k, v]) => [k, v.value]));

interface OnboardingCase {
  readonly template: string;
  /** Undefined: the template's own default values are used. */
  readonly parameters?: string;
  readonly shape: 'subscription' | 'rg' | 'multi-rg';
  readonly apiVersion: string;
  readonly eligible: boolean;
}

const D = 'templates/delegated-resource-management';
const E = 'templates/delegated-resource-management-eligible-authorizations';
const H = 'historical/templates/delegated-resource-management';
const CASES: readonly OnboardingCase[] = [
  { template: `${D}/subscription/subscription.json`, parameters: `${D}/subscription/subscription.parameters.json`, shape: 'subscription', apiVersion: '2019-09-01', eligible: false },
  { template: `${D}/rg/rg.json`, parameters: `${D}/rg/rg.parameters.json`, shape: 'rg', apiVersion: '2019-06-01', eligible: false },
  { template: `${D}/rg/multi-rg.json`, parameters: `${D}/rg/multiple-rg.parameters.json`, shape: 'multi-rg', apiVersion: '2019-06-01', eligible: false },
  { template: `${E}/subscription/subscription.json`, parameters: `${E}/subscription/subscription.parameters.json`, shape: 'subscription', apiVersion: '2020-02-01-preview', eligible: true },
  {
    template: `${E}/subscription/subscription-managing-tenant-approvers.json`,
    parameters: `${E}/subscription/subscription-managing-tenant-approvers.parameters.json`,
    shape: 'subscription',
    apiVersion: '2020-02-01-preview',
    eligible: true,
  },
  { template: `${E}/rg/rg.json`, parameters: `${E}/rg/rg.parameters.json`, shape: 'rg', apiVersion: '2020-02-01-preview', eligible: true },
  { template: `${E}/rg/rg-managing-tenant-approvers.json`, parameters: `${E}/rg/rg-managing-tenant-approvers.parameters.json`, shape: 'rg', apiVersion: '2020-02-01-preview', eligible: true },
  { template: `${E}/rg/multiple-rg.json`, parameters: `${E}/rg/multiple-rg.parameters.json`, shape: 'multi-rg', apiVersion: '2020-02-01-preview', eligible: true },
  {
    template: `${E}/rg/multiple-rg-managing-tenant-approvers.json`,
    parameters: `${E}/rg/multiple-rg-managing-tenant-approvers.parameters.json`,
    shape: 'multi-rg',
    apiVersion: '2020-02-01-preview',
    eligible: true,
  },
  {
    template: 'templates/marketplace-delegated-resource-management/marketplaceDelegatedResourceManagement.json',
    parameters: 'templates/marketplace-delegated-resource-management/marketplaceDelegatedResourceManagement.parameters.json',
    shape: 'subscription',
    apiVersion: '2019-06-01',
    eligible: false,
  },
  {
    template: 'templates/delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.json',
    parameters: 'templates/delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.parameters.json',
    shape: 'subscription',
    apiVersion: '2019-09-01',
    eligible: false,
  },
  { template: 'templates/delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate.json', shape: 'subscription', apiVersion: '2019-09-01', eligible: false },
  { template: `${H}/subscription/delegatedResourceManagement.json`, parameters: `${H}/subscription/delegatedResourceManagement.parameters.json`, shape: 'subscription', apiVersion: '2019-09-01', eligible: false },
  { template: `${H}/subscription/delegatedResourceManagement.json`, shape: 'subscription', apiVersion: '2019-09-01', eligible: false },
  { template: `${H}/rg/rgDelegatedResourceManagement.json`, parameters: `${H}/rg/rgDelegatedResourceManagement.parameters.json`, shape: 'rg', apiVersion: '2019-06-01', eligible: false },
];

/** Parameter values the plan should have used: the file's, else the template's defaults. */
function expectedValues(c: OnboardingCase, extra: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const declared = readJson(c.template).parameters as Record<string, JsonObject>;
  const defaults = Object.fromEntries(Object.entries(declared).filter(([, d]) => 'defaultValue' in d).map(([k, d]) => [k, d.defaultValue as JsonValue]));
  return { ...defaults, ...(c.parameters ? valuesOf(parameterFile(c.parameters)) : {}), ...extra };
}

function planCase(c: OnboardingCase, extra: Record<string, JsonValue> = {}): DeploymentPlan {
  let parameters: JsonObject | undefined;
  if (c.parameters) {
    parameters = parameterFile(c.parameters);
    for (const [k, v] of Object.entries(extra)) (parameters.parameters as JsonObject)[k] = { value: v };
  } else if (Object.keys(extra).length > 0) {
    parameters = extra;
  }
  return planDeployment({ template: read(c.template), ...(parameters ? { parameters } : {}), context: testContext({ deploymentName: 'onboard' }) });
}

/** The definitions, assignments and nested deployments a case must produce, in a valid order. */
function checkOnboardingPlan(c: OnboardingCase, plan: DeploymentPlan, values: Record<string, JsonValue>): void {
  const groups = c.shape === 'rg' ? [values.rgName as string] : c.shape === 'multi-rg' ? (values.resourceGroups as { rgName: string }[]).map((g) => g.rgName) : [undefined];
  const defs = plan.steps.filter((s) => s.type === DEF);
  const asgs = plan.steps.filter((s) => s.type === ASG);
  const deployments = plan.steps.filter((s) => s.kind === 'deployment');
  assert.equal(plan.steps.length, defs.length + asgs.length + deployments.length, 'only definitions, assignments and nested deployments');
  assert.equal(defs.length, c.shape === 'multi-rg' ? groups.length : 1);
  assert.equal(asgs.length, groups.length);
  assert.equal(deployments.length, c.shape === 'subscription' ? 0 : groups.length);

  const expectedProperties: JsonObject = {
    registrationDefinitionName: values.mspOfferName as string,
    description: values.mspOfferDescription as string,
    managedByTenantId: values.managedByTenantId as string,
    authorizations: values.authorizations as JsonValue,
  };
  if (c.eligible) expectedProperties.eligibleAuthorizations = values.eligibleAuthorizations as JsonValue;

  groups.forEach((rg, k) => {
    // Definition and assignment share one GUID name: guid(offer name), or guid(rgName) per group.
    const name = armGuid([c.shape === 'multi-rg' ? (rg as string) : (values.mspOfferName as string)]);
    const defId = `${S}/providers/${DEF}/${name}`;
    const def = defs.find((d) => d.resourceId === defId) as PlanStep;
    assert.ok(def, `definition ${defId}`);
    assert.equal(def.apiVersion, c.apiVersion);
    assert.deepEqual(def.scope, { subscriptionId: SUB });
    assert.deepEqual(def.body.properties, expectedProperties);
    assert.equal(def.deploymentId, `${S}/providers/Microsoft.Resources/deployments/onboard`);

    const asgId = rg === undefined ? `${S}/providers/${ASG}/${name}` : `${S}/resourceGroups/${rg}/providers/${ASG}/${name}`;
    const asg = asgs.find((a) => a.resourceId === asgId) as PlanStep;
    assert.ok(asg, `assignment ${asgId}`);
    assert.equal(asg.apiVersion, c.apiVersion);
    assert.deepEqual(asg.scope, rg === undefined ? { subscriptionId: SUB } : { subscriptionId: SUB, resourceGroup: rg });
    // The assignment points at the subscription-level definition, also from inside a resource group.
    assert.deepEqual(asg.body, { properties: { registrationDefinitionId: defId } });
    assert.ok(plan.steps.indexOf(def) < plan.steps.indexOf(asg), 'definition before assignment');

    if (rg === undefined) {
      assert.deepEqual(asg.dependsOn, [defId]);
      assert.equal(asg.templatePath, 'resources[1]');
    } else {
      const depName = c.shape === 'multi-rg' ? `rgAssignment${k}` : 'rgAssignment';
      const depId = `${S}/resourceGroups/${rg}/providers/Microsoft.Resources/deployments/${depName}`;
      const dep = deployments.find((d) => d.resourceId === depId) as PlanStep;
      assert.ok(dep, `nested deployment ${depId}`);
      assert.deepEqual(dep.dependsOn, [defId]);
      assert.equal(dep.apiVersion, '2018-05-01');
      const info = dep.nested as NonNullable<PlanStep['nested']>;
      assert.deepEqual([info.expressionScope, info.mode, info.target, info.parameters], ['outer', 'Incremental', { subscriptionId: SUB, resourceGroup: rg }, {}]);
      assert.deepEqual(info.evaluateOutputs(noRuntime), {});
      assert.equal(asg.deploymentId, depId);
      assert.deepEqual(asg.dependsOn, []);
      assert.equal(asg.templatePath, 'resources[1].properties.template.resources[0]');
      assert.equal(plan.steps.indexOf(asg), plan.steps.indexOf(dep) + 1, 'the nested assignment follows its deployment');
    }
  });

  const outputs = plan.evaluateOutputs(noRuntime);
  assert.deepEqual(outputs.mspOfferName, { type: 'String', value: `Managed by ${values.mspOfferName as string}` });
  assert.deepEqual(outputs.authorizations, { type: 'Array', value: values.authorizations as JsonValue });
  if (c.eligible) assert.deepEqual(outputs.eligibleAuthorizations, { type: 'Array', value: values.eligibleAuthorizations as JsonValue });
}

describe('Lighthouse onboarding samples', { skip: SKIP_WITHOUT_SAMPLES }, () => {
  it('guid() gives the spec names: Relecloud Managed Services and the multi-rg groups', () => {
    assert.equal(armGuid(['Relecloud Managed Services']), 'a284898a-fc04-581d-aca0-047861d06160');
    assert.equal(armGuid(['test']), 'd6a5baf1-8b9b-542a-8525-2982f1f98a0c');
    const plan = planCase(CASES[0] as OnboardingCase);
    assert.deepEqual(
      plan.steps.map((s) => s.resourceId),
      [`${S}/providers/${DEF}/a284898a-fc04-581d-aca0-047861d06160`, `${S}/providers/${ASG}/a284898a-fc04-581d-aca0-047861d06160`],
    );
  });

  it('covers every onboarding template in the samples', () => {
    const dirs = ['templates/delegated-resource-management', 'templates/delegated-resource-management-eligible-authorizations', 'templates/delegated-resource-management-azmigrate', 'templates/marketplace-delegated-resource-management', H];
    const found = dirs.flatMap((d) =>
      readdirSync(join(ROOT, d), { recursive: true })
        .map((f) => `${d}/${String(f)}`)
        .filter((f) => f.endsWith('.json') && !f.endsWith('.parameters.json')),
    );
    const covered = new Set(CASES.map((c) => c.template));
    assert.deepEqual(found.filter((f) => !covered.has(f)), []);
    assert.ok(found.length >= 13);
  });

  for (const c of CASES) {
    it(`${c.template}${c.parameters ? '' : ' (default values)'}`, () => {
      checkOnboardingPlan(c, planCase(c), expectedValues(c));
    });
  }

  it('multi-rg: one definition per group named guid(rgName), assignments in each group', () => {
    const plan = planCase(CASES[2] as OnboardingCase);
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.resourceId]),
      [
        ['resource', `${S}/providers/${DEF}/${armGuid(['test'])}`],
        ['resource', `${S}/providers/${DEF}/${armGuid(['test2'])}`],
        ['resource', `${S}/providers/${DEF}/${armGuid(['test3'])}`],
        ['deployment', `${S}/resourceGroups/test/providers/Microsoft.Resources/deployments/rgAssignment0`],
        ['resource', `${S}/resourceGroups/test/providers/${ASG}/${armGuid(['test'])}`],
        ['deployment', `${S}/resourceGroups/test2/providers/Microsoft.Resources/deployments/rgAssignment1`],
        ['resource', `${S}/resourceGroups/test2/providers/${ASG}/${armGuid(['test2'])}`],
        ['deployment', `${S}/resourceGroups/test3/providers/Microsoft.Resources/deployments/rgAssignment2`],
        ['resource', `${S}/resourceGroups/test3/providers/${ASG}/${armGuid(['test3'])}`],
      ],
    );
  });

  it('eligible authorizations with approvers are copied as given', () => {
    const c = CASES[4] as OnboardingCase;
    const def = planCase(c).steps[0] as PlanStep;
    const eligible = (def.body.properties as JsonObject).eligibleAuthorizations as JsonObject[];
    assert.deepEqual(eligible[0]?.justInTimeAccessPolicy, {
      multiFactorAuthProvider: 'Azure',
      maximumActivationDuration: 'PT8H',
      managedByTenantApprovers: [{ principalId: '00000000-0000-0000-0000-000000000000', principalIdDisplayName: 'PIM-Approvers' }],
    });
  });

  it('marketplace: plan omitted when marketplaceOffer is No, present when Yes', () => {
    const c = CASES[9] as OnboardingCase;
    const no = planCase(c);
    assert.equal(Object.hasOwn((no.steps[0] as PlanStep).body, 'plan'), false);
    assert.deepEqual(no.evaluateOutputs(noRuntime).marketplace, { type: 'Object', value: { offer: 'No marketplace offer' } });
    const yes = planCase(c, { marketplaceOffer: 'Yes' });
    const plan = { name: 'assessment', product: 'fabrikam-assessment', publisher: 'marketplace-test', version: '2.0.0' };
    assert.deepEqual((yes.steps[0] as PlanStep).body.plan, plan);
    assert.equal(Object.hasOwn((yes.steps[1] as PlanStep).body, 'plan'), false, 'only the definition carries the plan');
    assert.deepEqual(yes.evaluateOutputs(noRuntime).marketplace, { type: 'Object', value: plan });
    checkOnboardingPlan(c, yes, expectedValues(c, { marketplaceOffer: 'Yes' }));
  });

  it('a missing required parameter fails before anything is planned', () => {
    assert.throws(
      () => planDeployment({ template: read(`${D}/subscription/subscription.json`), context: testContext() }),
      (e: unknown) => e instanceof DomainError && e.code === 'InvalidTemplate' && e.target === 'parameters.mspOfferName' && /parameter 'mspOfferName' at line '5' and column '25' is not provided/.test(e.message),
    );
  });

  it('the rg templates need a subscription-level deployment', () => {
    assert.throws(
      () => planDeployment({ template: read(`${D}/rg/rg.json`), parameters: parameterFile(`${D}/rg/rg.parameters.json`), context: testContext({ resourceGroup: 'test' }) }),
      (e: unknown) => e instanceof DomainError && e.target === '$schema',
    );
  });
});

interface OtherCase {
  readonly template: string;
  readonly parameters?: JsonObject;
  /** A parameters file of the samples, read when the case runs (the samples may be absent). */
  readonly parametersFile?: string;
  readonly resourceGroup?: string;
  /** Expected `type` of each step, in order; `*` marks a step deferred to execution time. */
  readonly steps: readonly string[];
}

const T = 'templates';
const WS = '/subscriptions/x/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/w';
const OTHER: readonly OtherCase[] = [
  {
    template: `${T}/policy-add-or-replace-tag/addOrReplaceTag.json`,
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/roleAssignments*'],
  },
  {
    template: `${T}/create-multiple-rgs/multipleRgs.json`,
    parameters: { resourceGroupNamePrefix: 'rg-', resourceGrouplocation: 'westeurope', instanceCount: 3 },
    steps: ['Microsoft.Resources/resourceGroups', 'Microsoft.Resources/resourceGroups', 'Microsoft.Resources/resourceGroups'],
  },
  {
    template: `${T}/cross-rg-deployment/crossRg.json`,
    parameters: { remoteRg: 'rg-east' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Storage/storageAccounts', 'Microsoft.Resources/deployments', 'Microsoft.Storage/storageAccounts'],
  },
  {
    template: `${T}/cross-subscription-deployment/crossSub.json`,
    parameters: { remoteRg: 'rg-east', remoteSub: '33333333-3333-3333-3333-333333333333' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Storage/storageAccounts', 'Microsoft.Resources/deployments', 'Microsoft.Storage/storageAccounts'],
  },
  {
    template: `${T}/cross-subscription-deployment/crossSubscription.json`,
    parameters: { localWorkspaceName: 'a', remoteWorkspaceName: 'b', remoteResourceGroup: 'rg-east', remoteSubscription: '33333333-3333-3333-3333-333333333333' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.OperationalInsights/workspaces', 'Microsoft.Resources/deployments', 'Microsoft.OperationalInsights/workspaces'],
  },
  {
    template: `${T}/subscription-deployment/subscriptionLevelDeployment.json`,
    parameters: { principalId: '44444444-4444-4444-4444-444444444444', roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', storageAccountName: 'sa', deniedLocation: 'eastus' },
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/roleAssignments', 'Microsoft.Resources/deployments', 'Microsoft.Storage/storageAccounts'],
  },
  { template: `${T}/policy-audit-delegation.json`, steps: ['Microsoft.Authorization/policyDefinitions'] },
  { template: `${T}/policy-audit-delegation/policyAuditDelegation.json`, steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments'] },
  {
    template: `${T}/policy-allow-certain-managing-tenants/policyAllowCertainTenantIds.json`,
    parametersFile: `${T}/policy-allow-certain-managing-tenants/policyAllowCertainTenantIds.parameters.json`,
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments'],
  },
  { template: `${T}/policy-enforce-https-storage/enforceHttpsStorage.json`, steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments'] },
  {
    template: `${T}/policy-enforce-keyvault-monitoring/enforceAzureMonitoredKeyVault.json`,
    parametersFile: `${T}/policy-enforce-keyvault-monitoring/enforceAzureMonitoredKeyVault.parameters.json`,
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/roleAssignments*'],
  },
  {
    template: `${T}/policy-enforce-sub-monitoring/enforceAzureMonitoredSubsription.json`,
    parametersFile: `${T}/policy-enforce-sub-monitoring/enforceAzureMonitoredSubscription.parameters.json`,
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyAssignments', 'Microsoft.Authorization/roleAssignments*'],
  },
  {
    template: `${T}/policy-initiative/armPolicyInitiative.json`,
    parameters: { policyInitiativeName: 'i', deniedLocation: 'eastus', deniedResource: 'Microsoft.Compute/virtualMachines' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policyDefinitions', 'Microsoft.Authorization/policySetDefinitions'],
  },
  {
    template: `${T}/assign-msi-blob-data-role/assignBlobDataRoleMSI.json`,
    parametersFile: `${T}/assign-msi-blob-data-role/assignBlobDataRoleMSI.parameters.json`,
    resourceGroup: 'rg1',
    steps: ['Microsoft.Authorization/roleAssignments*', 'Microsoft.Authorization/roleAssignments*'],
  },
  {
    template: `${T}/create-keyvault-secret/createKeyVaultSecret.json`,
    parametersFile: `${T}/create-keyvault-secret/createKeyVaultSecret.parameters.json`,
    resourceGroup: 'rg1',
    steps: ['Microsoft.KeyVault/vaults*', 'Microsoft.KeyVault/vaults/secrets'],
  },
  { template: `${T}/alert-using-actiongroup/azureAlert.json`, resourceGroup: 'rg1', steps: ['Microsoft.Insights/metricAlerts'] },
  {
    template: `${T}/classic-alert/azureClassicAlert.json`,
    parameters: { resourceId: '/subscriptions/x/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Insights/alertRules'],
  },
  { template: `${T}/delegation-alert-for-customer/delegationAlert.json`, resourceGroup: 'rg1', steps: ['Microsoft.Insights/actionGroups', 'Microsoft.Insights/scheduledQueryRules'] },
  { template: `${T}/deploy-azure-mgmt-services/mspDashboard.json`, parameters: { workspaceName: 'w', automationAccountName: 'a', rgLocation: 'westeurope' }, resourceGroup: 'rg1', steps: ['Microsoft.Portal/dashboards'] },
  {
    template: `${T}/deploy-azure-mgmt-services/omsWorkspace.json`,
    parameters: { workspaceName: 'w', workspaceRegion: 'westeurope', automationAccountName: 'a', automationRegion: 'westeurope' },
    resourceGroup: 'rg1',
    // Child resources declared inside the workspace come right after it.
    steps: [
      'Microsoft.Automation/automationAccounts',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.OperationalInsights/workspaces/datasources',
      'Microsoft.OperationalInsights/workspaces/linkedServices',
      'Microsoft.OperationalInsights/workspaces/datasources',
      ...Array<string>(18).fill('Microsoft.OperationalInsights/workspaces/dataSources'),
      ...Array<string>(11).fill('Microsoft.OperationsManagement/solutions'),
    ],
  },
  { template: `${T}/deploy-azure-security-center/deployASC.json`, parameters: { securitySettings: 'On', securityPhoneNumber: '1' }, steps: ['Microsoft.Security/policies'] },
  { template: `${T}/deploy-azure-sentinel/deploySentinel.json`, parameters: { workspaceName: 'w', workspaceRegion: 'westeurope' }, resourceGroup: 'rg1', steps: ['Microsoft.OperationsManagement/solutions'] },
  {
    template: `${T}/deploy-log-analytics-vm-extensions/omsExtensionLinux.json`,
    parameters: { vmName: 'vm', location: 'westeurope', logAnalytics: WS },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Compute/virtualMachines/extensions*'],
  },
  {
    template: `${T}/deploy-log-analytics-vm-extensions/omsExtensionWindows.json`,
    parameters: { vmName: 'vm', location: 'westeurope', logAnalytics: WS },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Compute/virtualMachines/extensions*'],
  },
  {
    template: `${T}/multiple-loganalytics-alerts/multipleLogAnalyticsAlerts.json`,
    parameters: { actionGroupId: '/subscriptions/x/resourceGroups/r/providers/microsoft.insights/actionGroups/ag', logAnalyticsResourceId: WS, logAnalyticsWorkspaceLocation: 'westeurope' },
    resourceGroup: 'rg1',
    steps: ['Microsoft.Insights/scheduledQueryRules', 'Microsoft.Insights/scheduledQueryRules'],
  },
  { template: `${T}/register-managed-services-rp-customer/azuredeploy.json`, resourceGroup: 'rg1', steps: ['Microsoft.Web/connections', 'Microsoft.Logic/workflows'] },
  { template: `${T}/register-managed-services-rp-partner/azuredeploy.json`, resourceGroup: 'rg1', steps: ['Microsoft.Logic/workflows'] },
];

describe('other Lighthouse samples plan without executing', { skip: SKIP_WITHOUT_SAMPLES }, () => {
  for (const c of OTHER) {
    it(c.template, () => {
      const plan = planDeployment({
        template: read(c.template),
        ...(c.parameters !== undefined ? { parameters: c.parameters } : c.parametersFile !== undefined ? { parameters: read(c.parametersFile) } : {}),
        context: testContext(c.resourceGroup !== undefined ? { resourceGroup: c.resourceGroup } : {}),
      });
      const got = plan.steps.map((s) => `${s.type}${s.deferred ? '*' : ''}`);
      assert.deepEqual(got, c.steps);
      for (const s of plan.steps) assert.ok(s.resourceId.startsWith(`${S}/`) || s.resourceId.startsWith('/subscriptions/33333333-'), s.resourceId);
    });
  }

  it('addOrReplaceTag: comments parse; the role assignment waits for the policy assignment and reads its identity', () => {
    const plan = planDeployment({ template: read(`${T}/policy-add-or-replace-tag/addOrReplaceTag.json`), context: testContext() });
    const [pd, pa, ra] = plan.steps as [PlanStep, PlanStep, PlanStep];
    assert.deepEqual(pa.dependsOn, [pd.resourceId]);
    assert.equal(pa.body.location, 'westeurope');
    assert.equal(ra.name, '99999999-9999-4999-8999-999999999999', 'rbacGuid defaults to newGuid()');
    assert.deepEqual(ra.dependsOn, [pa.resourceId]);
    // The template names the assignment by a tenant-style id; it resolves to the assignment it deploys.
    const body = ra.resolveBody({ reference: (id, api, full) => (id === pa.resourceId && full && api === '2018-05-01' ? { id, identity: { principalId: 'ABC-DEF' } } : null), list: () => null });
    assert.deepEqual(body.properties, {
      roleDefinitionId: `${S}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
      principalType: 'ServicePrincipal',
      delegatedManagedIdentityResourceId: `${S}/providers/Microsoft.Authorization/policyAssignments/CRUD-tags`,
      principalId: 'abc-def',
    });
    // Without delegations the managed-identity id is left out (json('null')).
    const single = planDeployment({ template: read(`${T}/policy-add-or-replace-tag/addOrReplaceTag.json`), context: testContext({ subscriptionInfo: () => ({ displayName: 'x' }) }) });
    const p = (single.steps[2] as PlanStep).resolveBody({ reference: () => ({ identity: { principalId: 'x' } }), list: () => null }).properties as JsonObject;
    assert.equal(Object.hasOwn(p, 'delegatedManagedIdentityResourceId'), false);
  });

  it('crossRg: the outer-scope nested template evaluates resourceGroup() in the parent group', () => {
    const plan = planDeployment({ template: read(`${T}/cross-rg-deployment/crossRg.json`), parameters: { remoteRg: 'rg-east' }, context: testContext({ resourceGroup: 'rg1' }) });
    const remote = plan.steps[2] as PlanStep;
    assert.match(remote.resourceId, new RegExp(`^${S}/resourceGroups/rg-east/providers/Microsoft.Storage/storageAccounts/st02[a-z2-7]{13}$`));
    assert.deepEqual(remote.body, { location: 'westeurope', kind: 'Storage', sku: { name: 'Standard_LRS' } });
  });

  it('samples that need what a pure planner cannot give fail with InvalidTemplate', () => {
    const fails = (template: string, parameters: JsonObject | undefined, pattern: RegExp, resourceGroup?: string) =>
      assert.throws(
        () => planDeployment({ template: read(template), ...(parameters ? { parameters } : {}), context: testContext(resourceGroup ? { resourceGroup } : {}) }),
        (e: unknown) => e instanceof DomainError && e.code === 'InvalidTemplate' && pattern.test(e.message),
        template,
      );
    // Management-group deployments are out of scope for a subscription/resource-group planner.
    fails(`${T}/policy-delegate-management-groups/deployLighthouseIfNotExistManagementGroup.json`, undefined, /managementGroup deployments/);
    fails(`${T}/policy-delegate-multiple-management-groups/deployLighthouseIfNotExistManagementGroup.json`, undefined, /managementGroup deployments/);
    // Linked templates would need I/O.
    const rgWithMgmt = { workspaceName: 'w', workspaceLocation: 'westeurope', automationAccountName: 'a', automationLocation: 'westeurope', rgName: 'r', rgLocation: 'westeurope' };
    fails(`${T}/deploy-azure-mgmt-services/rgWithAzureMgmt.json`, rgWithMgmt, /templateLink/);
    // Not ARM templates at all.
    fails(`${T}/workbook-activitylogs-by-domain/activityLogsByDomain.json`, undefined, /is not supported/);
    fails(`${T}/register-managed-services-rp-customer/ResourceProviderRole.json`, undefined, /must declare its '\$schema'/);
  });
});

describe('placeholders in parameter files', { skip: SKIP_WITHOUT_SAMPLES }, () => {
  it('pass through the template engine unchanged: checking tenant ids is the resource provider\'s job', () => {
    const raw = readJson(`${D}/subscription/subscription.parameters.json`);
    assert.ok(isJsonObject(raw.parameters));
    const plan = planDeployment({ template: read(`${D}/subscription/subscription.json`), parameters: raw, context: testContext() });
    assert.equal(((plan.steps[0] as PlanStep).body.properties as JsonObject).managedByTenantId, '<insert managing tenant id>');
  });
});
