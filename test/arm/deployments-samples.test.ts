/**
 * Every onboarding template of Azure/Azure-Lighthouse-samples (read in place from the shared data
 * folder, historical names included) deployed unchanged through the HTTP deployments API with its
 * parameter file, each into a fresh subscription; the definitions and assignments that result are
 * read back over the Microsoft.ManagedServices API and must be exactly what the template describes.
 * Only placeholders in the parameters are replaced, in memory: the managing tenant id becomes
 * Contoso's, the all-zero principal ids become Contoso's groups.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { armGuid, parseTemplateJson, type JsonObject, type JsonValue } from '../../src/core/templates/index.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { addSubscription, arm, seedDelegationWorld, type DelegationWorld } from '../e2e/support/delegation-world.js';
import { LIGHTHOUSE_SAMPLES, SKIP_WITHOUT_SAMPLES } from '../support/shared-data.js';

const ROOT = LIGHTHOUSE_SAMPLES;
const PLACEHOLDER_PRINCIPAL = '00000000-0000-0000-0000-000000000000';
const MS = 'providers/Microsoft.ManagedServices';
const V = '2022-10-01';

interface Sample {
  readonly template: string;
  readonly parameters?: string;
  readonly shape: 'subscription' | 'rg' | 'multi-rg';
  readonly eligible: boolean;
  /** Parameter values set on top of the file (a choice the template offers, not a placeholder). */
  readonly extra?: Record<string, JsonValue>;
  /** The ARM error code the deployment fails with (nothing is delegated). */
  readonly refusedWith?: string;
}

const D = 'templates/delegated-resource-management';
const E = 'templates/delegated-resource-management-eligible-authorizations';
const H = 'historical/templates/delegated-resource-management';
const M = 'templates/marketplace-delegated-resource-management/marketplaceDelegatedResourceManagement';
const A = 'templates/delegated-resource-management-azmigrate/delegatedResourceManagementAzMigrate';
const SAMPLES: readonly Sample[] = [
  { template: `${D}/subscription/subscription.json`, parameters: `${D}/subscription/subscription.parameters.json`, shape: 'subscription', eligible: false },
  { template: `${D}/rg/rg.json`, parameters: `${D}/rg/rg.parameters.json`, shape: 'rg', eligible: false },
  { template: `${D}/rg/multi-rg.json`, parameters: `${D}/rg/multiple-rg.parameters.json`, shape: 'multi-rg', eligible: false },
  { template: `${E}/subscription/subscription.json`, parameters: `${E}/subscription/subscription.parameters.json`, shape: 'subscription', eligible: true },
  { template: `${E}/subscription/subscription-managing-tenant-approvers.json`, parameters: `${E}/subscription/subscription-managing-tenant-approvers.parameters.json`, shape: 'subscription', eligible: true },
  { template: `${E}/rg/rg.json`, parameters: `${E}/rg/rg.parameters.json`, shape: 'rg', eligible: true },
  { template: `${E}/rg/rg-managing-tenant-approvers.json`, parameters: `${E}/rg/rg-managing-tenant-approvers.parameters.json`, shape: 'rg', eligible: true },
  { template: `${E}/rg/multiple-rg.json`, parameters: `${E}/rg/multiple-rg.parameters.json`, shape: 'multi-rg', eligible: true },
  { template: `${E}/rg/multiple-rg-managing-tenant-approvers.json`, parameters: `${E}/rg/multiple-rg-managing-tenant-approvers.parameters.json`, shape: 'multi-rg', eligible: true },
  { template: `${M}.json`, parameters: `${M}.parameters.json`, shape: 'subscription', eligible: false },
  // The sample names plan marketplace-test.fabrikam-assessment.assessment 2.0.0, which nobody published here.
  { template: `${M}.json`, parameters: `${M}.parameters.json`, shape: 'subscription', eligible: false, extra: { marketplaceOffer: 'Yes' }, refusedWith: 'MarketplacePlanNotFound' },
  { template: `${A}.json`, parameters: `${A}.parameters.json`, shape: 'subscription', eligible: false },
  { template: `${A}.json`, shape: 'subscription', eligible: false },
  { template: `${H}/subscription/delegatedResourceManagement.json`, parameters: `${H}/subscription/delegatedResourceManagement.parameters.json`, shape: 'subscription', eligible: false },
  { template: `${H}/subscription/delegatedResourceManagement.json`, shape: 'subscription', eligible: false },
  { template: `${H}/rg/rgDelegatedResourceManagement.json`, parameters: `${H}/rg/rgDelegatedResourceManagement.parameters.json`, shape: 'rg', eligible: false },
];

const readJson = (rel: string) => parseTemplateJson(readFileSync(join(ROOT, rel), 'utf8')) as JsonObject;

// Replaces placeholder principal ids anywhere in a value: authorizations by the L2 group, approvers by the offboarding group.
function withPrincipals(value: JsonValue, w: DelegationWorld, approver = false): JsonValue {
  if (Array.isArray(value)) return value.map((v) => withPrincipals(v, w, approver));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'principalId' && v === PLACEHOLDER_PRINCIPAL) out[k] = approver ? w.offboarding.id : w.l2.id;
    else out[k] = withPrincipals(v, w, approver || k === 'managedByTenantApprovers');
  }
  return out;
}

/** The parameter values to send: the file's (or the template's defaults), placeholders replaced. */
function parametersFor(sample: Sample, w: DelegationWorld): Record<string, JsonValue> {
  const declared = readJson(sample.template).parameters as Record<string, JsonObject>;
  const defaults = Object.fromEntries(Object.entries(declared).filter(([, d]) => 'defaultValue' in d).map(([k, d]) => [k, d.defaultValue as JsonValue]));
  const file = sample.parameters ? Object.fromEntries(Object.entries(readJson(sample.parameters).parameters as Record<string, JsonObject>).map(([k, v]) => [k, v.value as JsonValue])) : {};
  const values = { ...defaults, ...file, ...sample.extra, managedByTenantId: w.contoso.id };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, withPrincipals(v, w)]));
}

