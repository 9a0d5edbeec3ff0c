/**
 * Marketplace registration definition identifiers (lighthouse.md §1.2): a plan version is named
 * `{publisher}.{product}.{planName}.{version}`, and look-ups accept that name or any shorter prefix
 * form, with a `-preview` product matching the product it previews.
 */
import type { MarketplacePlan } from './model.js';

/** The identifier of a plan version: `{publisher}.{product}.{planName}.{version}`. */
export function marketplaceIdentifierOf(plan: MarketplacePlan): string {
  return `${plan.publisher}.${plan.product}.${plan.name}.${plan.version}`;
}

/**
 * True when `identifier` names the plan in one of the accepted forms
 * `{publisher}.{product}.{planName}.{version}` | `{publisher}.{product}.{planName}` |
 * `{publisher}.{product}` | `{publisher}` (case-insensitive).
 */
export function matchesMarketplaceIdentifier(plan: MarketplacePlan, identifier: string): boolean {
  const wanted = identifier.toLowerCase();
  const { publisher, product, name, version } = plan;
  const products = [product.toLowerCase(), `${product.toLowerCase().replace(/-preview$/, '')}-preview`];
  const forms = products.flatMap((p) => [
    `${publisher}.${p}.${name}.${version}`.toLowerCase(),
    `${publisher}.${p}.${name}`.toLowerCase(),
    `${publisher}.${p}`.toLowerCase(),
  ]);
  return wanted === publisher.toLowerCase() || forms.includes(wanted);
}
