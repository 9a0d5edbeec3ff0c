/**
 * The ARM template + parameters file that onboard a customer subscription to a plan on real Azure, in the
 * shape of Azure-Lighthouse-samples' marketplace-delegated-resource-management: a subscription-level
 * deployment of one registration definition and one assignment, both named guid(mspOfferName), carrying the
 * marketplace `plan` block (publisher, offer, plan, manifest version).
 */
import { DomainError } from '../errors.js';
import type { Offer, Plan, PlanAuthorization } from './model.js';

const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const PARAMETERS_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#';
// The samples' api-version; eligible authorizations need a version that knows them.
const API_VERSION = '2019-06-01';
const ELIGIBLE_API_VERSION = '2022-10-01';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface OnboardingTemplate {
  readonly template: JsonObject;
  readonly parameters: JsonObject;
}

function param(type: string, description: string, defaultValue?: JsonValue): JsonObject {
  return { type, ...(defaultValue === undefined ? {} : { defaultValue }), metadata: { description } };
}

function activeAuthorization(a: PlanAuthorization): JsonObject {
  return {
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    principalIdDisplayName: a.displayName,
    ...(a.assignableRoleIds === undefined || a.assignableRoleIds.length === 0 ? {} : { delegatedRoleDefinitionIds: [...a.assignableRoleIds] }),
  };
}

function eligibleAuthorization(a: PlanAuthorization): JsonObject {
  const jit = a.justInTime;
  return {
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    principalIdDisplayName: a.displayName,
    justInTimeAccessPolicy: {
      multiFactorAuthProvider: jit?.requireMfa === true ? 'Azure' : 'None',
      maximumActivationDuration: jit?.maximumDuration ?? 'PT8H',
      ...(jit === undefined || jit.approvers.length === 0
        ? {}
        : { managedByTenantApprovers: jit.approvers.map((ap) => ({ principalId: ap.principalId, principalIdDisplayName: ap.displayName })) }),
    },
  };
}

/** The registration-definition name customers see; the samples use "<offer> - <plan>". Renaming yields a new definition. */
export function mspOfferName(offer: Offer, plan: Plan): string {
  return `${offer.listing.name} - ${plan.name}`;
}

/** The template and parameters that onboard a subscription to `planId` at manifest `version` (a plain JSON pair). */
export function planOnboardingTemplate(offer: Offer, planId: string, version: string): OnboardingTemplate {
  const plan = offer.plans.find((p) => p.id === planId);
  if (plan === undefined) throw new DomainError('not_found', 'resourceNotFound', `Offer ${offer.id} has no plan "${planId}".`);
  const manifest = plan.technicalConfiguration.manifests.find((m) => m.version === version);
  if (manifest === undefined) {
    throw new DomainError('not_found', 'resourceNotFound', `Plan "${planId}" of offer ${offer.id} has no manifest version ${version}.`);
  }
  const active = manifest.authorizations.filter((a) => a.accessType === 'active');
  const eligible = manifest.authorizations.filter((a) => a.accessType === 'eligible');
  const hasEligible = eligible.length > 0;

  const parameters: Record<string, JsonObject> = {
    mspOfferName: param('string', "Provide a name for this registration definition: the Managed Service Provider's offer."),
    mspOfferDescription: param('string', 'Provide a description for this registration definition.'),
    managedByTenantId: param('string', "The Microsoft Entra tenant id of the Managed Service Provider. Resources are delegated to this tenant."),
    authorizations: param('array', 'Principals of the managing tenant (principalId, roleDefinitionId, principalIdDisplayName) and the built-in role each gets.'),
    ...(hasEligible ? { eligibleAuthorizations: param('array', 'Principals that may elevate just in time, with their policy.') } : {}),
    marketplaceOffer: param('string', 'Does this deployment include plan details that match an offer published in the marketplace?', 'Yes'),
    marketplacePublisherId: param('string', 'Must match the marketplace Publisher ID for the offer.', ''),
    marketplaceOfferId: param('string', 'Must match the marketplace Offer ID.', ''),
    marketplacePlanId: param('string', 'Must match the marketplace Plan ID within the offer.', ''),
    marketplacePlanVersion: param('string', 'Must match the marketplace plan (manifest) version.', ''),
  };

  const template: JsonObject = {
    $schema: TEMPLATE_SCHEMA,
    contentVersion: '1.0.0.0',
    parameters,
    variables: {
      mspRegistrationName: "[guid(parameters('mspOfferName'))]",
      mspAssignmentName: "[guid(parameters('mspOfferName'))]",
      marketplacePlan: {
        name: "[parameters('marketplacePlanId')]",
        product: "[parameters('marketplaceOfferId')]",
        publisher: "[parameters('marketplacePublisherId')]",
        version: "[parameters('marketplacePlanVersion')]",
      },
    },
    resources: [
      {
        type: 'Microsoft.ManagedServices/registrationDefinitions',
        apiVersion: hasEligible ? ELIGIBLE_API_VERSION : API_VERSION,
        name: "[variables('mspRegistrationName')]",
        properties: {
          registrationDefinitionName: "[parameters('mspOfferName')]",
          description: "[parameters('mspOfferDescription')]",
          managedByTenantId: "[parameters('managedByTenantId')]",
          authorizations: "[parameters('authorizations')]",
          ...(hasEligible ? { eligibleAuthorizations: "[parameters('eligibleAuthorizations')]" } : {}),
        },
        plan: "[if(equals(parameters('marketplaceOffer'), 'Yes'), variables('marketplacePlan'), json('null'))]",
      },
      {
        type: 'Microsoft.ManagedServices/registrationAssignments',
        apiVersion: hasEligible ? ELIGIBLE_API_VERSION : API_VERSION,
        name: "[variables('mspAssignmentName')]",
        dependsOn: ["[resourceId('Microsoft.ManagedServices/registrationDefinitions/', variables('mspRegistrationName'))]"],
        properties: { registrationDefinitionId: "[resourceId('Microsoft.ManagedServices/registrationDefinitions/', variables('mspRegistrationName'))]" },
      },
    ],
    outputs: {
      mspOfferName: { type: 'string', value: "[concat('Managed by', ' ', parameters('mspOfferName'))]" },
      authorizations: { type: 'array', value: "[parameters('authorizations')]" },
      marketplace: {
        type: 'object',
        value: "[if(equals(parameters('marketplaceOffer'), 'Yes'), variables('marketplacePlan'), json('{\"offer\": \"No marketplace offer\"}'))]",
      },
    },
  };

  const values: Record<string, JsonValue> = {
    mspOfferName: mspOfferName(offer, plan),
    mspOfferDescription: plan.summary,
    managedByTenantId: manifest.tenantId,
    authorizations: active.map(activeAuthorization),
    ...(hasEligible ? { eligibleAuthorizations: eligible.map(eligibleAuthorization) } : {}),
    marketplaceOffer: 'Yes',
    marketplacePublisherId: offer.publisherId,
    marketplaceOfferId: offer.id,
    marketplacePlanId: plan.id,
    marketplacePlanVersion: manifest.version,
  };
  return {
    template,
    parameters: {
      $schema: PARAMETERS_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }])),
    },
  };
}
