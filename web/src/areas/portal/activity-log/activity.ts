/**
 * The activity log as ARM serves it (docs/api.md "Activity log"): a subscription's log, or the
 * caller's own directory-level log, for a time window, optionally only one status.
 */
import { API_VERSIONS, getAll } from '../../../api.ts';

interface Localized { readonly value: string; readonly localizedValue: string }

/** ARM's EventData, the fields the page shows. */
export interface ActivityEvent {
  readonly eventDataId: string;
  readonly eventTimestamp: string;
  readonly operationName: Localized;
  readonly status: Localized;
  readonly subStatus?: Localized;
  readonly caller?: string;
  readonly claims?: Readonly<Record<string, string>>;
  readonly correlationId: string;
  readonly resourceId: string;
  readonly resourceGroupName?: string;
  readonly resourceType?: Localized;
  readonly subscriptionId?: string;
  readonly tenantId: string;
  readonly level: string;
  readonly httpRequest?: { readonly method: string };
  readonly authorization?: { readonly action: string; readonly scope: string };
  readonly properties?: { readonly statusCode?: string; readonly statusMessage?: string; readonly description?: string };
}

/** Where events come from: one subscription's log, or the user's directory-level log. */
export type LogSource = { readonly subscriptionId: string } | 'directory';

export const TIME_RANGES = [
  { id: '1h', label: 'Last hour', minutes: 60 },
  { id: '6h', label: 'Last 6 hours', minutes: 6 * 60 },
  { id: '24h', label: 'Last 24 hours', minutes: 24 * 60 },
  { id: '7d', label: 'Last 7 days', minutes: 7 * 24 * 60 },
  { id: '30d', label: 'Last 30 days', minutes: 30 * 24 * 60 },
  // A minute short of the API's 90-day limit, so the window still fits when the request arrives.
  { id: '90d', label: 'Last 90 days', minutes: 90 * 24 * 60 - 1 },
] as const;

export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

/** Every event of `source` in the last `minutes`, all pages; `status` narrows on the server. */
export function listEvents(source: LogSource, minutes: number, status: string | undefined, signal: AbortSignal): Promise<ActivityEvent[]> {
  const from = new Date(Date.now() - minutes * 60_000).toISOString();
  const filter = `eventTimestamp ge '${from}'${status === undefined ? '' : ` and status eq '${status}'`}`;
  const base = source === 'directory' ? '' : `/subscriptions/${encodeURIComponent(source.subscriptionId)}`;
  return getAll<ActivityEvent>(`${base}/providers/microsoft.insights/eventtypes/management/values?api-version=${API_VERSIONS.activityLog}&$filter=${encodeURIComponent(filter)}`, signal);
}

const TENANT_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';

/** The caller's home directory, from the event's claims. */
export const callerTenantOf = (event: ActivityEvent): string | undefined => event.claims?.[TENANT_CLAIM];

/** A failed request's error, from `properties.statusMessage` (`{"error":{"code","message"}}`), in words. */
export function errorOf(event: ActivityEvent): string | undefined {
  const text = event.properties?.statusMessage;
  if (text === undefined) return undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    if (error?.message !== undefined) return error.code === undefined ? error.message : `${error.message} (${error.code})`;
  } catch {
    // Not JSON: shown as written.
  }
  return text;
}

// The fields of the managing tenant's delegation entries, named for people.
const DESCRIPTION_LABELS: Readonly<Record<string, string>> = {
  delegationResourceId: 'Delegation',
  subscriptionTenantId: 'Customer directory',
  subscriptionId: 'Customer subscription',
};

/** The description: its fields, labelled, when it is a JSON object (the delegation entries), else the text. */
export function descriptionOf(event: ActivityEvent): string | [string, string][] | undefined {
  const text = event.properties?.description;
  if (text === undefined || text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return Object.entries(parsed).map(([k, v]) => [DESCRIPTION_LABELS[k] ?? k, typeof v === 'string' ? v : JSON.stringify(v)]);
  } catch {
    // Plain text.
  }
  return text;
}
