/**
 * The product-ingestion ("configure") API's vocabulary: resource schema URLs, durable ids, error shape,
 * target types, and the managed-service technical-configuration resource Microsoft never published and
 * Lantern defines under its own namespace.
 */
import { armGuid } from '../templates/arm-guid.js';

/** Both documented hosts serve the same schemas. */
export const MICROSOFT_SCHEMA_BASES = ['https://schema.mp.microsoft.com/schema', 'https://product-ingestion.azureedge.net/schema'] as const;

/** Lantern's own schema namespace (one constant, so a deployment can serve the schemas itself). */
export const LANTERN_SCHEMA_BASE = 'https://schema.lantern.example/schema';

export const TECHNICAL_CONFIGURATION_TYPE = 'managed-service-plan-technical-configuration';

export type ResourceType =
  | 'configure'
  | 'product'
  | 'customer-leads'
  | 'property'
  | 'listing'
  | 'listing-asset'
  | 'listing-trailer'
  | 'price-and-availability-offer'
  | 'plan'
  | 'plan-listing'
  | 'price-and-availability-plan'
  | 'price-and-availability-update-private-audiences'
  | 'submission'
  | typeof TECHNICAL_CONFIGURATION_TYPE;

/** Documented schema versions per resource type; the first is the one Lantern writes. */
export const SCHEMA_VERSIONS: Readonly<Record<ResourceType, readonly string[]>> = {
  configure: ['2022-03-01-preview2'],
  product: ['2022-03-01-preview3'],
  'customer-leads': ['2022-03-01-preview3', '2022-03-01-preview2'],
  property: ['2022-03-01-preview5'],
  listing: ['2022-03-01-preview5'],
  'listing-asset': ['2022-03-01-preview5'],
  'listing-trailer': ['2022-03-01-preview5'],
  'price-and-availability-offer': ['2022-03-01-preview3'],
  plan: ['2022-03-01-preview2', '2022-03-01-preview3'],
  'plan-listing': ['2022-03-01-preview5'],
  'price-and-availability-plan': ['2022-03-01-preview4'],
  'price-and-availability-update-private-audiences': ['2022-03-01-preview3'],
  submission: ['2022-03-01-preview2'],
  [TECHNICAL_CONFIGURATION_TYPE]: ['2026-01-01'],
};

/**
 * Lantern's technical-configuration resource for a managed service plan. It mirrors ARM's
 * `registrationDefinitions` properties, one entry per manifest version (oldest first, published ones
 * unchanged):
 *
 * ```json
 * { "$schema": "https://schema.lantern.example/schema/managed-service-plan-technical-configuration/2026-01-01",
 *   "product": "product/<guid>" | {"externalId": "…"} | {"resourceName": "…"},
 *   "plan": "plan/<product guid>/<plan guid>" | {"externalId": "…"} | {"resourceName": "…"},
 *   "manifests": [ {
 *     "version": "1.0.0",                       // n.n.n, strictly increasing
 *     "tenantId": "<managing tenant GUID>",
 *     "authorizations": [                       // Active (permanent)
 *       { "principalId": "<GUID>", "principalIdDisplayName": "Contoso L2 Engineers",
 *         "roleDefinitionId": "<built-in role GUID>",
 *         "delegatedRoleDefinitionIds": ["<GUID>"] } ],   // only with User Access Administrator
 *     "eligibleAuthorizations": [               // Eligible (just in time)
 *       { "principalId": "<GUID>", "principalIdDisplayName": "…", "roleDefinitionId": "<GUID>",
 *         "justInTimeAccessPolicy": { "multiFactorAuthProvider": "Azure" | "None",
 *           "maximumActivationDuration": "PT30M" … "PT8H",
 *           "managedByTenantApprovers": [ { "principalId": "<GUID>", "principalIdDisplayName": "…" } ] } } ] } ] }
 * ```
 * Within a manifest Lantern lists Active authorizations before Eligible ones.
 */
export const TECHNICAL_CONFIGURATION_SCHEMA = `${LANTERN_SCHEMA_BASE}/${TECHNICAL_CONFIGURATION_TYPE}/2026-01-01`;

/** The schema URL Lantern writes for a resource type. */
export function schemaUrl(type: ResourceType): string {
  const base = type === TECHNICAL_CONFIGURATION_TYPE ? LANTERN_SCHEMA_BASE : MICROSOFT_SCHEMA_BASES[0];
  return `${base}/${type}/${SCHEMA_VERSIONS[type][0] ?? ''}`;
}

