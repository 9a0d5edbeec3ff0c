/**
 * What the storefront answers (`GET /marketplace/offers[/{id}]`): the offer summaries of a search and
 * an offer's page. Shared by the storefront service, which builds them, and the portal, which shows them.
 */
import type { OfferListing } from './model.js';

export interface RoleRef {
  readonly roleDefinitionId: string;
  readonly roleName?: string;
}

export interface PlanAccess extends RoleRef {
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  readonly accessType: 'active' | 'eligible';
  /** User Access Administrator only: the roles it may assign to managed identities. */
  readonly delegatedRoles?: readonly RoleRef[];
  readonly justInTimeAccessPolicy?: {
    readonly multiFactorAuthProvider: 'Azure' | 'None';
    readonly maximumActivationDuration: string;
    readonly managedByTenantApprovers: readonly { readonly principalId: string; readonly principalIdDisplayName?: string }[];
  };
}

export interface StorefrontPlan {
  readonly planId: string;
  /** `{publisher}.{offer}.{plan}.{version}`, as marketplace registration definitions name it. */
  readonly planIdentifier: string;
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly pricing: 'byol';
  /** Shown to this customer as a private product. */
  readonly privateProduct: boolean;
  readonly version: string;
  readonly managedByTenantId: string;
  readonly authorizations: readonly PlanAccess[];
}

export interface StorefrontOfferSummary {
  /** `{publisherId}.{offerId}`, the marketplace's marketing identifier. */
  readonly id: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly publisherDisplayName: string;
  readonly name: string;
  readonly searchResultsSummary: string;
  readonly shortDescription: string;
  readonly categories: readonly { readonly category: string; readonly subcategories: readonly string[] }[];
  readonly preview: boolean;
  readonly hasPrivateProducts: boolean;
  readonly smallLogoUrl?: string;
  readonly plans: readonly { readonly planId: string; readonly name: string; readonly summary: string; readonly privateProduct: boolean }[];
  readonly url: string;
}

export interface StorefrontOfferPage extends StorefrontOfferSummary {
  /** The published offer version shown. */
  readonly offerVersion: number;
  readonly description: string;
  readonly media: {
    readonly logos: { readonly large?: string; readonly medium?: string; readonly small?: string };
    readonly screenshots: readonly { readonly caption: string; readonly url: string }[];
    readonly videos: readonly { readonly name: string; readonly url: string; readonly thumbnailUrl: string }[];
  };
  readonly links: {
    readonly usefulLinks: readonly { readonly name: string; readonly url: string }[];
    readonly supportUrls: OfferListing['supportUrls'];
  };
  readonly legalTerms: {
    /** The publisher's terms and conditions: text or a link. */
    readonly termsAndConditions?: { readonly kind: 'text'; readonly text: string } | { readonly kind: 'url'; readonly url: string };
    readonly privacyPolicyUrl: string;
  };
  readonly plans: readonly StorefrontPlan[];
}
