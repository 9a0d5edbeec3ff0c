/**
 * Compare, field by field: an offer flattened to `path → value` with the paths the API's Compare uses
 * (plans keyed by id, other lists by position), values in words, and the manifests' authorizations
 * as "who gains or loses which role".
 */
import type { Offer, PlanAuthorization } from '../../../../../src/core/marketplace/model.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as one line: images (`{$base64}`) by size, text as it is, the rest as compact JSON. */
export function valueInWords(value: unknown): string {
  if (value === undefined) return '—';
  if (isRecord(value) && typeof value.$base64 === 'string') return `Image (${Math.round((value.$base64.length * 3) / 4 / 1024)} KB)`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function walk(path: string, value: unknown, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, value);
    value.forEach((v, i) => walk(`${path}[${i}]`, v, out));
  } else if (isRecord(value) && typeof value.$base64 !== 'string') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(path, value);
    for (const key of keys) walk(path === '' ? key : `${path}.${key}`, value[key], out);
  } else {
    out.set(path, value);
  }
}

/** Every leaf field of the offer by its Compare path. */
export function flattenOffer(offer: Offer | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (offer === undefined) return out;
  const { plans, ...rest } = offer;
  walk('', rest, out);
  for (const plan of plans) walk(`plans[${plan.id}]`, plan, out);
  return out;
}

export interface RoleChange {
  readonly planId: string;
  readonly change: 'gains' | 'loses';
  readonly principal: string;
  readonly roleDefinitionId: string;
  readonly accessType: PlanAuthorization['accessType'];
}

const key = (a: PlanAuthorization) => `${a.principalId.toLowerCase()}|${a.roleDefinitionId.toLowerCase()}|${a.accessType}`;

/** Who gains and who loses which role, plan by plan, between the current manifests of `before` and `after`. */
export function authorizationChanges(before: Offer | undefined, after: Offer): RoleChange[] {
  const current = (offer: Offer | undefined, planId: string) => offer?.plans.find((p) => p.id === planId)?.technicalConfiguration.manifests.at(-1)?.authorizations ?? [];
  const planIds = [...new Set([...(before?.plans ?? []), ...after.plans].map((p) => p.id))];
  return planIds.flatMap((planId) => {
    const was = current(before, planId);
    const now = current(after, planId);
    const wasKeys = new Set(was.map(key));
    const nowKeys = new Set(now.map(key));
    const of = (change: RoleChange['change'], a: PlanAuthorization): RoleChange => ({ planId, change, principal: a.displayName, roleDefinitionId: a.roleDefinitionId, accessType: a.accessType });
    return [...now.filter((a) => !wasKeys.has(key(a))).map((a) => of('gains', a)), ...was.filter((a) => !nowKeys.has(key(a))).map((a) => of('loses', a))];
  });
}
