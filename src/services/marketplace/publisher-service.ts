/**
 * Publisher accounts: a tenant enrolls as a publisher, its users and service principals hold
 * Partner Center roles, and the platform operator verifies the account and its program eligibility.
 *
 * The operator is the `system` context (CLI, seeding) or a platform operator (the role the
 * decision engine holds, src/services/operator/operator-role.ts): it verifies publishers and
 * eligibility, approves certification, and may act on every publisher.
 */
import { DomainError, conflict, invalid, notFound } from '../../core/errors.js';
import { isGuid, normalizeGuid } from '../../core/guid.js';
import {
  MANAGED_SERVICE_CREDENTIALS, memberCanDo, withMemberRoles, type EligibilityCredential, type PartnerCenterRole, type PublisherAccount,
  type PublisherAction, type PublisherContact, type PublisherMember,
} from '../../core/marketplace/publisher.js';
import { ID_PATTERN, isBlank, isEmail } from '../../core/marketplace/text.js';
import type { Repositories, Store } from '../../storage/port.js';
import { callerName, type Clock, type RequestContext } from '../context.js';
import { marketplaceDocs, type PublisherRecord } from './records.js';

export interface NewPublisher {
  readonly publisherId: string;
  readonly displayName: string;
  readonly contacts: readonly PublisherContact[];
  /** Only the operator enrolls on behalf of a tenant; a caller enrolls its own tenant. */
  readonly tenantId?: string;
}

/** A user or service principal of the publisher's tenant with its Partner Center roles (none: not a member). */
export interface PublisherUser {
  readonly id: string;
  readonly kind: 'user' | 'servicePrincipal';
  readonly displayName: string;
  /** Users only. */
  readonly userPrincipalName?: string;
  /** Service principals only: the application (client) id. */
  readonly appId?: string;
  readonly roles: readonly PartnerCenterRole[];
}

export interface PublisherService {
  enroll(ctx: RequestContext, input: NewPublisher): Promise<PublisherRecord>;
  get(ctx: RequestContext, publisherId: string): Promise<PublisherRecord>;
  /** The publishers the caller is a member of (all of them for the operator). */
  list(ctx: RequestContext): Promise<PublisherRecord[]>;
  setMemberRoles(ctx: RequestContext, publisherId: string, memberId: string, roles: readonly PartnerCenterRole[]): Promise<PublisherRecord>;
  /** Partner Center → Users (Owner, Manager): the tenant's users and service principals with their roles, members first; only members with `membersOnly`. */
  users(ctx: RequestContext, publisherId: string, options?: { membersOnly?: boolean }): Promise<PublisherUser[]>;
  claimEligibility(ctx: RequestContext, publisherId: string, credential: EligibilityCredential, evidence: string): Promise<PublisherRecord>;
  decideEligibility(ctx: RequestContext, publisherId: string, credential: EligibilityCredential, decision: 'verified' | 'rejected'): Promise<PublisherRecord>;
  verifyPublisher(ctx: RequestContext, publisherId: string): Promise<PublisherRecord>;
  /** The publisher, when the caller may perform `action` on it; 403 otherwise. */
  authorize(ctx: RequestContext, publisherId: string, action: PublisherAction, repos?: Repositories): Promise<PublisherRecord>;
  /** True for the platform operator (and the system context). */
  isOperator(ctx: RequestContext): boolean;
  /** Members of the publisher holding any of `roles` (notification recipients). */
  membersWith(record: PublisherRecord, roles: readonly PartnerCenterRole[]): readonly PublisherMember[];
}


function forbidden(message: string): DomainError {
  return new DomainError('forbidden', 'forbidden', message);
}

function checkContacts(contacts: readonly PublisherContact[]): void {
  if (contacts.length === 0) throw invalid('invalidRequest', 'A publisher needs at least one contact (name and e-mail).', 'contacts');
  contacts.forEach((c, i) => {
    if (isBlank(c.name)) throw invalid('invalidRequest', `Contact ${i + 1} needs a name.`, `contacts[${i}].name`);
    if (!isEmail(c.email)) throw invalid('invalidRequest', `Contact e-mail "${c.email}" is not a valid e-mail address.`, `contacts[${i}].email`);
  });
}

