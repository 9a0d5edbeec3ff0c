/** The ARM lists the Portal views read, in the shapes ARM answers. */
import { API_VERSIONS, getAll } from '../../api.ts';

export interface Subscription {
  readonly id: string;
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly state: string;
  readonly tenantId: string;
  readonly managedByTenants?: readonly { readonly tenantId: string }[];
}

export interface ResourceGroup {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** `GET /subscriptions`: every subscription the user can read, delegated ones included. */
export function listSubscriptions(signal: AbortSignal): Promise<Subscription[]> {
  return getAll<Subscription>(`/subscriptions?api-version=${API_VERSIONS.subscriptions}`, signal);
}

/** `GET /subscriptions/{s}/resourcegroups`. */
export function listResourceGroups(subscriptionId: string, signal: AbortSignal): Promise<ResourceGroup[]> {
  return getAll<ResourceGroup>(`/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=${API_VERSIONS.resources}`, signal);
}

export interface Resource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location: string;
}

/** `GET /subscriptions/{s}/resourcegroups/{rg}/resources` (ARM lists carry no properties). */
export function listResources(subscriptionId: string, group: string, signal: AbortSignal): Promise<Resource[]> {
  return getAll<Resource>(`/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups/${encodeURIComponent(group)}/resources?api-version=${API_VERSIONS.resources}`, signal);
}
