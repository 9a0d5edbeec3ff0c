/**
 * Who at a provider gets which role, as one table: the offer page's plans, the Create wizard's review,
 * an offer's access under Service providers and both sides of an update's difference show grants the
 * same way, eligible ones with their just-in-time policy spelled out (how long, MFA, who approves).
 */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { StorefrontPlan } from '../../src/core/marketplace/storefront-views.ts';

export interface JitPolicy {
  readonly multiFactorAuthProvider: string;
  readonly maximumActivationDuration: string;
  readonly managedByTenantApprovers?: readonly { readonly principalId: string; readonly principalIdDisplayName?: string }[];
}

/** One authorization: Microsoft.ManagedServices' fields with the role's name beside its id. */
export interface Grant {
  readonly accessType: 'Permanent' | 'Eligible';
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  readonly roleDefinitionId: string;
  readonly roleDefinitionName?: string;
  readonly justInTimeAccessPolicy?: JitPolicy;
}

/** `PT8H30M` → `8 hours 30 minutes` (the manifests' ISO 8601 durations). */
export function durationText(iso: string): string {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match) return iso;
  const parts = [[match[1], 'day'], [match[2], 'hour'], [match[3], 'minute']] as const;
  return parts.filter(([n]) => n !== undefined && n !== '0').map(([n, unit]) => `${n} ${unit}${n === '1' ? '' : 's'}`).join(' ') || iso;
}

/** How the access is held: always, or on request under the policy. */
export function accessText(grant: Grant): string {
  const policy = grant.justInTimeAccessPolicy;
  if (grant.accessType === 'Permanent' || !policy) return 'Permanent (always active)';
  const approvers = (policy.managedByTenantApprovers ?? []).map((a) => a.principalIdDisplayName ?? a.principalId);
  return [
    `Eligible: activated on request for at most ${durationText(policy.maximumActivationDuration)}`,
    policy.multiFactorAuthProvider === 'Azure' ? 'MFA required' : 'no MFA',
    approvers.length > 0 ? `approved by ${approvers.join(', ')}` : 'no approval needed',
  ].join(', ');
}

/** The grants of a Microsoft.ManagedServices definition (or offer): permanent, then eligible. */
export function grantsOf(access: {
  readonly authorizations: readonly Omit<Grant, 'accessType'>[];
  readonly eligibleAuthorizations?: readonly Omit<Grant, 'accessType'>[];
}): Grant[] {
  return [
    ...access.authorizations.map((a): Grant => ({ ...a, accessType: 'Permanent' })),
    ...(access.eligibleAuthorizations ?? []).map((a): Grant => ({ ...a, accessType: 'Eligible' })),
  ];
}

/** A storefront plan's access (`active`/`eligible`, `roleName`) in Microsoft.ManagedServices' terms. */
export function grantsOfPlan(plan: StorefrontPlan): Grant[] {
  return plan.authorizations.map((a) => ({
    accessType: a.accessType === 'eligible' ? 'Eligible' : 'Permanent',
    principalId: a.principalId,
    ...(a.principalIdDisplayName !== undefined ? { principalIdDisplayName: a.principalIdDisplayName } : {}),
    roleDefinitionId: a.roleDefinitionId,
    ...(a.roleName !== undefined ? { roleDefinitionName: a.roleName } : {}),
    ...(a.justInTimeAccessPolicy ? { justInTimeAccessPolicy: a.justInTimeAccessPolicy } : {}),
  }));
}

export function GrantsTable({ grants, label }: { grants: readonly Grant[]; label: string }) {
  return (
    <Table aria-label={label} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Who (at the provider)</TableHeaderCell>
          <TableHeaderCell>Role</TableHeaderCell>
          <TableHeaderCell>Access</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {grants.map((g) => (
          <TableRow key={`${g.accessType}/${g.principalId}/${g.roleDefinitionId}`}>
            <TableCell>{g.principalIdDisplayName ?? g.principalId}</TableCell>
            <TableCell>{g.roleDefinitionName ?? g.roleDefinitionId}</TableCell>
            <TableCell>{accessText(g)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
