/**
 * Acquiring a managed service plan (marketplace.md C2, lighthouse.md §3.4): the registration
 * definition a plan version grants is exactly its published manifest; a definition naming a plan
 * must be that plan version, offered to the subscription now, with exactly those authorizations.
 * Both the customer's "Create" and a registration definition PUT (directly or by a deployment) are
 * held to these rules; the acquisition record keeps what the customer accepted.
 */
import type { Authorization, EligibleAuthorization, MarketplacePlan } from '../delegation/model.js';
import { parseIsoDuration } from '../delegation/iso-duration.js';
import { DomainError, conflict, invalid } from '../errors.js';
import { normalizeGuid } from '../guid.js';
import type { Manifest } from './model.js';
import type { PlanAvailability } from './visibility.js';

/** What a manifest grants, in Microsoft.ManagedServices' shape. */
export interface ManifestGrants {
  readonly managedByTenantId: string;
  readonly authorizations: readonly Authorization[];
  readonly eligibleAuthorizations: readonly EligibleAuthorization[];
}

/** The registration definition grants of a published manifest: active and eligible authorizations. */
export function manifestGrants(manifest: Manifest): ManifestGrants {
  const authorizations: Authorization[] = manifest.authorizations
    .filter((a) => a.accessType === 'active')
    .map((a) => ({
      principalId: a.principalId,
      principalIdDisplayName: a.displayName,
      roleDefinitionId: a.roleDefinitionId,
      ...(a.assignableRoleIds === undefined || a.assignableRoleIds.length === 0 ? {} : { delegatedRoleDefinitionIds: [...a.assignableRoleIds] }),
    }));
  const eligibleAuthorizations: EligibleAuthorization[] = manifest.authorizations
    .filter((a) => a.accessType === 'eligible' && a.justInTime !== undefined)
    .map((a) => ({
      principalId: a.principalId,
      principalIdDisplayName: a.displayName,
      roleDefinitionId: a.roleDefinitionId,
      justInTimeAccessPolicy: {
        multiFactorAuthProvider: a.justInTime?.requireMfa === true ? 'Azure' : 'None',
        maximumActivationDuration: a.justInTime?.maximumDuration ?? 'PT8H',
        managedByTenantApprovers: (a.justInTime?.approvers ?? []).map((ap) => ({ principalId: ap.principalId, principalIdDisplayName: ap.displayName })),
      },
    }));
  return { managedByTenantId: manifest.tenantId, authorizations, eligibleAuthorizations };
}

/** `{publisher}.{product}.{name}.{version}`. */
export function planIdentifier(plan: MarketplacePlan): string {
  return `${plan.publisher}.${plan.product}.${plan.name}.${plan.version}`;
}

// A role may be named by its GUID or its full id; compared by GUID.
const roleGuid = (id: string) => normalizeGuid(id.split('/').at(-1) ?? id);

function activeKey(a: Authorization): string {
  const delegated = (a.delegatedRoleDefinitionIds ?? []).map(roleGuid).sort().join(',');
  return `${normalizeGuid(a.principalId)}|${roleGuid(a.roleDefinitionId)}|${delegated}`;
}

function eligibleKey(e: EligibleAuthorization): string {
  const p = e.justInTimeAccessPolicy;
  const approvers = (p.managedByTenantApprovers ?? []).map((a) => normalizeGuid(a.principalId)).sort().join(',');
  const duration = parseIsoDuration(p.maximumActivationDuration) ?? p.maximumActivationDuration;
  return `${normalizeGuid(e.principalId)}|${roleGuid(e.roleDefinitionId)}|${p.multiFactorAuthProvider}|${duration}|${approvers}`;
}

function describeActive(a: Authorization): string {
  const delegated = a.delegatedRoleDefinitionIds?.length ? ` (assignable roles ${a.delegatedRoleDefinitionIds.join(', ')})` : '';
  return `'${a.principalIdDisplayName ?? a.principalId}' (principal ${a.principalId}) with role ${a.roleDefinitionId}${delegated}`;
}

function describeEligible(e: EligibleAuthorization): string {
  const p = e.justInTimeAccessPolicy;
  const approvers = (p.managedByTenantApprovers ?? []).map((a) => a.principalId).join(', ');
  return `'${e.principalIdDisplayName ?? e.principalId}' (principal ${e.principalId}) eligible for role ${e.roleDefinitionId}, MFA ${p.multiFactorAuthProvider}, up to ${p.maximumActivationDuration}${approvers === '' ? '' : `, approvers ${approvers}`}`;
}