/** The publisher-accounts service over the store. */
export function createPublisherService(deps: { store: Store; clock: Clock; isOperator: (ctx: RequestContext) => boolean }): PublisherService {
  const { store, clock, isOperator } = deps;
  const now = () => clock.now().toISOString();

  async function load(publisherId: string, repos: Repositories = store): Promise<PublisherRecord> {
    const record = await marketplaceDocs(repos).getPublisher(publisherId);
    if (record === undefined) throw notFound('resourceNotFound', `Publisher "${publisherId}" does not exist.`);
    return record;
  }

  async function authorize(ctx: RequestContext, publisherId: string, action: PublisherAction, repos: Repositories = store): Promise<PublisherRecord> {
    const record = await load(publisherId, repos);
    if (isOperator(ctx)) return record;
    const caller = ctx.caller as Exclude<RequestContext['caller'], 'system'>;
    const sameTenant = normalizeGuid(caller.tenantId) === normalizeGuid(record.tenantId);
    if (!sameTenant || !memberCanDo(record.account, normalizeGuid(caller.objectId), action)) {
      throw forbidden(`${callerName(ctx)} has no Partner Center role in publisher ${publisherId} that allows '${action}'.`);
    }
    return record;
  }

  function requireOperator(ctx: RequestContext, what: string): void {
    if (!isOperator(ctx)) throw forbidden(`Only the platform operator may ${what}.`);
  }

  async function save(record: PublisherRecord, repos: Repositories): Promise<PublisherRecord> {
    await marketplaceDocs(repos).putPublisher(record);
    return record;
  }

  function withAccount(record: PublisherRecord, change: Partial<PublisherAccount>): PublisherRecord {
    return { ...record, account: { ...record.account, ...change } };
  }

  return {
    isOperator,
    authorize,

    async enroll(ctx, input) {
      if (!ID_PATTERN.test(input.publisherId)) {
        throw invalid('invalidId', `Publisher ID "${input.publisherId}" must be 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.`, 'publisherId');
      }
      if (isBlank(input.displayName)) throw invalid('invalidRequest', 'Publisher display name is required.', 'displayName');
      checkContacts(input.contacts);
      const operator = isOperator(ctx);
      if (input.tenantId !== undefined && !operator) throw forbidden('Only the platform operator may enroll a tenant other than its own.');
      // A guest is an outsider invited into the directory (the directory says so, not the token): it
      // may not make the tenant a publisher, whose Owner lists the tenant's users and principals.
      if (!operator && ctx.caller !== 'system' && (await store.identity.getUser(ctx.caller.objectId))?.userType === 'Guest') {
        throw forbidden(`Guest users can't enroll their host tenant ${ctx.caller.tenantId} as a publisher; a member account of the tenant must do it.`);
      }
      const tenantId = ctx.caller === 'system' ? input.tenantId : input.tenantId ?? ctx.caller.tenantId;
      if (tenantId === undefined || !isGuid(tenantId)) throw invalid('invalidRequest', 'The tenant (directory) id of the publisher is required and must be a GUID.', 'tenantId');
      if ((await store.identity.getTenant(tenantId)) === undefined) throw notFound('resourceNotFound', `Tenant ${tenantId} does not exist.`);
      // The enrolling principal becomes the first Owner (the operator enrolls without joining).
      const members: PublisherMember[] = ctx.caller === 'system' ? [] : [{ userId: normalizeGuid(ctx.caller.objectId), roles: ['Owner'] }];
      // Checked where it is written: of two enrolments of one id at once, one is told it is taken.
      return store.transaction(async (tx) => {
        if ((await marketplaceDocs(tx).getPublisher(input.publisherId)) !== undefined) {
          throw conflict('conflict', `Publisher ID "${input.publisherId}" is already taken.`, 'publisherId');
        }
        return save({
          account: {
            publisherId: input.publisherId,
            displayName: input.displayName,
            contacts: input.contacts,
            enrolledInCommercialMarketplace: true,
            verified: false,
            eligibility: [],
            members,
          },
          tenantId: normalizeGuid(tenantId),
          claims: [],
          createdAt: now(),
        }, tx);
      });
    },

    async get(ctx, publisherId) {
      const record = await load(publisherId);
      if (isOperator(ctx)) return record;
      const caller = ctx.caller as Exclude<RequestContext['caller'], 'system'>;
      if (!record.account.members.some((m) => m.userId === normalizeGuid(caller.objectId))) {
        throw forbidden(`${callerName(ctx)} is not a member of publisher ${publisherId}.`);
      }
      return record;
    },

    async list(ctx) {
      const all = await marketplaceDocs(store).listPublishers();
      if (isOperator(ctx)) return all;
      const id = normalizeGuid((ctx.caller as Exclude<RequestContext['caller'], 'system'>).objectId);
      return all.filter((r) => r.account.members.some((m) => m.userId === id));
    },

    async setMemberRoles(ctx, publisherId, memberId, roles) {
      return store.transaction(async (tx) => {
        const record = await authorize(ctx, publisherId, 'manageUsers', tx);
        const id = normalizeGuid(memberId);
        const principal = (await tx.identity.getUser(id)) ?? (await tx.identity.getServicePrincipal(id));
        if (principal === undefined || normalizeGuid(principal.tenantId) !== record.tenantId) {
          throw invalid('invalidRequest', `Principal ${memberId} is not a user or service principal of the publisher's tenant ${record.tenantId}.`, 'memberId');
        }
        return save(withAccount(record, { members: withMemberRoles(record.account, id, roles) }), tx);
      });
    },

    async users(ctx, publisherId, options = {}) {
      const record = await authorize(ctx, publisherId, 'manageUsers');
      const roles = new Map(record.account.members.map((m) => [m.userId, m.roles]));
      const [users, principals] = await Promise.all([store.identity.listUsers(record.tenantId), store.identity.listServicePrincipals(record.tenantId)]);
      const all: PublisherUser[] = [
        ...users.map((u) => ({ id: normalizeGuid(u.id), kind: 'user' as const, displayName: u.displayName, userPrincipalName: u.userPrincipalName, roles: roles.get(normalizeGuid(u.id)) ?? [] })),
        ...principals.map((p) => ({ id: normalizeGuid(p.id), kind: 'servicePrincipal' as const, displayName: p.displayName, appId: p.appId, roles: roles.get(normalizeGuid(p.id)) ?? [] })),
      ];
      return all
        .filter((u) => !options.membersOnly || u.roles.length > 0)
        .sort((a, b) => Number(b.roles.length > 0) - Number(a.roles.length > 0) || a.displayName.localeCompare(b.displayName));
    },

    async claimEligibility(ctx, publisherId, credential, evidence) {
      if (!MANAGED_SERVICE_CREDENTIALS.includes(credential)) {
        await authorize(ctx, publisherId, 'manageUsers');
        throw invalid('invalidRequest', `"${String(credential)}" is not a program credential for managed service offers (${MANAGED_SERVICE_CREDENTIALS.join(', ')}).`, 'credential');
      }
      return store.transaction(async (tx) => {
        const record = await authorize(ctx, publisherId, 'manageUsers', tx);
        const claims = [
          ...record.claims.filter((c) => c.credential !== credential),
          { credential, evidence, status: 'pending' as const, recordedAt: now(), recordedBy: callerName(ctx) },
        ];
        return save({ ...record, claims, account: { ...record.account, eligibility: record.account.eligibility.filter((c) => c !== credential) } }, tx);
      });
    },

    async decideEligibility(ctx, publisherId, credential, decision) {
      requireOperator(ctx, 'verify program eligibility');
      return store.transaction(async (tx) => {
        const record = await load(publisherId, tx);
        const claim = record.claims.find((c) => c.credential === credential);
        if (claim === undefined) throw notFound('resourceNotFound', `Publisher ${publisherId} has not claimed ${credential}.`);
        const claims = record.claims.map((c) => (c === claim ? { ...c, status: decision, decidedAt: now(), decidedBy: callerName(ctx) } : c));
        const eligibility = claims.filter((c) => c.status === 'verified').map((c) => c.credential);
        return save({ ...record, claims, account: { ...record.account, eligibility } }, tx);
      });
    },

    async verifyPublisher(ctx, publisherId) {
      requireOperator(ctx, 'verify a publisher');
      return store.transaction(async (tx) => save(withAccount(await load(publisherId, tx), { verified: true }), tx));
    },

    membersWith(record, roles) {
      return record.account.members.filter((m) => m.roles.some((r) => roles.includes(r)));
    },
  };
}
