/**
 * The directory: tenants, users, security groups with nested membership, service principals and
 * their client secrets. Validation names the field and the rule; passwords are kept only as argon2id
 * hashes and generated client secrets as digests (passwords.ts); every committed change is announced through `onChange` so the decision
 * engine can follow membership incrementally.
 */
import { assertThat, conflict, invalid, notFound } from '../../core/errors.js';
import { isGuid, normalizeGuid } from '../../core/guid.js';
import { GroupGraph } from '../../core/identity/group-graph.js';
import { managedIdentityResourceId, type ClientSecret, type Group, type GroupMembership, type PrincipalType, type ServicePrincipal, type Tenant, type User } from '../../core/identity/model.js';
import { REDIRECT_PLATFORMS, redirectUriProblem, type ApplicationPlatforms } from '../../core/identity/redirect-uris.js';
import { parseScope, type ParsedScope } from '../../core/scope.js';
import type { IdentityRepository, Store } from '../../storage/port.js';
import { digestGeneratedSecret, generateClientSecret, hashSecret, passwordComplexityProblem, verifyAgainstDecoy, verifySecret } from './passwords.js';
import type { Clock, IdGenerator } from '../context.js';

/** What changed in the directory, announced after the change is committed. */
export type DirectoryChange =
  | { readonly type: 'TenantCreated'; readonly tenantId: string }
  | { readonly type: 'PrincipalCreated'; readonly tenantId: string; readonly principalId: string; readonly principalType: PrincipalType }
  | { readonly type: 'MembershipAdded'; readonly membership: GroupMembership }
  | { readonly type: 'MembershipRemoved'; readonly membership: GroupMembership }
  | { readonly type: 'ClientSecretAdded' | 'ClientSecretRemoved'; readonly servicePrincipalId: string; readonly secretId: string };

export interface DirectoryServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Called synchronously after each committed change; it must not throw. */
  readonly onChange?: (change: DirectoryChange) => void;
}

export interface NewTenant {
  readonly id?: string;
  readonly displayName: string;
  readonly defaultDomain: string;
}

interface NewUserBase {
  readonly id?: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly password: string;
}
/** A member signs in with a UPN in the tenant's domain; a guest is invited by the e-mail address of another directory. */
export type NewUser =
  | (NewUserBase & { readonly userType: 'Member'; readonly userPrincipalName: string })
  | (NewUserBase & { readonly userType: 'Guest'; readonly email: string });

export interface NewGroup {
  readonly id?: string;
  readonly tenantId: string;
  readonly displayName: string;
}

export interface NewServicePrincipal extends ApplicationSignIn {
  readonly id?: string;
  readonly appId?: string;
  readonly tenantId: string;
  readonly displayName: string;
}

/** How users sign in to an application: its redirect URIs per platform and whether public client flows are allowed. */
export interface ApplicationSignIn extends ApplicationPlatforms {
  readonly isFallbackPublicClient?: boolean;
}

/** A managed identity: the service principal Azure makes for a resource (system-assigned) or a user-assigned identity resource. */
export interface NewManagedIdentity {
  readonly id?: string;
  /** The id of the Azure resource the identity belongs to, in a subscription of `tenantId`. */
  readonly resourceId: string;
  readonly tenantId: string;
  /** Defaults to the resource's name, as Azure names a system-assigned identity. */
  readonly displayName?: string;
}

export interface NewClientSecret {
  readonly displayName?: string;
  /** ISO-8601; defaults to one year from now, at most two years from now. */
  readonly expiresAt?: string;
}

/** A client secret as it may be shown: everything but the hash. */
export type ClientSecretInfo = Omit<ClientSecret, 'secretHash'>;

/** The one moment the secret value exists outside the caller's hands. */
export interface IssuedClientSecret {
  readonly secret: ClientSecretInfo;
  readonly value: string;
}

export type UserAuthentication = { readonly ok: true; readonly user: User } | { readonly ok: false; readonly reason: 'unknown_user' | 'bad_password' };