/** Every way `fields` differ from what the manifest grants, in words; empty when they are equal. */
export function manifestDifferences(manifest: Manifest, fields: ManifestGrants): string[] {
  const want = manifestGrants(manifest);
  const out: string[] = [];
  if (normalizeGuid(fields.managedByTenantId) !== normalizeGuid(want.managedByTenantId)) {
    out.push(`managedByTenantId is '${fields.managedByTenantId}', the manifest's tenant is '${want.managedByTenantId}'`);
  }
  const compare = <T extends { principalId: string; principalIdDisplayName?: string }>(kind: string, wanted: readonly T[], given: readonly T[], key: (x: T) => string, say: (x: T) => string) => {
    const left = new Map<string, T[]>();
    for (const w of wanted) left.set(key(w), [...(left.get(key(w)) ?? []), w]);
    for (const g of given) {
      const match = left.get(key(g))?.shift();
      if (match === undefined) out.push(`${kind} ${say(g)} is not in the manifest`);
      else if ((match.principalIdDisplayName ?? '') !== (g.principalIdDisplayName ?? '')) {
        out.push(`${kind} of principal ${g.principalId} is named '${g.principalIdDisplayName ?? ''}', the manifest names it '${match.principalIdDisplayName ?? ''}'`);
      }
    }
    for (const rest of left.values()) for (const w of rest) out.push(`${kind} ${say(w)} of the manifest is missing`);
  };
  compare('authorization', want.authorizations, fields.authorizations, activeKey, describeActive);
  compare('eligible authorization', want.eligibleAuthorizations, fields.eligibleAuthorizations, eligibleKey, describeEligible);
  return out;
}

/** Throws `AuthorizationsDifferFromManifest` naming each difference unless the grants equal the manifest's. */
export function requireManifestGrants(plan: MarketplacePlan, manifest: Manifest, fields: ManifestGrants): void {
  const differences = manifestDifferences(manifest, fields);
  if (differences.length === 0) return;
  throw new DomainError(
    'invalid',
    'AuthorizationsDifferFromManifest',
    `The registration definition names marketplace plan '${planIdentifier(plan)}' but does not grant exactly its published manifest: ${differences.join('; ')}.`,
    { target: 'properties.authorizations', details: differences.map((message) => ({ code: 'AuthorizationsDifferFromManifest', message, target: 'properties.authorizations' })) },
  );
}

/** Throws the ARM error for a plan version the subscription may not acquire; answers the available plan otherwise. */
export function requireAvailablePlan(availability: PlanAvailability, plan: MarketplacePlan, subscriptionId: string): Extract<PlanAvailability, { kind: 'available' }> {
  const id = planIdentifier(plan);
  switch (availability.kind) {
    case 'available':
      return availability;
    case 'notOffered':
      throw new DomainError(
        'not_found',
        'MarketplacePlanNotFound',
        `The marketplace plan '${id}' is not offered to subscription '${subscriptionId}': no such plan version is on sale, or it is offered privately or in preview to other subscriptions.`,
        { target: 'plan' },
      );
    case 'stopped':
      throw invalid('MarketplacePlanNotAvailable', `The marketplace plan '${id}' is no longer available to new customers: its publisher stopped selling it.`, 'plan');
    case 'staleVersion':
      throw conflict('MarketplacePlanVersionNotCurrent', `Version ${plan.version} of marketplace plan '${plan.publisher}.${plan.product}.${plan.name}' is no longer the current one; accept the current version ${availability.current}.`, 'plan.version');
  }
}

/** Where an acquisition stands: terms accepted and nothing delegated yet, or delegated. */
export type AcquisitionState = 'pending' | 'delegated';

/**
 * One customer's acquisition of a plan for a subscription: the legal terms accepted (who, when), and
 * what was delegated with it. The record "Service providers", "My customers" and leads build on.
 */
export interface Acquisition {
  /** GUID. */
  readonly id: string;
  readonly plan: MarketplacePlan;
  /** The published offer version (Partner Center snapshot number) whose terms were accepted. */
  readonly offerVersion: number;
  readonly offerDisplayName: string;
  readonly publisherDisplayName: string;
  readonly planDisplayName: string;
  readonly managedByTenantId: string;
  readonly customerTenantId: string;
  readonly subscriptionId: string;
  /** The name the customer gave the offer (the registration definition's name). */
  readonly name: string;
  readonly termsAcceptedAt: string;
  /** Object id and display name (UPN) of the customer user who accepted. */
  readonly termsAcceptedBy: { readonly objectId: string; readonly displayName: string };
  readonly state: AcquisitionState;
  /** The registration definition's full id, once delegated. */
  readonly registrationDefinitionId?: string;
  /** Delegated scopes (subscription or resource groups), each with its registration assignment's full id. */
  readonly scopes: readonly { readonly scope: string; readonly registrationAssignmentId: string }[];
  readonly delegatedAt?: string;
  readonly delegatedBy?: { readonly objectId: string; readonly displayName: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}
