/**
 * The managed service offer as Partner Center holds it: setup (customer leads), properties, listing,
 * preview audience and plans with their versioned manifests. Plain, JSON-like, readonly data: every
 * change produces a new value, so a published version can be kept as an immutable snapshot.
 */

/** Destination types, named as the ingestion API's `leadDestination` values. */
export type LeadDestinationType =
  | 'none'
  | 'httpsEndpoint'
  | 'table'
  | 'dynamics'
  | 'salesforce'
  | 'marketo'
  | 'email'
  | 'blob';

interface WithContacts {
  /** Notification recipients (the portal's `;`-separated "Contact email"). */
  readonly contactEmails: readonly string[];
}

export type LeadDestination =
  | { readonly type: 'none' }
  | ({
      readonly type: 'httpsEndpoint';
      readonly httpsEndpointUrl: string;
      /** Lantern's addition: the shared secret the HMAC-SHA256 signature of each lead is keyed with. */
      readonly signingSecret?: string;
    } & WithContacts)
  | ({ readonly type: 'table'; readonly storageAccountConnectionString: string } & WithContacts)
  | ({
      readonly type: 'dynamics';
      readonly instanceUrl: string;
      readonly authentication: 'azureAD';
      readonly applicationId: string;
      readonly applicationKey: string;
      readonly directoryId: string;
    } & WithContacts)
  | ({
      readonly type: 'dynamics';
      readonly instanceUrl: string;
      readonly authentication: 'office365';
      readonly username: string;
      readonly password: string;
    } & WithContacts)
  | ({ readonly type: 'salesforce'; readonly objectIdentifier: string } & WithContacts)
  | ({
      readonly type: 'marketo';
      readonly munchkinId: string;
      readonly formId: string;
      readonly clientId: string;
      readonly clientSecret: string;
    } & WithContacts)
  | ({ readonly type: 'email' } & WithContacts)
  | ({ readonly type: 'blob'; readonly storageAccountConnectionString: string; readonly containerName: string } & WithContacts);

export interface OfferSetup {
  readonly customerLeads: LeadDestination;
}

export interface CategorySelection {
  readonly category: string;
  readonly subcategories: readonly string[];
}

export type TermsAndConditions = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'url'; readonly url: string };

export interface OfferProperties {
  readonly categories: readonly CategorySelection[];
  readonly terms?: TermsAndConditions;
}

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

export interface Link {
  readonly name: string;
  readonly url: string;
}

/** An uploaded image, checked by its bytes. */
export interface ImageAsset {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface Screenshot {
  readonly caption: string;
  readonly image: ImageAsset;
}

export interface Video {
  readonly name: string;
  /** YouTube or Vimeo link. */
  readonly url: string;
  readonly thumbnail: ImageAsset;
}

export interface OfferListing {
  readonly name: string;
  readonly searchResultsSummary: string;
  readonly shortDescription: string;
  /** Rich text: only `b i br p ul ol li h1…h6`. */
  readonly description: string;
  readonly privacyPolicyUrl: string;
  readonly usefulLinks: readonly Link[];
  readonly supportContact: Contact;
  readonly engineeringContact: Contact;
  readonly supportUrls: { readonly azureGlobal?: string; readonly azureGovernment?: string };
  /** Large is uploaded; medium and small are derived from it unless replaced (see `logoRenditions`). */
  readonly logos: { readonly large?: ImageAsset; readonly medium?: ImageAsset; readonly small?: ImageAsset };
  readonly screenshots: readonly Screenshot[];
  readonly videos: readonly Video[];
}

/** One audience row, as in the portal's CSV (`Id`, `Description`, `Type`). */
export interface AudienceMember {
  /** Azure subscription ID. */
  readonly id: string;
  readonly description?: string;
  /** Managed service audiences are subscriptions; other types come only from foreign input and are rejected. */
  readonly type: 'subscription' | 'tenant' | 'ea' | 'msdn';
}

export type AccessType = 'active' | 'eligible';

export interface Approver {
  readonly principalId: string;
  readonly displayName: string;
}

/** The just-in-time policy of an eligible authorization. */
export interface JustInTimePolicy {
  /** ISO-8601 duration, PT30M … PT8H. */
  readonly maximumDuration: string;
  readonly requireMfa: boolean;
  /** None means the principal activates itself. */
  readonly approvers: readonly Approver[];
}

export interface PlanAuthorization {
  /** Shown to the customer when delegating. */
  readonly displayName: string;
  /** Object id in the managing tenant: user, security group or service principal. */
  readonly principalId: string;
  /** Bare built-in role GUID. */
  readonly roleDefinitionId: string;
  readonly accessType: AccessType;
  /** Only with User Access Administrator: roles the principal may assign to managed identities. */
  readonly assignableRoleIds?: readonly string[];
  /** Only for eligible authorizations. */
  readonly justInTime?: JustInTimePolicy;
}

export interface Manifest {
  /** `n.n.n`, strictly increasing along `TechnicalConfiguration.manifests`. */
  readonly version: string;
  /** The managing (publisher's) tenant. */
  readonly tenantId: string;
  readonly authorizations: readonly PlanAuthorization[];
}

export interface TechnicalConfiguration {
  /** Oldest first; the last one is current. Published manifests stay as they were, new ones are appended. */
  readonly manifests: readonly Manifest[];
}

export type PlanVisibility = 'public' | 'private';

export interface Plan {
  /** Immutable after creation; visible to customers. */
  readonly id: string;
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly pricing: 'byol';
  readonly visibility: PlanVisibility;
  readonly privateAudience: readonly AudienceMember[];
  readonly technicalConfiguration: TechnicalConfiguration;
}

export interface Offer {
  /** Immutable after creation, unique per publisher. */
  readonly id: string;
  readonly publisherId: string;
  /** Partner Center only; never shown to customers. */
  readonly alias: string;
  readonly setup: OfferSetup;
  readonly properties: OfferProperties;
  readonly listing: OfferListing;
  readonly previewAudience: readonly AudienceMember[];
  readonly plans: readonly Plan[];
  /** Notes for certification (testing instructions). */
  readonly certificationNotes?: string;
}

/** The current (last) manifest of a plan, if any. */
export function currentManifest(plan: Plan): Manifest | undefined {
  return plan.technicalConfiguration.manifests.at(-1);
}