export type ClientAuthentication =
  | { readonly ok: true; readonly servicePrincipal: ServicePrincipal }
  | { readonly ok: false; readonly reason: 'unknown_client' | 'bad_secret' | 'expired_secret' };

/** Any directory object a token or an assignment may name. */
export interface PrincipalInfo {
  readonly id: string;
  readonly tenantId: string;
  readonly principalType: PrincipalType;
  readonly displayName: string;
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// The characters Entra allows before the @ of a user principal name.
const UPN_LOCAL = /^(?!\.)(?!.*\.\.)[A-Za-z0-9'._!#^~-]{1,64}(?<!\.)$/;
const DEFAULT_SECRET_LIFETIME_YEARS = 1;
const MAX_REDIRECT_URIS = 256; // Entra's limit per application
const MAX_SECRET_LIFETIME_YEARS = 2;

function addYears(date: Date, years: number): Date {
  const later = new Date(date);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

function checkDisplayName(value: string, target = 'displayName'): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  assertThat(trimmed.length >= 1 && trimmed.length <= 256, () =>
    invalid('InvalidDisplayName', `The ${target} must be 1 to 256 characters long and not blank.`, target));
  return trimmed;
}

function checkId(value: string | undefined, ids: IdGenerator, target: string): string {
  const id = value ?? ids.guid();
  assertThat(isGuid(id), () => invalid('InvalidObjectId', `The ${target} '${String(id)}' is not a GUID (8-4-4-4-12 hexadecimal digits).`, target));
  return normalizeGuid(id);
}

function checkDomain(value: string, target: string): string {
  const domain = typeof value === 'string' ? value.trim().toLowerCase() : '';
  assertThat(DOMAIN.test(domain), () =>
    invalid('InvalidDomainName', `The ${target} '${String(value)}' is not a domain name: use dot-separated labels of letters, digits and hyphens ending in a top-level label of letters (for example contoso.example).`, target));
  return domain;
}

/** Splits `local@domain`, checking the local part against Entra's allowed characters and the domain's form. */
function splitAddress(value: string, target: string): { local: string; domain: string } {
  const at = typeof value === 'string' ? value.lastIndexOf('@') : -1;
  const local = at > 0 ? value.slice(0, at) : '';
  assertThat(UPN_LOCAL.test(local), () =>
    invalid('InvalidUserPrincipalName', `The ${target} '${String(value)}' must be 'name@domain' where name is 1 to 64 of the characters A-Z a-z 0-9 ' . - _ ! # ^ ~, not starting or ending with a dot and without two dots in a row.`, target));
  return { local, domain: checkDomain(value.slice(at + 1), target) };
}

/** The user principal name Entra gives a guest invited by `email` into the directory whose domain is `tenantDomain`. */
export function guestUserPrincipalName(email: string, tenantDomain: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}_${email.slice(at + 1).toLowerCase()}#EXT#@${tenantDomain}`;
}

/** The sign-in settings of an application, checked: each redirect URI well formed for its platform, at most 256 in all. */
function checkSignIn(input: ApplicationSignIn): ApplicationSignIn {
  const out: { -readonly [K in keyof ApplicationSignIn]: ApplicationSignIn[K] } = {};
  let count = 0;
  for (const platform of REDIRECT_PLATFORMS) {
    const given: unknown = input[platform]?.redirectUris;
    if (given === undefined) continue;
    assertThat(Array.isArray(given), () => invalid('InvalidRedirectUri', `${platform}.redirectUris must be an array of URIs.`, `${platform}.redirectUris`));
    const uris = given as unknown[];
    uris.forEach((uri, i) => {
      const problem = typeof uri === 'string' ? redirectUriProblem(uri, platform) : 'must be a string';
      assertThat(problem === undefined, () => invalid('InvalidRedirectUri', `The redirect URI '${String(uri)}' of ${platform}.redirectUris[${i}] ${problem}.`, `${platform}.redirectUris[${i}]`));
    });
    count += uris.length;
    out[platform] = { redirectUris: [...new Set(uris as string[])] };
  }
  assertThat(count <= MAX_REDIRECT_URIS, () => invalid('TooManyRedirectUris', `An application may have at most ${MAX_REDIRECT_URIS} redirect URIs; ${count} were given.`, 'redirectUris'));
  if (input.isFallbackPublicClient !== undefined) {
    assertThat(typeof input.isFallbackPublicClient === 'boolean', () => invalid('InvalidIsFallbackPublicClient', 'isFallbackPublicClient must be true or false.', 'isFallbackPublicClient'));
    out.isFallbackPublicClient = input.isFallbackPublicClient;
  }
  return out;
}

async function principalIn(repo: IdentityRepository, id: string): Promise<PrincipalInfo | undefined> {
  const user = await repo.getUser(id);
  if (user) return { id: user.id, tenantId: user.tenantId, principalType: 'User', displayName: user.displayName };
  const group = await repo.getGroup(id);
  if (group) return { id: group.id, tenantId: group.tenantId, principalType: 'Group', displayName: group.displayName };
  const sp = await repo.getServicePrincipal(id);
  if (sp) return { id: sp.id, tenantId: sp.tenantId, principalType: 'ServicePrincipal', displayName: sp.displayName };
  return undefined;
}

// The parsed id when it names a resource (not a group, subscription or tenant-level scope).
function resourceScopeOf(id: string): ParsedScope | undefined {
  try {
    const parsed = parseScope(id);
    return parsed.level === 'resource' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function graphOf(memberships: readonly GroupMembership[]): GroupGraph {
  const graph = new GroupGraph();
  for (const m of memberships) graph.addMembership(m);
  return graph;
}

const withoutHash = ({ secretHash: _hash, ...info }: ClientSecret): ClientSecretInfo => info;

/** Creates the directory service over the store. */
export function createDirectoryService({ store, clock, ids, onChange }: DirectoryServiceOptions) {
  const repo = store.identity;
  const emit = (change: DirectoryChange): void => onChange?.(change);

  // Membership changes run one at a time: the cycle check reads every edge and then writes one,
  // and two concurrent adds (A into B, B into A) must not both pass it.
  let membershipQueue: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = membershipQueue.then(work, work);
    membershipQueue = run.catch(() => undefined);
    return run;
  }

  const tenantByDomain = (domain: string): Promise<Tenant | undefined> => repo.findTenantByDomain(domain.toLowerCase());

  async function requireTenant(tenantId: string): Promise<Tenant> {
    const tenant = isGuid(tenantId) ? await repo.getTenant(tenantId) : undefined;
    assertThat(tenant, () => notFound('TenantNotFound', `The tenant '${tenantId}' does not exist.`));
    return tenant;
  }

  async function requireServicePrincipal(id: string): Promise<ServicePrincipal> {
    const sp = isGuid(id) ? await repo.getServicePrincipal(id) : undefined;
    assertThat(sp, () => notFound('ServicePrincipalNotFound', `The service principal '${id}' does not exist.`));
    return sp;
  }

  return {
    /** Creates a directory with its default domain; both the id and the domain must be unused. */
    async createTenant(input: NewTenant): Promise<Tenant> {
      const tenant: Tenant = {
        id: checkId(input.id, ids, 'id'),
        displayName: checkDisplayName(input.displayName),
        defaultDomain: checkDomain(input.defaultDomain, 'defaultDomain'),
      };
      await store.transaction(async (tx) => {
        assertThat(!(await tx.identity.getTenant(tenant.id)), () => conflict('TenantAlreadyExists', `A tenant with id '${tenant.id}' already exists.`, 'id'));
        assertThat(!(await tx.identity.findTenantByDomain(tenant.defaultDomain)), () =>
          conflict('DomainAlreadyExists', `The domain '${tenant.defaultDomain}' is already the domain of another tenant.`, 'defaultDomain'));
        await tx.identity.putTenant(tenant);
      });
      emit({ type: 'TenantCreated', tenantId: tenant.id });
      return tenant;
    },

    /**
     * Creates a member (UPN in the tenant's domain) or a guest (invited by an e-mail address of
     * another domain, given the `name_domain#EXT#@tenantdomain` UPN Entra uses).
     */
    async createUser(input: NewUser): Promise<User> {
      const tenant = await requireTenant(input.tenantId);
      let userPrincipalName: string;
      if (input.userType === 'Member') {
        const { local, domain } = splitAddress(input.userPrincipalName, 'userPrincipalName');
        assertThat(domain === tenant.defaultDomain, () =>
          invalid('InvalidUserPrincipalName', `The domain portion of the userPrincipalName property is invalid: '${domain}' is not a domain of tenant '${tenant.id}'; members must use '${tenant.defaultDomain}'.`, 'userPrincipalName'));
        userPrincipalName = `${local}@${domain}`;
      } else {
        assertThat(input.userType === 'Guest', () => invalid('InvalidUserType', `The userType '${String((input as { userType: unknown }).userType)}' is not one of 'Member', 'Guest'.`, 'userType'));
        const { local, domain } = splitAddress(input.email, 'email');
        assertThat(domain !== tenant.defaultDomain, () =>
          invalid('InvalidGuestEmail', `A guest is invited from another directory: the email domain must not be '${tenant.defaultDomain}', the tenant's own domain (create a member instead).`, 'email'));
        userPrincipalName = guestUserPrincipalName(`${local}@${domain}`, tenant.defaultDomain);
      }
      const problem = typeof input.password === 'string' ? passwordComplexityProblem(input.password) : 'is required';
      assertThat(problem === undefined, () => invalid('InvalidPassword', `The password does not comply with the password complexity requirements: it ${problem}.`, 'password'));
      const user: User = {
        id: checkId(input.id, ids, 'id'),
        tenantId: tenant.id,
        userPrincipalName,
        displayName: checkDisplayName(input.displayName),
        userType: input.userType,
        passwordHash: await hashSecret(input.password),
      };
      await store.transaction(async (tx) => {
        assertThat(!(await tx.identity.findUserByUpn(userPrincipalName)), () =>
          conflict('UserPrincipalNameAlreadyExists', `Another object with the same value for property userPrincipalName ('${userPrincipalName}') already exists.`, 'userPrincipalName'));
        assertThat(!(await principalIn(tx.identity, user.id)), () => conflict('ObjectIdAlreadyExists', `An object with id '${user.id}' already exists.`, 'id'));
        await tx.identity.putUser(user);
      });
      emit({ type: 'PrincipalCreated', tenantId: tenant.id, principalId: user.id, principalType: 'User' });
      return user;
    },

    /** Creates a security group. */
    async createGroup(input: NewGroup): Promise<Group> {
      const tenant = await requireTenant(input.tenantId);
      const group: Group = { id: checkId(input.id, ids, 'id'), tenantId: tenant.id, displayName: checkDisplayName(input.displayName), securityEnabled: true };
      await store.transaction(async (tx) => {
        assertThat(!(await principalIn(tx.identity, group.id)), () => conflict('ObjectIdAlreadyExists', `An object with id '${group.id}' already exists.`, 'id'));
        await tx.identity.putGroup(group);
      });
      emit({ type: 'PrincipalCreated', tenantId: tenant.id, principalId: group.id, principalType: 'Group' });
      return group;
    },

    /** Adds a direct member (user, group or service principal of the same tenant); refuses duplicates and cycles. */
    async addMember(groupId: string, memberId: string): Promise<GroupMembership> {
      const membership = await oneAtATime(() =>
        store.transaction(async (tx) => {
          const group = isGuid(groupId) ? await tx.identity.getGroup(groupId) : undefined;
          assertThat(group, () => notFound('GroupNotFound', `The group '${groupId}' does not exist.`));
          const member = isGuid(memberId) ? await principalIn(tx.identity, memberId) : undefined;
          assertThat(member, () => notFound('PrincipalNotFound', `The member '${memberId}' is not a user, group or service principal of this directory.`));
          assertThat(member.tenantId === group.tenantId, () =>
            invalid('MemberTenantMismatch', `The member '${member.id}' belongs to tenant '${member.tenantId}', not to the group's tenant '${group.tenantId}'.`, 'memberId'));
          const memberships = await tx.identity.listMemberships();
          const m: GroupMembership = { groupId: normalizeGuid(group.id), memberId: normalizeGuid(member.id), memberType: member.principalType };
          assertThat(!memberships.some((e) => normalizeGuid(e.groupId) === m.groupId && normalizeGuid(e.memberId) === m.memberId), () =>
            conflict('MembershipAlreadyExists', `'${m.memberId}' is already a direct member of group '${m.groupId}'.`, 'memberId'));
          graphOf(memberships).addMembership(m); // throws GroupMembershipCycle before anything is written
          await tx.identity.putMembership(m);
          return m;
        }),
      );
      emit({ type: 'MembershipAdded', membership });
      return membership;
    },

    /** Removes a direct membership. */
    async removeMember(groupId: string, memberId: string): Promise<void> {
      const membership = await oneAtATime(() =>
        store.transaction(async (tx) => {
          const [g, m] = [groupId.toLowerCase(), memberId.toLowerCase()];
          const edge = (await tx.identity.listMemberships()).find((e) => normalizeGuid(e.groupId) === g && normalizeGuid(e.memberId) === m);
          assertThat(edge && (await tx.identity.deleteMembership(g, m)), () => notFound('MembershipNotFound', `'${memberId}' is not a direct member of group '${groupId}'.`));
          return edge;
        }),
      );
      emit({ type: 'MembershipRemoved', membership });
    },

    /** Creates a service principal; its appId (client id) is generated unless given, and must be unused. */
    async createServicePrincipal(input: NewServicePrincipal): Promise<ServicePrincipal> {
      const tenant = await requireTenant(input.tenantId);
      const sp: ServicePrincipal = {
        id: checkId(input.id, ids, 'id'),
        appId: checkId(input.appId, ids, 'appId'),
        tenantId: tenant.id,
        displayName: checkDisplayName(input.displayName),
        ...checkSignIn(input),
      };
      await store.transaction(async (tx) => {
        assertThat(!(await principalIn(tx.identity, sp.id)), () => conflict('ObjectIdAlreadyExists', `An object with id '${sp.id}' already exists.`, 'id'));
        assertThat(!(await tx.identity.findServicePrincipalByAppId(sp.appId)), () => conflict('AppIdAlreadyExists', `A service principal with appId '${sp.appId}' already exists.`, 'appId'));
        await tx.identity.putServicePrincipal(sp);
      });
      emit({ type: 'PrincipalCreated', tenantId: tenant.id, principalId: sp.id, principalType: 'ServicePrincipal' });
      return sp;
    },

    /**
     * Creates the service principal of a managed identity (Entra `servicePrincipalType`
     * `ManagedIdentity`, the resource id among its `alternativeNames`) in the tenant of the
     * resource's subscription. It has no credentials a client could use.
     */
    async createManagedIdentity(input: NewManagedIdentity): Promise<ServicePrincipal> {
      const tenant = await requireTenant(input.tenantId);
      const resource = resourceScopeOf(input.resourceId);
      assertThat(resource?.subscriptionId !== undefined && resource.name !== undefined, () =>
        invalid('InvalidManagedIdentityResourceId', `The resource id '${input.resourceId}' of a managed identity must name an Azure resource.`, 'resourceId'));
      const subscription = await store.resources.getSubscription(resource.subscriptionId);
      assertThat(subscription && normalizeGuid(subscription.tenantId) === tenant.id, () =>
        invalid('ManagedIdentityTenantMismatch', `The resource '${resource.id}' is not in a subscription of tenant '${tenant.id}': a managed identity lives in the directory of its resource's subscription.`, 'resourceId'));
      const sp: ServicePrincipal = {
        id: checkId(input.id, ids, 'id'),
        appId: ids.guid(),
        tenantId: tenant.id,
        displayName: checkDisplayName(input.displayName ?? resource.name),
        servicePrincipalType: 'ManagedIdentity',
        alternativeNames: ['isExplicit=False', resource.id],
      };
      await store.transaction(async (tx) => {
        assertThat(!(await principalIn(tx.identity, sp.id)), () => conflict('ObjectIdAlreadyExists', `An object with id '${sp.id}' already exists.`, 'id'));
        await tx.identity.putServicePrincipal(sp);
      });
      emit({ type: 'PrincipalCreated', tenantId: tenant.id, principalId: sp.id, principalType: 'ServicePrincipal' });
      return sp;
    },

    /** Replaces an application's redirect URIs (the platforms given) and its public-client setting; a managed identity has none. */
    async setApplicationSignIn(servicePrincipalId: string, input: ApplicationSignIn): Promise<ServicePrincipal> {
      const settings = checkSignIn(input);
      return store.transaction(async (tx) => {
        const sp = isGuid(servicePrincipalId) ? await tx.identity.getServicePrincipal(servicePrincipalId) : undefined;
        assertThat(sp, () => notFound('ServicePrincipalNotFound', `The service principal '${servicePrincipalId}' does not exist.`));
        assertThat(managedIdentityResourceId(sp) === undefined, () =>
          invalid('ManagedIdentitySignIn', `The service principal '${sp.id}' is a managed identity: users do not sign in to it.`, 'servicePrincipalId'));
        const updated: ServicePrincipal = { ...sp, ...settings };
        await tx.identity.putServicePrincipal(updated);
        return updated;
      });
    },

    /** Adds a client secret; the returned `value` is the only copy (the store keeps its hash). */
    async addClientSecret(servicePrincipalId: string, input: NewClientSecret = {}): Promise<IssuedClientSecret> {
      const sp = await requireServicePrincipal(servicePrincipalId);
      assertThat(managedIdentityResourceId(sp) === undefined, () =>
        invalid('ManagedIdentityCredentials', `The service principal '${sp.id}' is a managed identity: Azure manages its credentials, a client secret cannot be added.`, 'servicePrincipalId'));
      const now = clock.now();
      const latest = addYears(now, MAX_SECRET_LIFETIME_YEARS);
      const expires = input.expiresAt === undefined ? addYears(now, DEFAULT_SECRET_LIFETIME_YEARS) : new Date(input.expiresAt);
      assertThat(!Number.isNaN(expires.getTime()) && expires > now && expires <= latest, () =>
        invalid('InvalidSecretExpiry', `The expiresAt '${String(input.expiresAt)}' must be an ISO-8601 date-time after now and at most ${MAX_SECRET_LIFETIME_YEARS} years ahead (${latest.toISOString()}).`, 'expiresAt'));
      const { value, hint } = generateClientSecret();
      const secret: ClientSecret = {
        id: ids.guid(),
        servicePrincipalId: sp.id,
        secretHash: digestGeneratedSecret(value),
        hint,
        displayName: input.displayName === undefined ? 'Client secret' : checkDisplayName(input.displayName),
        expiresAt: expires.toISOString(),
        createdAt: now.toISOString(),
      };
      await repo.putClientSecret(secret);
      emit({ type: 'ClientSecretAdded', servicePrincipalId: sp.id, secretId: secret.id });
      return { secret: withoutHash(secret), value };
    },

    /** Removes a client secret of the service principal. */
    async removeClientSecret(servicePrincipalId: string, secretId: string): Promise<void> {
      const sp = await requireServicePrincipal(servicePrincipalId);
      const owned = (await repo.listClientSecrets(sp.id)).some((s) => s.id === secretId.toLowerCase());
      assertThat(owned && (await repo.deleteClientSecret(secretId)), () =>
        notFound('ClientSecretNotFound', `The service principal '${sp.id}' has no client secret '${secretId}'.`));
      emit({ type: 'ClientSecretRemoved', servicePrincipalId: sp.id, secretId: secretId.toLowerCase() });
    },

    /** Checks a user's password; unknown users cost as much as wrong passwords. */
    async authenticateUser(userPrincipalName: string, password: string): Promise<UserAuthentication> {
      const user = await repo.findUserByUpn(userPrincipalName);
      if (!user) {
        await verifyAgainstDecoy(password);
        return { ok: false, reason: 'unknown_user' };
      }
      return (await verifySecret(user.passwordHash, password)) ? { ok: true, user } : { ok: false, reason: 'bad_password' };
    },

    /** Checks a client secret of the application `clientId` in tenant `tenantId`; a matching but expired secret is refused as expired. */
    async authenticateClient(tenantId: string, clientId: string, secret: string): Promise<ClientAuthentication> {
      const sp = isGuid(clientId) ? await repo.findServicePrincipalByAppId(clientId) : undefined;
      if (!sp || normalizeGuid(sp.tenantId) !== normalizeGuid(tenantId)) return { ok: false, reason: 'unknown_client' };
      // The hint narrows the work to the secret that can match (hints collide rarely; an argon2id hash of an earlier version costs tens of ms).
      const candidates = (await repo.listClientSecrets(sp.id)).filter((s) => s.hint === secret.slice(0, 3));
      for (const candidate of candidates) {
        if (await verifySecret(candidate.secretHash, secret)) {
          return new Date(candidate.expiresAt) > clock.now() ? { ok: true, servicePrincipal: sp } : { ok: false, reason: 'expired_secret' };
        }
      }
      return { ok: false, reason: 'bad_secret' };
    },

    /** The tenant with this id. */
    getTenant: (id: string): Promise<Tenant | undefined> => (isGuid(id) ? repo.getTenant(id) : Promise.resolve(undefined)),
    /** The tenant named by its id or by its domain, as the `{tenant}` segment of Entra URLs does. */
    resolveTenant: (idOrDomain: string): Promise<Tenant | undefined> =>
      isGuid(idOrDomain) ? repo.getTenant(idOrDomain) : tenantByDomain(idOrDomain),
    listTenants: (): Promise<Tenant[]> => repo.listTenants(),
    getUser: (id: string): Promise<User | undefined> => (isGuid(id) ? repo.getUser(id) : Promise.resolve(undefined)),
    findUserByUpn: (upn: string): Promise<User | undefined> => repo.findUserByUpn(upn),
    listUsers: (tenantId: string): Promise<User[]> => repo.listUsers(tenantId),
    getGroup: (id: string): Promise<Group | undefined> => (isGuid(id) ? repo.getGroup(id) : Promise.resolve(undefined)),
    listGroups: (tenantId: string): Promise<Group[]> => repo.listGroups(tenantId),
    getServicePrincipal: (id: string): Promise<ServicePrincipal | undefined> => (isGuid(id) ? repo.getServicePrincipal(id) : Promise.resolve(undefined)),
    findServicePrincipalByAppId: (appId: string): Promise<ServicePrincipal | undefined> =>
      isGuid(appId) ? repo.findServicePrincipalByAppId(appId) : Promise.resolve(undefined),
    listServicePrincipals: (tenantId: string): Promise<ServicePrincipal[]> => repo.listServicePrincipals(tenantId),
    /** The secrets of a service principal, without their hashes. */
    listClientSecrets: async (servicePrincipalId: string): Promise<ClientSecretInfo[]> => (await repo.listClientSecrets(servicePrincipalId)).map(withoutHash),
    /** The user, group or service principal with this object id. */
    getPrincipal: (id: string): Promise<PrincipalInfo | undefined> => (isGuid(id) ? principalIn(repo, id) : Promise.resolve(undefined)),
    /** The direct members of a group. */
    listMembers: async (groupId: string): Promise<GroupMembership[]> =>
      (await repo.listMemberships()).filter((m) => normalizeGuid(m.groupId) === normalizeGuid(groupId)),
    /** The whole membership graph with its transitive closure, e.g. to seed the decision engine. */
    loadGroupGraph: async (): Promise<GroupGraph> => graphOf(await repo.listMemberships()),
  };
}