/** The resource type a `$schema` URL names, or undefined when it is not a documented one. */
export function resourceTypeOf(schema: string): ResourceType | undefined {
  const bases: readonly string[] = [...MICROSOFT_SCHEMA_BASES, LANTERN_SCHEMA_BASE];
  const base = bases.find((b) => schema.startsWith(`${b}/`));
  if (base === undefined) return undefined;
  const [type, version, ...rest] = schema.slice(base.length + 1).split('/');
  if (type === undefined || version === undefined || rest.length > 0 || !(type in SCHEMA_VERSIONS)) return undefined;
  const known = type as ResourceType;
  if ((known === TECHNICAL_CONFIGURATION_TYPE) !== (base === LANTERN_SCHEMA_BASE)) return undefined;
  return SCHEMA_VERSIONS[known].includes(version) ? known : undefined;
}

export type TargetType = 'draft' | 'preview' | 'live';

/**
 * Reads a `targetType`, tolerating the quotes the docs print (`targetType="preview"`), which Microsoft's API
 * rejects (pain 20). Undefined when the value is not draft, preview or live.
 */
export function parseTargetType(value: string): TargetType | undefined {
  const bare = value.trim().replace(/^(["'])(.*)\1$/, '$2').trim().toLowerCase();
  return bare === 'draft' || bare === 'preview' || bare === 'live' ? bare : undefined;
}

/** Inner error codes of the ingestion API. */
export type IngestionErrorCode =
  | 'businessValidationError'
  | 'collectionLimitExceeded'
  | 'invalidId'
  | 'invalidEntityStatus'
  | 'invalidRequest'
  | 'invalidResource'
  | 'invalidState'
  | 'notDeployed'
  | 'notSupported'
  | 'operationCanceled'
  | 'productLocked'
  | 'resourceNotFound'
  | 'schemaValidationError';

/** One error of a configure job, naming the resource (durable id, or `resources[i]`) and the field at fault. */
export interface IngestionError {
  readonly code: IngestionErrorCode;
  readonly message: string;
  readonly resource: string;
  /** JSON path inside the resource. */
  readonly target?: string;
  /** The Lantern rule id when the error comes from offer validation. */
  readonly rule?: string;
}

/** Durable ids of one offer's resources, derived from publisher and offer id so they are stable across pushes. */
export class DurableIds {
  readonly productGuid: string;
  constructor(publisherId: string, offerId: string);
  /** The ids of the product whose durable id has this GUID (every other id derives from it). */
  constructor(product: { readonly productGuid: string });
  constructor(publisherOrProduct: string | { readonly productGuid: string }, offerId?: string) {
    this.productGuid = typeof publisherOrProduct === 'string' ? armGuid(['lantern-product', publisherOrProduct, offerId ?? '']) : publisherOrProduct.productGuid;
  }
  /** `product/<guid>`. */
  product(): string {
    return `product/${this.productGuid}`;
  }
  /** The GUID part of a plan's durable id. */
  planGuid(planId: string): string {
    return armGuid(['lantern-plan', this.productGuid, planId]);
  }
  /** `plan/<product>/<plan>`. */
  plan(planId: string): string {
    return `plan/${this.productGuid}/${this.planGuid(planId)}`;
  }
  /** Durable id of an offer-level resource of the given type. */
  offerResource(type: 'customer-leads' | 'property' | 'listing' | 'price-and-availability-offer'): string {
    const suffix = { 'customer-leads': '', property: '/public/main', listing: '/public/main/default/en-us', 'price-and-availability-offer': '/public/main' }[type];
    return `${type}/${this.productGuid}${suffix}`;
  }
  /** Durable id of a listing asset or trailer, by kind and position. */
  asset(type: 'listing-asset' | 'listing-trailer', key: string): string {
    return `${type}/${this.productGuid}/public/main/default/en-us/${armGuid(['lantern-asset', this.productGuid, key])}`;
  }
  /** Durable id of a plan-level resource of the given type. */
  planResource(type: 'plan-listing' | 'price-and-availability-plan' | typeof TECHNICAL_CONFIGURATION_TYPE, planId: string): string {
    return `${type}/${this.productGuid}/public/main/${this.planGuid(planId)}${type === 'plan-listing' ? '/en-us' : ''}`;
  }
}