interface Resource {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  plan?: Record<string, string>;
}

for (const database of testDatabases()) {
  describe(`Lighthouse sample templates through the deployments API (${database.name})`, { skip: SKIP_WITHOUT_SAMPLES }, () => {
    let lantern: TestLantern;
    let w: DelegationWorld;
    let token: string;

    before(async () => {
      lantern = await startTestLantern(database);
      w = await seedDelegationWorld(lantern.services);
      token = await w.deployer.token();
    });
    after(() => lantern.stop());

    for (const sample of SAMPLES) {
      const label = `${sample.template}${sample.parameters ? ' + parameters' : ' (default values)'}${sample.extra ? ` ${JSON.stringify(sample.extra)}` : ''}`;
      it(`deploys ${label} and yields exactly its definitions and assignments`, async () => {
        const values = parametersFor(sample, w);
        const groups = sample.shape === 'rg' ? [values.rgName as string] : sample.shape === 'multi-rg' ? (values.resourceGroups as { rgName: string }[]).map((g) => g.rgName) : [];
        const sub = `/subscriptions/${await addSubscription(lantern.services, w, groups)}`;
        const parameters = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));
        const deployed = await arm(lantern.httpUrl, 'PUT', `${sub}/providers/Microsoft.Resources/deployments/onboard?api-version=2021-04-01`, token, {
          location: 'westeurope',
          properties: { mode: 'Incremental', template: readJson(sample.template), parameters },
        });
        assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
        const props = deployed.body.properties as Record<string, unknown>;
        if (sample.refusedWith !== undefined) {
          assert.equal(props.provisioningState, 'Failed');
          assert.match(JSON.stringify(props.error), new RegExp(sample.refusedWith));
          assert.deepEqual((await arm(lantern.httpUrl, 'GET', `${sub}/${MS}/registrationDefinitions?api-version=${V}`, token)).body.value, [], 'nothing is delegated');
          return;
        }
        assert.equal(props.provisioningState, 'Succeeded', JSON.stringify(props.error));

        const definitions = ((await arm(lantern.httpUrl, 'GET', `${sub}/${MS}/registrationDefinitions?api-version=${V}`, token)).body.value as Resource[]);
        const assignments = ((await arm(lantern.httpUrl, 'GET', `${sub}/${MS}/registrationAssignments?api-version=${V}`, token)).body.value as Resource[]);
        const expectedNames = sample.shape === 'multi-rg' ? groups.map((g) => armGuid([g])) : [armGuid([values.mspOfferName as string])];
        assert.deepEqual(definitions.map((d) => d.name).sort(), [...expectedNames].sort(), 'definitions');
        for (const d of definitions) {
          assert.equal(d.properties.registrationDefinitionName, values.mspOfferName);
          assert.equal(d.properties.description, values.mspOfferDescription);
          assert.equal(d.properties.managedByTenantId, w.contoso.id);
          assert.equal(d.properties.managedByTenantName, 'Contoso');
          assert.deepEqual(d.properties.authorizations, values.authorizations);
          if (sample.eligible) assert.deepEqual(d.properties.eligibleAuthorizations, values.eligibleAuthorizations);
          else assert.equal(d.properties.eligibleAuthorizations, undefined);
          // A plan that is published delegates with its plan block: test/e2e/onboard.test.ts, offer-as-code.test.ts.
          assert.equal(d.plan, undefined);
        }
        const scopes = sample.shape === 'subscription' ? [sub] : groups.map((g) => `${sub}/resourceGroups/${g}`);
        const expectedAssignments = scopes.map((scope, i) => ({ id: `${scope}/${MS}/registrationAssignments/${expectedNames[sample.shape === 'multi-rg' ? i : 0]!}`, definition: `${sub}/${MS}/registrationDefinitions/${expectedNames[sample.shape === 'multi-rg' ? i : 0]!}` }));
        assert.deepEqual(
          assignments.map((a) => ({ id: a.id, definition: a.properties.registrationDefinitionId })).sort((a, b) => a.id.localeCompare(b.id)),
          expectedAssignments.sort((a, b) => a.id.localeCompare(b.id)),
          'assignments',
        );

        // One tenant-level entry per delegated scope in the managing tenant's log.
        const log = await lantern.services.activity.query({ tenantId: w.contoso.id, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
        const registered = log.filter((e) => e.operationName === 'Microsoft.Resources/tenants/register/action' && (e.description ?? '').includes(`"subscriptionId":"${sub.split('/')[2]!}"`));
        assert.deepEqual(registered.map((e) => (JSON.parse(e.description ?? '{}') as { delegationResourceId: string }).delegationResourceId).sort(), [...scopes].sort());

        const outputs = props.outputs as Record<string, { value: JsonValue }>;
        assert.equal(outputs.mspOfferName?.value, `Managed by ${values.mspOfferName as string}`);
        const operations = (await arm(lantern.httpUrl, 'GET', `${sub}/providers/Microsoft.Resources/deployments/onboard/operations?api-version=2021-04-01`, token)).body.value as { properties: { provisioningState: string } }[];
        const nestedCount = sample.shape === 'subscription' ? 0 : groups.length;
        assert.equal(operations.length, definitions.length + nestedCount + (sample.shape === 'subscription' ? assignments.length : 0));
        assert.ok(operations.every((o) => o.properties.provisioningState === 'Succeeded'));
      });
    }
  });
}
