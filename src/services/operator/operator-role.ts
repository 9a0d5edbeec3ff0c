/**
 * The platform operator role: who administers Lantern itself (the operator plane, publisher
 * verification, certification review). Grants are documents of the store, and the decision engine
 * holds them (loaded at start, fed each committed grant and revoke), so a revoke refuses the very
 * next request. Only users and service principals hold it, never a group: who administers the
 * platform is never decided by someone else's group membership.
 */
import { assertThat, conflict, invalid, notFound } from '../../core/errors.js';
import { isGuid, normalizeGuid } from '../../core/guid.js';
import { OPERATOR_ACTIONS, OPERATOR_SCOPE } from '../../core/rbac/operator-scope.js';
import type { Repositories, Store } from '../../storage/port.js';
import type { AccessService } from '../authorization/access-service.js';
import { callerName, type Clock, type RequestContext } from '../context.js';

const COLLECTION = 'platform-operators';
const PARTITION = 'platform';

/** One principal holding the platform operator role. */
export interface PlatformOperator {
  readonly principalId: string;
  readonly principalType: 'User' | 'ServicePrincipal';
  readonly tenantId: string;
  readonly displayName: string;
  readonly grantedAt: string;
  /** Who granted it, as the activity log names callers (`Lantern` for the CLI's bootstrap). */
  readonly grantedBy: string;
}

/** Every platform operator, read from the store (the engine's start, the bootstrap's check). */
export function listPlatformOperators(repos: Repositories): Promise<PlatformOperator[]> {
  return repos.documents.list<PlatformOperator>(COLLECTION, PARTITION);
}

export type OperatorRoleService = ReturnType<typeof createOperatorRoleService>;

/** The grant, revoke and list of the platform operator role, each authorized by the engine. */
export function createOperatorRoleService({ store, access, clock }: { store: Store; access: AccessService; clock: Clock }) {
  const checkedId = (principalId: string): string => {
    assertThat(isGuid(principalId), () => invalid('InvalidPrincipalId', `The principalId '${principalId}' must be the object id (GUID) of a user or service principal.`, 'principalId'));
    return normalizeGuid(principalId);
  };

  /** Gives a user or service principal the operator role; granting it again changes nothing. */
  async function grant(ctx: RequestContext, principalId: string): Promise<PlatformOperator> {
    access.authorize(ctx, OPERATOR_ACTIONS.grantOperator, OPERATOR_SCOPE);
    const id = checkedId(principalId);
    const granted = await store.transaction(async (tx) => {
      const existing = await tx.documents.get<PlatformOperator>(COLLECTION, id);
      if (existing) return existing;
      const user = await tx.identity.getUser(id);
      const sp = user ? undefined : await tx.identity.getServicePrincipal(id);
      if (!user && !sp && (await tx.identity.getGroup(id))) {
        throw invalid('InvalidOperatorPrincipal', `'${id}' is a group: the operator role is granted to users and service principals only (grant it to the members who need it).`, 'principalId');
      }
      const principal = user ?? sp;
      assertThat(principal, () => notFound('PrincipalNotFound', `No user or service principal has the object id '${id}'.`));
      const operator: PlatformOperator = {
        principalId: id,
        principalType: user ? 'User' : 'ServicePrincipal',
        tenantId: normalizeGuid(principal.tenantId),
        displayName: principal.displayName,
        grantedAt: clock.now().toISOString(),
        grantedBy: callerName(ctx),
      };
      await tx.documents.put(COLLECTION, id, PARTITION, operator);
      return operator;
    });
    access.engine.putPlatformOperator(granted.principalId);
    return granted;
  }

  return {
    /** True when the caller is a platform operator (or the CLI's system context). */
    isOperator: (ctx: RequestContext): boolean => access.allows(ctx, OPERATOR_ACTIONS.readOperators, OPERATOR_SCOPE),

    /** The platform operators. */
    async list(ctx: RequestContext): Promise<PlatformOperator[]> {
      access.authorize(ctx, OPERATOR_ACTIONS.readOperators, OPERATOR_SCOPE);
      return listPlatformOperators(store);
    },

    grant,

    /** Takes the operator role away; the principal's next request is refused. */
    async revoke(ctx: RequestContext, principalId: string): Promise<void> {
      access.authorize(ctx, OPERATOR_ACTIONS.revokeOperator, OPERATOR_SCOPE);
      const id = checkedId(principalId);
      const removed = await store.transaction((tx) => tx.documents.delete(COLLECTION, id));
      assertThat(removed, () => notFound('OperatorNotFound', `'${id}' does not hold the platform operator role.`));
      access.engine.removePlatformOperator(id);
    },

    /**
     * The first operator of a deployment that has none (the CLI's bootstrap, as the system
     * context): `principal` makes it and answers its object id. Refused, before anything is made,
     * once any principal holds the role: from then on operators grant it.
     */
    async bootstrap(ctx: RequestContext, principal: () => Promise<string>): Promise<PlatformOperator> {
      const existing = await listPlatformOperators(store);
      assertThat(existing.length === 0, () =>
        conflict('OperatorAlreadyExists', `This deployment already has ${existing.length} platform operator(s) (${existing.map((o) => o.displayName).join(', ')}): an operator grants the role to others ('lantern operator grant', PUT ${OPERATOR_SCOPE}/operators/{principalId}).`));
      return grant(ctx, await principal());
    },
  };
}
