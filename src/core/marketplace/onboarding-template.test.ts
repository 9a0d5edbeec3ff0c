import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import type { Offer } from './model.js';
import { addManifest, updatePlan } from './offer.js';
import { planOnboardingTemplate } from './onboarding-template.js';
import { CONTOSO_TENANT, contosoOffer, L1_SUPPORT, L2_ENGINEERS, OFFBOARDING } from './test-fixtures.js';

type Obj = Record<string, unknown>;

/** Every `parameters('x')` the template uses. */
function referencedParameters(template: unknown): Set<string> {
  const found = new Set<string>();
  for (const m of JSON.stringify(template).matchAll(/parameters\('([^']+)'\)/g)) found.add(m[1]!);
  return found;
}

describe('planOnboardingTemplate', () => {
  it('produces the samples’ subscription-level definition + assignment for plan gold 1.0.0', () => {
    const { template, parameters } = planOnboardingTemplate(contosoOffer(), 'gold', '1.0.0') as { template: Obj; parameters: Obj };
    assert.equal(template.$schema, 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#');
    assert.equal(parameters.$schema, 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#');
    assert.deepEqual(template.variables, {
      mspRegistrationName: "[guid(parameters('mspOfferName'))]",
      mspAssignmentName: "[guid(parameters('mspOfferName'))]",
      marketplacePlan: {
        name: "[parameters('marketplacePlanId')]",
        product: "[parameters('marketplaceOfferId')]",
        publisher: "[parameters('marketplacePublisherId')]",
        version: "[parameters('marketplacePlanVersion')]",
      },
    });
    const [definition, assignment] = template.resources as Obj[];
    assert.equal(definition?.type, 'Microsoft.ManagedServices/registrationDefinitions');
    assert.equal(definition?.apiVersion, '2019-06-01');
    assert.equal(definition?.plan, "[if(equals(parameters('marketplaceOffer'), 'Yes'), variables('marketplacePlan'), json('null'))]");
    assert.equal(assignment?.type, 'Microsoft.ManagedServices/registrationAssignments');
    assert.deepEqual(assignment?.dependsOn, ["[resourceId('Microsoft.ManagedServices/registrationDefinitions/', variables('mspRegistrationName'))]"]);

    const values = Object.fromEntries(Object.entries(parameters.parameters as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
    assert.deepEqual(values, {
      mspOfferName: 'Contoso Managed Operations - Gold',
      mspOfferDescription: 'Full operations with L1 and L2 support.',
      managedByTenantId: CONTOSO_TENANT,
      authorizations: [
        { principalId: L2_ENGINEERS, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: 'Contoso L2 Engineers' },
        { principalId: L1_SUPPORT, roleDefinitionId: READER, principalIdDisplayName: 'Contoso L1 Support' },
        { principalId: OFFBOARDING, roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE, principalIdDisplayName: 'Contoso Offboarding' },
      ],
      marketplaceOffer: 'Yes',
      marketplacePublisherId: 'contoso',
      marketplaceOfferId: 'contoso-managed-ops',
      marketplacePlanId: 'gold',
      marketplacePlanVersion: '1.0.0',
    });
    const declared = Object.keys(template.parameters as Obj);
    assert.deepEqual([...referencedParameters(template)].sort(), [...declared].sort());
    assert.deepEqual(Object.keys(values).sort(), [...declared].sort());
  });

  it('adds eligible authorizations (and the api-version that knows them) and UAA delegated roles', () => {
    const offer: Offer = updatePlan(contosoOffer(), 'gold', (p) =>
      addManifest(p, '1.1.0', {
        tenantId: CONTOSO_TENANT,
        authorizations: [
          ...p.technicalConfiguration.manifests[0]!.authorizations,
          { displayName: 'Policy remediation', principalId: L2_ENGINEERS, roleDefinitionId: USER_ACCESS_ADMINISTRATOR, accessType: 'active', assignableRoleIds: [CONTRIBUTOR] },
          { displayName: 'JIT', principalId: L1_SUPPORT, roleDefinitionId: CONTRIBUTOR, accessType: 'eligible', justInTime: { maximumDuration: 'PT1H', requireMfa: true, approvers: [{ principalId: L2_ENGINEERS, displayName: 'L2' }] } },
        ],
      }),
    );
    const { template, parameters } = planOnboardingTemplate(offer, 'gold', '1.1.0') as unknown as { template: Obj; parameters: { parameters: Record<string, { value: unknown }> } };
    const [definition] = template.resources as Obj[];
    assert.equal(definition?.apiVersion, '2022-10-01');
    assert.equal((definition?.properties as Obj).eligibleAuthorizations, "[parameters('eligibleAuthorizations')]");
    assert.deepEqual(parameters.parameters.eligibleAuthorizations?.value, [
      {
        principalId: L1_SUPPORT,
        roleDefinitionId: CONTRIBUTOR,
        principalIdDisplayName: 'JIT',
        justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT1H', managedByTenantApprovers: [{ principalId: L2_ENGINEERS, principalIdDisplayName: 'L2' }] },
      },
    ]);
    const active = parameters.parameters.authorizations?.value as Obj[];
    assert.deepEqual(active.at(-1)?.delegatedRoleDefinitionIds, [CONTRIBUTOR]);
    assert.equal(parameters.parameters.marketplacePlanVersion?.value, '1.1.0');
    const older = planOnboardingTemplate(offer, 'gold', '1.0.0') as unknown as { parameters: { parameters: Record<string, { value: unknown }> } };
    assert.equal((older.parameters.parameters.authorizations?.value as unknown[]).length, 3, 'each manifest version onboards as it was published');
  });

  it('names a missing plan or version', () => {
    assert.throws(() => planOnboardingTemplate(contosoOffer(), 'platinum', '1.0.0'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found' && /platinum/.test(e.message));
    assert.throws(() => planOnboardingTemplate(contosoOffer(), 'gold', '2.0.0'), (e: unknown) => e instanceof DomainError && /2\.0\.0/.test(e.message));
  });
});
