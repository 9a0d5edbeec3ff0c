/**
 * Rules of a plan's Technical configuration: the versioned manifest and its authorizations. Role rules come
 * from the delegation verdict, so the portal's role picker and ARM onboarding refuse exactly the same roles.
 */
import { delegatableRoleVerdict, delegationVerdict } from '../delegation/role-verdict.js';
import { normalizeGuid } from '../guid.js';
import type { RoleDefinition } from '../rbac/model.js';
import { REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import type { JustInTimePolicy, Manifest, Plan, PlanAuthorization } from './model.js';
import type { ViolationSink } from './rules.js';
import { isBlank, isGuidText } from './text.js';

export const MAX_AUTHORIZATIONS = 20;
export const MAX_APPROVERS = 10;
export const MIN_ACTIVATION_MINUTES = 30;
export const MAX_ACTIVATION_MINUTES = 8 * 60;

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;
const DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?$/;

/** What the validator may know about a principal of the managing tenant (optional: it may live elsewhere). */
export interface PrincipalInfo {
  readonly type: 'User' | 'Group' | 'ServicePrincipal';
  /** Groups only: false for Microsoft 365 groups. */
  readonly securityEnabled?: boolean;
}

export interface TechnicalContext {
  readonly role: (roleDefinitionId: string) => RoleDefinition | undefined;
  readonly principal?: ((principalId: string) => PrincipalInfo | undefined) | undefined;
}

/** Compares two `n.n.n` versions numerically (negative when a < b); undefined when either is malformed. */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  if (pa === null || pb === null) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/** Minutes of an ISO-8601 `PTnHnM` duration, or undefined when it has another form. */
export function durationMinutes(value: string): number | undefined {
  const m = DURATION.exec(value);
  if (m === null || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** Roles the picker offers for an access type: those the delegation verdict accepts. */
export function pickableRoles(roles: readonly RoleDefinition[], accessType: 'active' | 'eligible'): RoleDefinition[] {
  return roles.filter((r) => (accessType === 'active' ? delegationVerdict(r).authorizations : delegationVerdict(r).eligible).allowed);
}

/** Roles a User Access Administrator authorization may list as assignable. */
export function assignableRoles(roles: readonly RoleDefinition[]): RoleDefinition[] {
  return roles.filter((r) => delegatableRoleVerdict(r).allowed);
}

function samePolicy(a: JustInTimePolicy | undefined, b: JustInTimePolicy | undefined): boolean {
  const key = (p: JustInTimePolicy | undefined): string =>
    p === undefined ? '' : JSON.stringify([durationMinutes(p.maximumDuration) ?? p.maximumDuration, p.requireMfa, p.approvers.map((x) => normalizeGuid(x.principalId)).sort()]);
  return key(a) === key(b);
}

function validateRole(sink: ViolationSink, at: string, a: PlanAuthorization, ctx: TechnicalContext): void {
  const role = ctx.role(a.roleDefinitionId);
  if (role === undefined) {
    sink.error(`${at}.roleDefinitionId`, 'auth.role.unknown', `Role ${a.roleDefinitionId} is not an Azure built-in role; pick one from the list.`);
  } else {
    const verdict = a.accessType === 'active' ? delegationVerdict(role).authorizations : delegationVerdict(role).eligible;
    if (!verdict.allowed) sink.error(`${at}.roleDefinitionId`, 'auth.role.not-allowed', verdict.reason);
  }
  const isUaa = normalizeGuid(a.roleDefinitionId) === USER_ACCESS_ADMINISTRATOR;
  const assignable = a.assignableRoleIds ?? [];
  if (isUaa && a.accessType === 'active' && assignable.length === 0) {
    sink.error(`${at}.assignableRoleIds`, 'auth.assignable-roles.required', 'User Access Administrator needs at least one assignable role: the roles the principal may assign to managed identities.');
  }
  if (!isUaa && assignable.length > 0) {
    sink.error(`${at}.assignableRoleIds`, 'auth.assignable-roles.only-uaa', 'Assignable roles only apply when the role is User Access Administrator; remove them.');
  }
  assignable.forEach((id, j) => {
    const r = ctx.role(id);
    const verdict = r === undefined ? undefined : delegatableRoleVerdict(r);
    if (verdict === undefined) sink.error(`${at}.assignableRoleIds[${j}]`, 'auth.assignable-role.not-allowed', `Assignable role ${id} is not an Azure built-in role.`);
    else if (!verdict.allowed) sink.error(`${at}.assignableRoleIds[${j}]`, 'auth.assignable-role.not-allowed', verdict.reason);
  });
}

function validateEligible(sink: ViolationSink, at: string, a: PlanAuthorization, ctx: TechnicalContext): void {
  const jit = a.justInTime;
  const minutes = jit === undefined ? undefined : durationMinutes(jit.maximumDuration);
  if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES || minutes > MAX_ACTIVATION_MINUTES) {
    sink.error(`${at}.justInTime.maximumDuration`, 'auth.eligible.duration', `Maximum duration must be between 30 minutes (PT30M) and 8 hours (PT8H)${jit === undefined ? '' : `; "${jit.maximumDuration}" is not`}.`);
  }
  if (ctx.principal?.(a.principalId)?.type === 'ServicePrincipal') {
    sink.error(`${at}.principalId`, 'auth.eligible.service-principal', `${a.displayName || a.principalId} is a service principal; service principals can only have Active authorizations.`);
  }
  const approvers = jit?.approvers ?? [];
  if (approvers.length > MAX_APPROVERS) {
    sink.error(`${at}.justInTime.approvers`, 'auth.eligible.approvers.count', `${approvers.length} approvers; at most ${MAX_APPROVERS} are allowed.`);
  }
  approvers.forEach((ap, j) => {
    const apAt = `${at}.justInTime.approvers[${j}].principalId`;
    if (!isGuidText(ap.principalId)) sink.error(apAt, 'auth.eligible.approver-id', `Approver "${ap.principalId}" is not an object ID (GUID).`);
    else if (ctx.principal?.(ap.principalId)?.type === 'ServicePrincipal') {
      sink.error(apAt, 'auth.eligible.service-principal', `Approver ${ap.displayName || ap.principalId} is a service principal; approvers are users or groups.`);
    }
  });
}

function validateAuthorization(sink: ViolationSink, at: string, a: PlanAuthorization, ctx: TechnicalContext): void {
  if (isBlank(a.displayName)) sink.error(`${at}.displayName`, 'auth.display-name', 'Display name is required: the customer sees it when delegating.');
  if (!isGuidText(a.principalId)) sink.error(`${at}.principalId`, 'auth.principal-id', `Principal ID "${a.principalId}" is not an object ID (GUID).`);
  else {
    const info = ctx.principal?.(a.principalId);
    if (info?.type === 'Group' && info.securityEnabled === false) {
      sink.error(`${at}.principalId`, 'auth.principal-type', `${a.displayName || a.principalId} is a Microsoft 365 group; use a security group.`);
    }
  }
  validateRole(sink, at, a, ctx);
  if (a.accessType === 'eligible') validateEligible(sink, at, a, ctx);
}

function validateAuthorizations(sink: ViolationSink, base: string, manifest: Manifest, ctx: TechnicalContext): void {
  const auths = manifest.authorizations;
  if (auths.length < 1 || auths.length > MAX_AUTHORIZATIONS) {
    sink.error(`${base}.authorizations`, 'auth.count', `A manifest has 1 to ${MAX_AUTHORIZATIONS} authorizations (${auths.length} given).`);
  }
  if (auths.length > 0 && !auths.some((a) => a.accessType === 'active')) {
    sink.error(`${base}.authorizations`, 'auth.active-required', 'Add at least one Active (permanent) authorization; Eligible ones alone can’t onboard a customer.');
  }
  const seen = new Set<string>();
  auths.forEach((a, i) => {
    const at = `${base}.authorizations[${i}]`;
    validateAuthorization(sink, at, a, ctx);
    const key = `${normalizeGuid(a.principalId)}|${normalizeGuid(a.roleDefinitionId)}|${a.accessType}`;
    if (seen.has(key)) sink.warn(at, 'auth.duplicate', `${a.displayName || a.principalId} already has this role with the same access type.`);
    seen.add(key);
    if (a.accessType === 'eligible') {
      const firstSameRole = auths.findIndex((b) => b.accessType === 'eligible' && normalizeGuid(b.roleDefinitionId) === normalizeGuid(a.roleDefinitionId));
      if (firstSameRole < i && !samePolicy(auths[firstSameRole]?.justInTime, a.justInTime)) {
        sink.error(`${at}.justInTime`, 'auth.eligible.same-role-same-policy', `Eligible authorizations with the same role must share one policy; this one differs from authorization ${firstSameRole + 1}.`);
      }
      if (!auths.some((b) => b.accessType === 'active' && normalizeGuid(b.principalId) === normalizeGuid(a.principalId))) {
        sink.warn(at, 'auth.eligible.needs-active', `${a.displayName || a.principalId} has no Active authorization; add a permanent Reader-level one so the principal can reach the customer in the portal before elevating.`);
      }
    }
  });
  if (!auths.some((a) => a.accessType === 'active' && normalizeGuid(a.roleDefinitionId) === REGISTRATION_ASSIGNMENT_DELETE_ROLE)) {
    sink.warn(
      `${base}.authorizations`,
      'auth.delete-role.missing',
      'No authorization has the Managed Services Registration assignment Delete Role: only the customer will be able to remove a delegation.',
    );
  }
}

/** JSON with every object's keys sorted: the same value however its keys were ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * True when two manifests grant the same: same version and tenant, and the same authorizations in
 * any order (ARM keeps no order among them; an export lists the active ones before the eligible).
 */
export function sameManifest(a: Manifest, b: Manifest): boolean {
  const grants = (m: Manifest) => m.authorizations.map(canonicalJson).sort();
  return a.version === b.version && a.tenantId === b.tenantId && canonicalJson(grants(a)) === canonicalJson(grants(b));
}

/**
 * Validates a plan's manifests: versions n.n.n strictly increasing, published manifests untouched, and the
 * current manifest's tenant and authorizations. `published` is the plan as last published, if ever.
 */
export function validateTechnicalConfiguration(plan: Plan, planPath: string, published: Plan | undefined, ctx: TechnicalContext, sink: ViolationSink): void {
  const base = `${planPath}.technicalConfiguration.manifests`;
  const manifests = plan.technicalConfiguration.manifests;
  if (manifests.length === 0) {
    sink.error(base, 'manifest.required', 'Create a manifest: a version, your tenant ID and at least one authorization.');
    return;
  }
  manifests.forEach((m, i) => {
    const at = `${base}[${i}].version`;
    const previous = manifests[i - 1];
    if (!VERSION.test(m.version)) sink.error(at, 'manifest.version.format', `Manifest version "${m.version}" must have the form n.n.n, e.g. 1.0.0.`);
    else if (previous !== undefined && (compareVersions(m.version, previous.version) ?? 1) <= 0) {
      sink.error(at, 'manifest.version.increasing', `Manifest version ${m.version} must be higher than the previous version ${previous.version}.`);
    }
  });
  (published?.technicalConfiguration.manifests ?? []).forEach((pm, i) => {
    const draft = manifests[i];
    if (draft === undefined || !sameManifest(draft, pm)) {
      sink.error(`${base}[${i}]`, 'manifest.published-immutable', `Manifest ${pm.version} is published and can’t change; use + New manifest with a higher version instead.`);
    }
  });
  const last = manifests.length - 1;
  const current = manifests[last] as Manifest;
  if (!isGuidText(current.tenantId)) sink.error(`${base}[${last}].tenantId`, 'manifest.tenant-id', `Tenant ID "${current.tenantId}" must be the GUID of your managing tenant.`);
  validateAuthorizations(sink, `${base}[${last}]`, current, ctx);
}
