/**
 * The calls behind Marketplace → Create (docs/api.md "Acquire and delegate"): which scopes the user
 * may delegate, asked of the decision engine (`GET /lantern/explain`) with the very actions the
 * acquisition API checks, then accepting the plan's terms and delegating.
 */
import { getJson, sendJson } from '../../../api.ts';
import type { Acquisition } from '../../../../../src/core/marketplace/acquisition.ts';

/** What accepting a plan's legal terms for a subscription needs (Owner, Contributor). */
const ACCEPT_TERMS = 'Microsoft.MarketplaceOrdering/offerTypes/publishers/offers/plans/agreements/write';
/** What delegating a scope needs (Owner, User Access Administrator; members only). */
const DELEGATE = 'Microsoft.Authorization/roleAssignments/write';
const READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';

interface Explanation {
  readonly allowed: boolean;
  readonly reason: string;
  readonly grants: readonly { readonly roleName: string }[];
}

function explain(action: string, scope: string, signal: AbortSignal): Promise<Explanation> {
  return getJson(`/lantern/explain?${new URLSearchParams({ action, scope }).toString()}`, signal);
}

/** May the user delegate `scope`, and if not, why — in words, with the roles the user holds there. */
export interface ScopeCheck {
  readonly scope: string;
  readonly mayAcceptTerms: boolean;
  readonly mayDelegate: boolean;
  /** Why not, when the user may not delegate it. */
  readonly reason?: string;
}

function rolesText(read: Explanation): string {
  const roles = [...new Set(read.grants.map((g) => g.roleName))];
  return roles.length === 0 ? 'You have no role here.' : `Your role${roles.length > 1 ? 's' : ''} here: ${roles.join(', ')}.`;
}

/** Asks the engine about one subscription or resource group (`kind` names it in the reason). */
export async function checkScope(scope: string, kind: 'subscription' | 'resource group', signal: AbortSignal): Promise<ScopeCheck> {
  const [terms, delegate, read] = await Promise.all([
    kind === 'subscription' ? explain(ACCEPT_TERMS, scope, signal) : undefined,
    explain(DELEGATE, scope, signal),
    explain(READ, scope, signal),
  ]);
  const mayAcceptTerms = terms?.allowed ?? true;
  if (delegate.allowed && mayAcceptTerms) return { scope, mayAcceptTerms, mayDelegate: true };
  return { scope, mayAcceptTerms, mayDelegate: false, reason: `You need Owner on this ${kind} to delegate it. ${rolesText(read)}` };
}

/** `POST /marketplace/subscriptions/{s}/acquisitions`: the plan's legal terms accepted (a pending acquisition). */
export async function acceptTerms(subscriptionId: string, offerId: string, planId: string, version: string): Promise<Acquisition> {
  const body = { offerId, planId, version, acceptLegalTerms: true };
  return (await sendJson<Acquisition>('POST', `/marketplace/subscriptions/${encodeURIComponent(subscriptionId)}/acquisitions`, body))!;
}

/** `POST …/acquisitions/{id}/delegate`: the registration definition and one assignment per scope. */
export async function delegate(subscriptionId: string, acquisitionId: string, scopes: readonly string[]): Promise<Acquisition> {
  const path = `/marketplace/subscriptions/${encodeURIComponent(subscriptionId)}/acquisitions/${encodeURIComponent(acquisitionId)}/delegate`;
  return (await sendJson<Acquisition>('POST', path, { scopes }))!;
}
