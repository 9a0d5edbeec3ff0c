/**
 * The operator plane's administration of the platform: tenants, their users, groups, service
 * principals (with a client secret) and subscriptions, made by a platform operator over HTTP or the
 * CLI. Each call is authorized by the decision engine first (only platform operators act on
 * `/providers/Lantern.Operator`), then goes through the directory's own rules. Passwords and
 * secrets are returned once, here, and stored as hashes only.
 */
import { assertThat, invalid, notFound } from '../../core/errors.js';
import { normalizeGuid } from '../../core/guid.js';
import type { Group, GroupMembership, ServicePrincipal, Tenant, User } from '../../core/identity/model.js';
import { OPERATOR_ACTIONS, OPERATOR_SCOPE } from '../../core/rbac/operator-scope.js';
import type { Subscription } from '../../core/resources/model.js';
import type { Store } from '../../storage/port.js';
import type { AccessService } from '../authorization/access-service.js';
import { systemContext, type IdGenerator, type RequestContext } from '../context.js';
import type { RbacService } from '../rbac/rbac-service.js';
import { OWNER } from '../../core/roles/builtin-catalog.js';
import type { DirectoryService, IssuedClientSecret, NewTenant } from '../identity/directory-service.js';
import { generatePassword } from '../identity/passwords.js';
import { createSubscription } from './subscription-admin.js';

/** A user as the operator plane shows it: never its password hash. */
export type UserInfo = Omit<User, 'passwordHash'>;

export interface NewMember {
  readonly userPrincipalName: string;
  readonly displayName: string;
  /** Generated (and returned once) when not given. */
  readonly password?: string;
}

export type DirectoryAdmin = ReturnType<typeof createDirectoryAdmin>;

/** The operator plane's directory and subscription administration. */
export function createDirectoryAdmin({ store, access, directory, rbac, ids }: { store: Store; access: AccessService; directory: DirectoryService; rbac: RbacService; ids: IdGenerator }) {
  const authorize = (ctx: RequestContext, action: string) => access.authorize(ctx, action, OPERATOR_SCOPE);

  return {
    async createTenant(ctx: RequestContext, input: NewTenant): Promise<Tenant> {
      authorize(ctx, OPERATOR_ACTIONS.createTenant);
      return directory.createTenant(input);
    },

    async listTenants(ctx: RequestContext): Promise<Tenant[]> {
      authorize(ctx, OPERATOR_ACTIONS.readTenants);
      return directory.listTenants();
    },

    /** A member of the tenant (UPN in its domain) and the password it signs in with, shown this once. */
    async createUser(ctx: RequestContext, tenantId: string, input: NewMember): Promise<{ user: UserInfo; password: string }> {
      authorize(ctx, OPERATOR_ACTIONS.createUser);
      const password = input.password ?? generatePassword();
      const { passwordHash: _hash, ...user } = await directory.createUser({ tenantId, userType: 'Member', userPrincipalName: input.userPrincipalName, displayName: input.displayName, password });
      return { user, password };
    },

    async createGroup(ctx: RequestContext, tenantId: string, input: { displayName: string }): Promise<Group> {
      authorize(ctx, OPERATOR_ACTIONS.createGroup);
      return directory.createGroup({ tenantId, displayName: input.displayName });
    },

    /** Adds a user, group or service principal of the group's tenant to the group (the engine sees it at once). */
    async addGroupMember(ctx: RequestContext, tenantId: string, groupId: string, memberId: string): Promise<GroupMembership> {
      authorize(ctx, OPERATOR_ACTIONS.addGroupMember);
      const group = await directory.getGroup(groupId);
      assertThat(group && normalizeGuid(group.tenantId) === normalizeGuid(tenantId), () => notFound('GroupNotFound', `The tenant '${tenantId}' has no group '${groupId}'.`));
      return directory.addMember(group.id, memberId);
    },

    /** A service principal and its first client secret, whose value is shown this once. */
    async createServicePrincipal(ctx: RequestContext, tenantId: string, input: { displayName: string }): Promise<{ servicePrincipal: ServicePrincipal; clientSecret: IssuedClientSecret }> {
      authorize(ctx, OPERATOR_ACTIONS.createServicePrincipal);
      const servicePrincipal = await directory.createServicePrincipal({ tenantId, displayName: input.displayName });
      return { servicePrincipal, clientSecret: await directory.addClientSecret(servicePrincipal.id) };
    },

    /**
     * An Enabled subscription of the tenant (its id generated when not given) and, when `ownerId`
     * names a user, group or service principal of that tenant, its first Owner, as Azure makes the
     * subscription's creator its Owner: the operator plane itself grants nothing inside a tenant.
     */
    async createSubscription(ctx: RequestContext, tenantId: string, input: { displayName: string; subscriptionId?: string; ownerId?: string }): Promise<Subscription> {
      authorize(ctx, OPERATOR_ACTIONS.createSubscription);
      const { ownerId } = input;
      const owner = ownerId === undefined ? undefined : await directory.getPrincipal(ownerId);
      assertThat(ownerId === undefined || (owner && normalizeGuid(owner.tenantId) === normalizeGuid(tenantId)), () =>
        invalid('InvalidOwner', `The ownerId '${String(ownerId)}' is not a user, group or service principal of the tenant '${tenantId}'.`, 'ownerId'));
      const subscription = await createSubscription({ store, engine: access.engine }, { subscriptionId: input.subscriptionId ?? ids.guid(), tenantId, displayName: input.displayName });
      if (owner) {
        const principalType = owner.principalType;
        await rbac.putRoleAssignment(systemContext(ids), { name: ids.guid(), scope: `/subscriptions/${subscription.subscriptionId}`, roleDefinitionId: OWNER, principalId: owner.id, principalType });
      }
      return subscription;
    },
  };
}
