/**
 * `GET /lantern/explain` (docs/api.md "Explain: may P do A at S, and why?") and the principals the
 * page offers by name: the user, and those a delegation of the scope's subscription authorizes (its
 * registration definitions name them), read with the user's own token.
 */
import { API_VERSIONS, getAll, getJson } from '../../../api.ts';

export interface Grant {
  readonly source: string;
  readonly id: string;
  readonly roleName: string;
  readonly scope: string;
  readonly principalId: string;
  readonly viaGroup?: string;
  readonly registrationDefinitionId?: string;
}

export interface Explanation {
  readonly allowed: boolean;
  readonly action: string;
  readonly scope: string;
  readonly principal: { readonly id: string; readonly tenantId: string; readonly type: string; readonly displayName: string };
  readonly grants: readonly Grant[];
  readonly deniedBy?: { readonly denyAssignmentId: string; readonly scope: string };
  readonly reason: string;
}

export interface Question {
  readonly action: string;
  readonly scope: string;
  /** Absent: the signed-in user. */
  readonly principalId?: string;
  readonly dataAction: boolean;
}

export function explain(q: Question, signal: AbortSignal): Promise<Explanation> {
  const query = new URLSearchParams({ action: q.action, scope: q.scope });
  if (q.principalId !== undefined) query.set('principalId', q.principalId);
  if (q.dataAction) query.set('dataAction', 'true');
  return getJson<Explanation>(`/lantern/explain?${query.toString()}`, signal);
}

export interface KnownPrincipal {
  readonly id: string;
  readonly displayName: string;
  /** Who the principal belongs to, e.g. the managing tenant's name. */
  readonly from?: string;
}

interface RegistrationAssignment {
  readonly properties: {
    readonly registrationDefinition?: {
      readonly properties: {
        readonly managedByTenantName?: string;
        readonly authorizations?: readonly { readonly principalId: string; readonly principalIdDisplayName?: string }[];
        readonly eligibleAuthorizations?: readonly { readonly principalId: string; readonly principalIdDisplayName?: string }[];
      };
    };
  };
}

/** The principals the delegations of `subscriptionId` authorize, by name; none when the user may not read them. */
export async function delegatedPrincipals(subscriptionId: string, signal: AbortSignal): Promise<KnownPrincipal[]> {
  let assignments: RegistrationAssignment[];
  try {
    assignments = await getAll<RegistrationAssignment>(`/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.ManagedServices/registrationAssignments?$expandRegistrationDefinition=true&api-version=${API_VERSIONS.managedServices}`, signal);
  } catch {
    return []; // Suggestions only: an id can still be typed.
  }
  const found = new Map<string, KnownPrincipal>();
  for (const a of assignments) {
    const d = a.properties.registrationDefinition?.properties;
    for (const p of [...(d?.authorizations ?? []), ...(d?.eligibleAuthorizations ?? [])]) {
      if (!found.has(p.principalId.toLowerCase())) found.set(p.principalId.toLowerCase(), { id: p.principalId, displayName: p.principalIdDisplayName ?? p.principalId, ...(d?.managedByTenantName ? { from: d.managedByTenantName } : {}) });
    }
  }
  return [...found.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
