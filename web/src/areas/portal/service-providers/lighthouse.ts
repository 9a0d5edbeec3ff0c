/**
 * The delegation APIs the Service providers and My customers views call (docs/lighthouse-views.md):
 * Lantern.Lighthouse's two lists, accepting an update, Microsoft.ManagedServices' registration
 * assignment DELETE (removing a delegation) and ARM deployments ("Add offer" from a template).
 */
import { ApiError, getAll, sendJson } from '../../../api.ts';
import type { Grant, JitPolicy } from '../../../grants.tsx';

const LIGHTHOUSE = 'api-version=2026-12-01';
const MANAGED_SERVICES = 'api-version=2022-10-01';
const DEPLOYMENTS = 'api-version=2021-04-01';

type Authorization = Omit<Grant, 'accessType'>;

export interface Delegation {
  readonly registrationAssignmentId: string;
  readonly scope: string;
  readonly subscriptionId: string;
}

/** An update's difference from the version in force: who gains, who loses, what changes. */
export interface OfferUpdate {
  readonly version: string;
  readonly added: readonly Grant[];
  readonly removed: readonly Grant[];
  readonly changed: readonly { readonly before: Grant; readonly after: Grant; readonly changedFields: readonly string[] }[];
}

export interface Plan {
  readonly publisher: string;
  readonly product: string;
  readonly name: string;
  readonly version: string;
}

export interface ServiceProviderOffer {
  readonly name: string;
  readonly properties: {
    readonly state: 'Delegated' | 'Pending';
    readonly managedByTenantId: string;
    readonly managedByTenantName?: string;
    readonly plan?: Plan;
    readonly offerDisplayName?: string;
    readonly publisherDisplayName?: string;
    readonly planDisplayName?: string;
    readonly registrationDefinitionName?: string;
    readonly description?: string;
    readonly authorizations: readonly Authorization[];
    readonly eligibleAuthorizations: readonly (Authorization & { readonly justInTimeAccessPolicy: JitPolicy })[];
    readonly delegations: readonly (Delegation & { readonly registrationDefinitionId: string })[];
    readonly updateAvailable?: OfferUpdate;
  };
}

export interface MyCustomer {
  readonly name: string;
  readonly properties: {
    readonly customerTenantId: string;
    readonly customerName?: string;
    readonly offers: readonly {
      readonly name: string;
      readonly offerId: string;
      readonly offerVersion?: string;
      readonly plan?: Plan;
      readonly registrationDefinitionName?: string;
      readonly delegations: readonly (Delegation & { readonly canRemove: boolean })[];
      readonly pendingUpdate?: OfferUpdate;
    }[];
  };
}

/** `GET /providers/Lantern.Lighthouse/serviceProviderOffers`: the caller's tenant's providers. */
export function listServiceProviderOffers(signal: AbortSignal): Promise<ServiceProviderOffer[]> {
  return getAll(`/providers/Lantern.Lighthouse/serviceProviderOffers?${LIGHTHOUSE}`, signal);
}

/** `POST …/serviceProviderOffers/{name}/acceptUpdate`: every delegated scope moves to `version` at once. */
export async function acceptUpdate(offerName: string, version: string): Promise<void> {
  await sendJson('POST', `/providers/Lantern.Lighthouse/serviceProviderOffers/${encodeURIComponent(offerName)}/acceptUpdate?${LIGHTHOUSE}`, { version });
}

/** `GET /providers/Lantern.Lighthouse/myCustomers`: the customers of the caller's tenant. */
export function listMyCustomers(signal: AbortSignal): Promise<MyCustomer[]> {
  return getAll(`/providers/Lantern.Lighthouse/myCustomers?${LIGHTHOUSE}`, signal);
}

/** `DELETE {scope}/providers/Microsoft.ManagedServices/registrationAssignments/{id}`: the delegation ends. */
export async function removeDelegation(registrationAssignmentId: string): Promise<void> {
  await sendJson('DELETE', `${registrationAssignmentId}?${MANAGED_SERVICES}`);
}

interface Deployment {
  readonly properties: { readonly provisioningState: string; readonly error?: { readonly code?: string; readonly message?: string; readonly details?: readonly { readonly message?: string }[] } };
}

/**
 * `PUT /subscriptions/{s}/providers/Microsoft.Resources/deployments/{name}`: deploys the template at
 * the subscription; a deployment that ran and failed is an error in its own words.
 */
export async function deployTemplate(subscriptionId: string, name: string, location: string, template: unknown, parameters: unknown): Promise<void> {
  const path = `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Resources/deployments/${encodeURIComponent(name)}?${DEPLOYMENTS}`;
  const deployment = await sendJson<Deployment>('PUT', path, { location, properties: { mode: 'Incremental', template, ...(parameters === undefined ? {} : { parameters }) } });
  const state = deployment?.properties.provisioningState;
  if (state === 'Succeeded') return;
  const error = deployment?.properties.error;
  const detail = error?.details?.map((d) => d.message).filter(Boolean).join(' ');
  throw new ApiError([error?.message ?? `The deployment ended ${state ?? 'without a state'}.`, detail].filter(Boolean).join(' '), 200, error?.code);
}
