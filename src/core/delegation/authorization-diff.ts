/**
 * What an offer update changes (lighthouse.md §3.7, "review the diff, accept"): the authorizations
 * of one manifest version against another's, as the customer reviews them before accepting. An
 * authorization is identified by its access type (permanent or eligible), principal and role; the
 * same identity on both sides with different details (display name, assignable roles, just-in-time
 * policy) is a change.
 */
import { parseIsoDuration } from './iso-duration.js';
import type { Authorization, EligibleAuthorization } from './model.js';

/** The grants of one version: permanent and eligible authorizations. */
export interface Grants {
  readonly authorizations: readonly Authorization[];
  readonly eligibleAuthorizations: readonly EligibleAuthorization[];
}

export type AccessType = 'Permanent' | 'Eligible';

/** One authorization as the diff shows it. */
export interface GrantEntry {
  readonly accessType: AccessType;
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  readonly roleDefinitionId: string;
  readonly delegatedRoleDefinitionIds?: readonly string[];
  readonly justInTimeAccessPolicy?: EligibleAuthorization['justInTimeAccessPolicy'];
}

/** An authorization present in both versions whose details differ, with the fields that do. */
export interface GrantChange {
  readonly before: GrantEntry;
  readonly after: GrantEntry;
  readonly changedFields: readonly string[];
}

export interface GrantsDiff {
  readonly added: readonly GrantEntry[];
  readonly removed: readonly GrantEntry[];
  readonly changed: readonly GrantChange[];
}

function entries(grants: Grants): GrantEntry[] {
  return [
    ...grants.authorizations.map((a): GrantEntry => ({ accessType: 'Permanent', ...a })),
    ...grants.eligibleAuthorizations.map((e): GrantEntry => ({ accessType: 'Eligible', ...e })),
  ];
}

const keyOf = (e: GrantEntry) => `${e.accessType}|${e.principalId.toLowerCase()}|${e.roleDefinitionId.toLowerCase()}`;
const idSet = (ids: readonly string[] | undefined) => JSON.stringify([...new Set((ids ?? []).map((id) => id.toLowerCase()))].sort());

function policyFields(before: GrantEntry, after: GrantEntry): string[] {
  const a = before.justInTimeAccessPolicy;
  const b = after.justInTimeAccessPolicy;
  if (a === undefined || b === undefined) return a === b ? [] : ['justInTimeAccessPolicy'];
  const out: string[] = [];
  if (a.multiFactorAuthProvider !== b.multiFactorAuthProvider) out.push('justInTimeAccessPolicy.multiFactorAuthProvider');
  if (parseIsoDuration(a.maximumActivationDuration) !== parseIsoDuration(b.maximumActivationDuration)) out.push('justInTimeAccessPolicy.maximumActivationDuration');
  if (idSet(a.managedByTenantApprovers?.map((x) => x.principalId)) !== idSet(b.managedByTenantApprovers?.map((x) => x.principalId))) {
    out.push('justInTimeAccessPolicy.managedByTenantApprovers');
  }
  return out;
}

function changedFields(before: GrantEntry, after: GrantEntry): string[] {
  const out: string[] = [];
  if ((before.principalIdDisplayName ?? '') !== (after.principalIdDisplayName ?? '')) out.push('principalIdDisplayName');
  if (idSet(before.delegatedRoleDefinitionIds) !== idSet(after.delegatedRoleDefinitionIds)) out.push('delegatedRoleDefinitionIds');
  return [...out, ...policyFields(before, after)];
}

/** The authorizations `to` adds, removes and changes compared with `from`, each list in `to`'s (or `from`'s) order. */
export function diffGrants(from: Grants, to: Grants): GrantsDiff {
  const before = new Map(entries(from).map((e) => [keyOf(e), e]));
  const after = new Map(entries(to).map((e) => [keyOf(e), e]));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, e]) => e);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, e]) => e);
  const changed: GrantChange[] = [];
  for (const [k, b] of before) {
    const a = after.get(k);
    if (a === undefined) continue;
    const fields = changedFields(b, a);
    if (fields.length > 0) changed.push({ before: b, after: a, changedFields: fields });
  }
  return { added, removed, changed };
}

/** True when the diff changes nothing. */
export function isEmptyDiff(diff: GrantsDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
