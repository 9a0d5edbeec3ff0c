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

/** `GET /subscriptions/{s}/resources`: every resource of the subscription the user can read. */
export function listSubscriptionResources(subscriptionId: string, signal: AbortSignal): Promise<Resource[]> {
  return getAll<Resource>(`/subscriptions/${encodeURIComponent(subscriptionId)}/resources?api-version=${API_VERSIONS.resources}`, signal);
}

export interface AcrossSubscriptions<T> {
  readonly subscriptions: Subscription[];
  readonly items: { subscription: Subscription; item: T }[];
  /** Subscriptions whose list could not be read, with the API's message; shown beside the others. */
  readonly failures: { subscription: Subscription; message: string }[];
}

/** `list` for every subscription the user can read (own and delegated), each failure kept apart. */
export async function acrossSubscriptions<T>(list: (subscriptionId: string, signal: AbortSignal) => Promise<T[]>, signal: AbortSignal): Promise<AcrossSubscriptions<T>> {
  const subscriptions = await listSubscriptions(signal);
  const results = await Promise.allSettled(subscriptions.map((s) => list(s.subscriptionId, signal)));
  const out: AcrossSubscriptions<T> = { subscriptions, items: [], failures: [] };
  results.forEach((result, i) => {
    const subscription = subscriptions[i]!;
    if (result.status === 'fulfilled') out.items.push(...result.value.map((item) => ({ subscription, item })));
    else out.failures.push({ subscription, message: result.reason instanceof Error ? result.reason.message : 'The list could not be read.' });
  });
  return out;
}
