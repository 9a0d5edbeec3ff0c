/**
 * Feeds Microsoft.ManagedServices' read-only marketplace registration definitions from the
 * published offers: which version and plans a subscription may see is decided by the core
 * (preview audience, private audiences, stopped plans); every manifest version of a visible plan
 * is listed, since customers accept one specific version.
 */
import type { Authorization, EligibleAuthorization } from '../../core/delegation/model.js';
import type { Manifest, Offer, Plan } from '../../core/marketplace/model.js';
import { visibleVersion } from '../../core/marketplace/pipeline.js';
import { availablePlans, inPreviewAudience } from '../../core/marketplace/versions.js';
import { parseScope } from '../../core/scope.js';
import type { Store } from '../../storage/port.js';
import type { MarketplaceDefinitionSource, MarketplaceRegistrationDefinition } from '../delegation/marketplace-definitions.js';
import { marketplaceDocs } from './records.js';

function definition(offer: Offer, publisherName: string, plan: Plan, manifest: Manifest): MarketplaceRegistrationDefinition {
  const authorizations: Authorization[] = manifest.authorizations
    .filter((a) => a.accessType === 'active')
    .map((a) => ({
      principalId: a.principalId,
      principalIdDisplayName: a.displayName,
      roleDefinitionId: a.roleDefinitionId,
      ...(a.assignableRoleIds === undefined || a.assignableRoleIds.length === 0 ? {} : { delegatedRoleDefinitionIds: [...a.assignableRoleIds] }),
    }));
  const eligibleAuthorizations: EligibleAuthorization[] = manifest.authorizations
    .filter((a) => a.accessType === 'eligible' && a.justInTime !== undefined)
    .map((a) => ({
      principalId: a.principalId,
      principalIdDisplayName: a.displayName,
      roleDefinitionId: a.roleDefinitionId,
      justInTimeAccessPolicy: {
        multiFactorAuthProvider: a.justInTime?.requireMfa === true ? 'Azure' : 'None',
        maximumActivationDuration: a.justInTime?.maximumDuration ?? 'PT8H',
        managedByTenantApprovers: (a.justInTime?.approvers ?? []).map((ap) => ({ principalId: ap.principalId, principalIdDisplayName: ap.displayName })),
      },
    }));
  const planRef = { publisher: offer.publisherId, product: offer.id, name: plan.id, version: manifest.version };
  return {
    marketplaceIdentifier: `${planRef.publisher}.${planRef.product}.${planRef.name}.${planRef.version}`,
    plan: planRef,
    managedByTenantId: manifest.tenantId,
    authorizations,
    eligibleAuthorizations,
    offerDisplayName: offer.listing.name,
    publisherDisplayName: publisherName,
    planDisplayName: plan.name,
  };
}

/** The published plans as marketplace registration definitions, for the delegation service. */
export function publishedPlanDefinitions(store: Store): MarketplaceDefinitionSource {
  return {
    async list(scope) {
      const subscriptionId = scope === undefined ? undefined : parseScope(scope).subscriptionId;
      const subscriptions = subscriptionId === undefined ? [] : [subscriptionId];
      const docs = marketplaceDocs(store);
      const out: MarketplaceRegistrationDefinition[] = [];
      for (const record of await docs.listOffers()) {
        const p = record.publication;
        const preview = p.previewVersion === undefined ? undefined : await docs.getVersion(record.publisherId, record.offerId, p.previewVersion);
        const asPreviewAudience = preview !== undefined && inPreviewAudience(preview.offer, subscriptions);
        const number = visibleVersion(p, asPreviewAudience);
        const version = number === undefined ? undefined : number === preview?.number ? preview : await docs.getVersion(record.publisherId, record.offerId, number);
        if (version === undefined) continue;
        const publisherName = (await docs.getPublisher(record.publisherId))?.account.displayName ?? record.publisherId;
        for (const plan of availablePlans(version.offer, { subscriptionIds: subscriptions, asPreviewAudience }, p.stoppedPlanIds)) {
          for (const manifest of plan.technicalConfiguration.manifests) out.push(definition(version.offer, publisherName, plan, manifest));
        }
      }
      return out;
    },
  };
}
