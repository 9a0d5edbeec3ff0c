/**
 * What a request targeted, for the activity log: its RBAC-style action, the scope it names and the
 * owner the entry belongs to (a subscription, a Partner Center publisher, or neither: the caller's
 * own directory). ARM paths map through `armOperation`; Lantern's other planes (Partner Center,
 * product ingestion, the marketplace, Lantern.Lighthouse views) are named as tenant-level provider
 * resources (`/providers/Lantern.PartnerCenter/publishers/{id}/…`), so the portal's activity-log
 * renderer reads them like any ARM entry.
 */
import { armOperation } from './request-action.js';
import { parseScope } from '../scope.js';

export interface ActivityTarget {
  readonly action: string;
  readonly scope: string;
  /** The subscription whose tenant's log takes the entry. */
  readonly subscriptionId?: string;
  /** The Partner Center publisher whose tenant's log takes the entry. */
  readonly publisherId?: string;
}

// Lantern's own planes: a path prefix and the provider namespace its entries are named under.
const PLANES: readonly { readonly prefix: RegExp; readonly namespace: string }[] = [
  { prefix: /^\/partner-center(?=\/|$)/i, namespace: 'Lantern.PartnerCenter' },
  { prefix: /^\/rp\/product-ingestion(?=\/|$)/i, namespace: 'Lantern.ProductIngestion' },
  { prefix: /^\/marketplace(?=\/|$)/i, namespace: 'Lantern.Marketplace' },
  { prefix: /^\/lantern(?=\/|$)/i, namespace: 'Lantern' },
];
const PROVIDER_PATH = /^(\/subscriptions\/[^/]+)?\/providers\/([^/]+)(\/.*)?$/i;

// A POST to a path ending in a type is an action (`…/submit`), or a create when the type is a
// collection (`…/offers`, `…/acquisitions`): Lantern's collections are plural nouns, its actions verbs.
function verbOf(method: string, last: string | undefined, endsWithName: boolean): string {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'DELETE') return 'delete';
  return method === 'POST' && !endsWithName && !/[a-z]s$/i.test(last ?? '') ? 'action' : 'write';
}

/** `[type, name, type, name, …, type?]` after a namespace: the scope its pairs name and the action. */
function namespaced(method: string, base: string, namespace: string, segments: readonly string[]): Pick<ActivityTarget, 'action' | 'scope'> {
  const pairs = segments.length - (segments.length % 2);
  const types = segments.filter((_, i) => i % 2 === 0);
  const scope = pairs === 0 ? base || '/' : `${base}/providers/${namespace}/${segments.slice(0, pairs).join('/')}`;
  const action = [namespace, ...types, verbOf(method, segments.at(-1), segments.length % 2 === 0 && segments.length > 0)].join('/');
  try {
    parseScope(scope);
    return { action, scope };
  } catch {
    return { action, scope: base || '/' };
  }
}

/** The activity target of a request on its canonical path, or undefined when it names nothing loggable. */
export function activityTarget(method: string, path: string, query: { readonly publisherId?: string } = {}): ActivityTarget | undefined {
  try {
    const op = armOperation(method, path);
    return { action: op.action, scope: op.scope, ...(op.subscriptionId === undefined ? {} : { subscriptionId: op.subscriptionId }) };
  } catch {
    // Not an ARM path: one of Lantern's own planes below.
  }
  for (const plane of PLANES) {
    const match = plane.prefix.exec(path);
    if (!match) continue;
    let segments = path.slice(match[0].length).split('/').filter((s) => s !== '');
    let base = '';
    let subscriptionId: string | undefined;
    if (segments[0]?.toLowerCase() === 'subscriptions' && segments[1] !== undefined) {
      subscriptionId = segments[1];
      base = `/subscriptions/${subscriptionId}`;
      segments = segments.slice(2);
    }
    const publisherId = segments[0]?.toLowerCase() === 'publishers' ? segments[1] : query.publisherId;
    return {
      ...namespaced(method, base, plane.namespace, segments),
      ...(subscriptionId === undefined ? {} : { subscriptionId }),
      ...(publisherId === undefined ? {} : { publisherId }),
    };
  }
  const provider = PROVIDER_PATH.exec(path);
  if (!provider) return undefined;
  const subscriptionId = provider[1]?.split('/')[2];
  const segments = (provider[3] ?? '').split('/').filter((s) => s !== '');
  return { ...namespaced(method, provider[1] ?? '', provider[2] as string, segments), ...(subscriptionId === undefined ? {} : { subscriptionId }) };
}
