/**
 * Marketplace registration definitions (read-only): the authorizations of a published managed
 * service plan, as Microsoft.ManagedServices shows them before a customer delegates anything, and
 * whether a subscription may acquire a plan version now. The commerce plane feeds both through
 * `MarketplaceDefinitionSource`, deciding with the core's one visibility rule; until it does, there
 * are none.
 */
import type { Authorization, EligibleAuthorization, MarketplacePlan } from '../../core/delegation/model.js';
import type { PlanAvailability } from '../../core/marketplace/visibility.js';
import type { Repositories } from '../../storage/port.js';

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
  /**
   * Whether `subscriptionId` may acquire `plan` now, read through `repos` (the writer's transaction).
   * `keepVersion` is a version the subscription already holds (re-confirming it is not stale).
   */
  availability(repos: Repositories, subscriptionId: string, plan: MarketplacePlan, keepVersion?: string): Promise<PlanAvailability>;
}

/** The source used until the marketplace publishes plans. */
export const noMarketplaceDefinitions: MarketplaceDefinitionSource = {
  list: () => Promise.resolve([]),
  availability: () => Promise.resolve({ kind: 'notOffered' }),
};
