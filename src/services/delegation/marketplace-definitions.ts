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

/** The identifier of a plan version: `{publisher}.{product}.{planName}.{version}`. */
export function marketplaceIdentifierOf(plan: MarketplacePlan): string {
  return `${plan.publisher}.${plan.product}.${plan.name}.${plan.version}`;
}

/**
 * True when `identifier` names the definition in one of the accepted forms
 * `{publisher}.{product}.{planName}.{version}` | `{publisher}.{product}.{planName}` |
 * `{publisher}.{product}` | `{publisher}` (case-insensitive). A `-preview` product suffix matches
 * the product it previews.
 */
export function matchesMarketplaceIdentifier(definition: MarketplaceRegistrationDefinition, identifier: string): boolean {
  const wanted = identifier.toLowerCase();
  const { publisher, product, name, version } = definition.plan;
  const products = [product.toLowerCase(), `${product.toLowerCase().replace(/-preview$/, '')}-preview`];
  const forms = products.flatMap((p) => [
    `${publisher}.${p}.${name}.${version}`.toLowerCase(),
    `${publisher}.${p}.${name}`.toLowerCase(),
    `${publisher}.${p}`.toLowerCase(),
  ]);
  return wanted === publisher.toLowerCase() || forms.includes(wanted);
}
