/**
 * Marketplace registration definitions (read-only): the authorizations of a published managed
 * service plan, as Microsoft.ManagedServices shows them before a customer delegates anything. The
 * commerce plane feeds them through `MarketplaceDefinitionSource`; until it does, there are none.
 */
import type { Authorization, EligibleAuthorization, MarketplacePlan } from '../../core/delegation/model.js';

export interface MarketplaceRegistrationDefinition {
  /** `{publisher}.{product}.{planName}.{version}`, the resource name. */
  readonly marketplaceIdentifier: string;
  readonly plan: MarketplacePlan;
  readonly managedByTenantId: string;
  readonly authorizations: readonly Authorization[];
  readonly eligibleAuthorizations: readonly EligibleAuthorization[];
  readonly offerDisplayName?: string;
  readonly publisherDisplayName?: string;
  readonly planDisplayName?: string;
}

/** Where published plans come from. `scope` is a subscription or resource group, undefined at tenant level. */
export interface MarketplaceDefinitionSource {
  list(scope: string | undefined): Promise<readonly MarketplaceRegistrationDefinition[]>;
}

/** The source used until the marketplace publishes plans. */
export const noMarketplaceDefinitions: MarketplaceDefinitionSource = {
  list: () => Promise.resolve([]),
};
