/**
 * The one storage port. Adapters (SQLite, PostgreSQL) only persist and query: every rule lives in
 * the domain core and the services. Multi-row changes run inside `transaction`.
 */
import type { ClientSecret, Group, GroupMembership, ServicePrincipal, Tenant, User } from '../core/identity/model.js';
import type { ActivityLogEntry, GenericResource, ProviderRegistration, ResourceGroup, Subscription } from '../core/resources/model.js';
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '../core/rbac/model.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../core/delegation/model.js';
import type { LeadAttempt, LeadKind, LeadRecord, LeadStatus } from '../core/marketplace/lead-records.js';
import type { LeadDestination, LeadDestinationType } from '../core/marketplace/model.js';

/** A token-signing key pair; private material stays in the store, the public half is served as JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: string; // JSON
  readonly publicJwk: string; // JSON
  readonly createdAt: string;
  /** Tokens are signed with the newest key whose `activatesAt` has passed. */
  readonly activatesAt: string;
  /** After this the key is no longer published (tokens it signed have expired by then). */
  readonly retiresAt?: string;
}

export interface IdentityRepository {
  putTenant(tenant: Tenant): Promise<void>;
  getTenant(id: string): Promise<Tenant | undefined>;
  /** The tenants of these ids that exist, ordered by id. */
  getTenants(ids: readonly string[]): Promise<Tenant[]>;
  findTenantByDomain(domain: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;

  putUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  findUserByUpn(userPrincipalName: string): Promise<User | undefined>;
  listUsers(tenantId: string): Promise<User[]>;

  putGroup(group: Group): Promise<void>;
  getGroup(id: string): Promise<Group | undefined>;
  listGroups(tenantId: string): Promise<Group[]>;
  putMembership(membership: GroupMembership): Promise<void>;
  deleteMembership(groupId: string, memberId: string): Promise<boolean>;
  listMemberships(): Promise<GroupMembership[]>;

  putServicePrincipal(sp: ServicePrincipal): Promise<void>;
  getServicePrincipal(id: string): Promise<ServicePrincipal | undefined>;
  findServicePrincipalByAppId(appId: string): Promise<ServicePrincipal | undefined>;
  listServicePrincipals(tenantId: string): Promise<ServicePrincipal[]>;
  putClientSecret(secret: ClientSecret): Promise<void>;
  listClientSecrets(servicePrincipalId: string): Promise<ClientSecret[]>;
  deleteClientSecret(id: string): Promise<boolean>;

  putSigningKey(key: SigningKey): Promise<void>;
  listSigningKeys(): Promise<SigningKey[]>;
}

/** A keyset page request over a subscription's resources (ordered by `scopeKey(id)`). */
export interface ResourcePageQuery {
  readonly subscriptionId: string;
  readonly resourceGroup?: string;
  /** The scope key of the last resource already served. */
  readonly after?: string;
  readonly limit: number;
}

/** A resource as a list page reads it: its scope key and type (what authorizes it) and its listing as JSON (`resourceListing`). */
export interface StoredListing {
  readonly key: string;
  readonly type: string;
  readonly listing: string;
}

/** What a resource PUT checks before it writes: its resource group and its namespace's registration, when they exist. */
export interface ResourcePlacement {
  readonly group: ResourceGroup | undefined;
  readonly registration: ProviderRegistration | undefined;
}

export interface ResourceRepository {
  putSubscription(sub: Subscription): Promise<void>;
  getSubscription(subscriptionId: string): Promise<Subscription | undefined>;
  listSubscriptions(): Promise<Subscription[]>;
  /** The subscriptions of these ids that exist, ordered by id. */
  getSubscriptions(subscriptionIds: readonly string[]): Promise<Subscription[]>;

  putResourceGroup(rg: ResourceGroup): Promise<void>;
  getResourceGroup(subscriptionId: string, name: string): Promise<ResourceGroup | undefined>;
  listResourceGroups(subscriptionId: string): Promise<ResourceGroup[]>;
  /** The resource groups of all these subscriptions, in one query (a chunk of ids per statement). */
  listResourceGroupsIn(subscriptionIds: readonly string[]): Promise<ResourceGroup[]>;
  deleteResourceGroup(subscriptionId: string, name: string): Promise<boolean>;

  putResource(resource: GenericResource): Promise<void>;
  /**
   * Inserts the resource unless one with its id exists, and answers the one that exists (undefined
   * when it inserted). A create finds out without reading first, so concurrent creates in one
   * resource group don't trip over each other's reads (PostgreSQL's SERIALIZABLE would see every pair
   * of them as a conflict and abort one); on PostgreSQL it is one statement either way.
   */
  insertResourceOrFind(resource: GenericResource): Promise<GenericResource | undefined>;
  /** Where a resource of `namespace` would go, read at once: the resource group and the namespace's registration in the subscription. */
  getPlacement(subscriptionId: string, resourceGroup: string, namespace: string): Promise<ResourcePlacement>;
  getResource(id: string): Promise<GenericResource | undefined>;
  /** Resources of a subscription, optionally narrowed to one resource group. */
  listResources(subscriptionId: string, resourceGroup?: string): Promise<GenericResource[]>;
  /** Up to `limit` resources of a subscription (or one of its resource groups) in scope-key order, after the key `after`. */
  pageResources(query: ResourcePageQuery): Promise<GenericResource[]>;
  /** The same page as `pageResources`, each resource as its stored listing. */
  pageResourceListings(query: ResourcePageQuery): Promise<StoredListing[]>;
  /** Up to `limit` resources whose ids lie below the scope `under` (its children and theirs), in scope-key order after `after`. */
  pageResourcesUnder(query: { readonly subscriptionId: string; readonly under: string; readonly after?: string; readonly limit: number }): Promise<GenericResource[]>;
  deleteResource(id: string): Promise<boolean>;
  /** Deletes the resource and everything below it (child resources); returns how many went. */
  deleteResourcesUnder(scope: string): Promise<number>;

  putProviderRegistration(reg: ProviderRegistration): Promise<void>;
  listProviderRegistrations(subscriptionId: string): Promise<ProviderRegistration[]>;
}

export interface AuthorizationRepository {
  putRoleDefinition(def: RoleDefinition): Promise<void>;
  getRoleDefinition(id: string): Promise<RoleDefinition | undefined>;
  listRoleDefinitions(): Promise<RoleDefinition[]>;
  deleteRoleDefinition(id: string): Promise<boolean>;

  putRoleAssignment(assignment: RoleAssignment): Promise<void>;
  /** Many role assignments at once (a bulk import), in multi-row statements. */
  putRoleAssignments(assignments: readonly RoleAssignment[]): Promise<void>;
  getRoleAssignment(id: string): Promise<RoleAssignment | undefined>;
  listRoleAssignments(): Promise<RoleAssignment[]>;
  /**
   * Every role assignment's deciding fields packed for the engine's bulk load (the format of
   * `AuthorizationEngine.putRoleAssignmentLines`: `id principalId roleDefinitionId scope` lines, lower-case
   * keys), in chunks of `rowsPerChunk` lines (default 65,536). Reading may start when this is
   * called, before the first chunk is asked for: iterate to the end, or end it with `return()`.
   */
  roleAssignmentLines(rowsPerChunk?: number): AsyncIterable<string>;
  /** Assignments at `scope` or below it. */
  listRoleAssignmentsUnder(scope: string): Promise<RoleAssignment[]>;
  /** Assignments at exactly one of these scopes, ordered by id. */
  listRoleAssignmentsAt(scopes: readonly string[]): Promise<RoleAssignment[]>;
  /** Assignments in these subscriptions (at them or below), ordered by id. */
  listRoleAssignmentsIn(subscriptionIds: readonly string[]): Promise<RoleAssignment[]>;
  countRoleAssignmentsInSubscription(subscriptionId: string): Promise<number>;
  /** How many role assignments name the role definition `roleDefinitionId` (a GUID, any casing). */
  countRoleAssignmentsOfRole(roleDefinitionId: string): Promise<number>;
  deleteRoleAssignment(id: string): Promise<boolean>;

  /**
   * The newest role assignment change number, 0 when none: the database itself numbers every
   * insert, update and delete of a role assignment (a trigger), whoever writes, in commit order.
   */
  lastRoleAssignmentChange(): Promise<number>;
  /** The ids (lower-case, each once) of the role assignments changed after change `after` up to change `upTo`. */
  roleAssignmentsChangedBetween(after: number, upTo: number): Promise<string[]>;
  /** The role assignments among `ids` that exist (any number of ids; unknown ones are skipped). */
  getRoleAssignments(ids: readonly string[]): Promise<RoleAssignment[]>;
  /** The saved role assignment checkpoint (an engine's opaque bytes) and the change it was taken at, if any. */
  readRoleAssignmentCheckpoint(): Promise<RoleAssignmentCheckpoint | undefined>;
  /**
   * Replaces the saved checkpoint with `checkpoint`, unless the one held was taken at a later change
   * (then nothing is written and it returns false), and forgets the changes the replaced one covered
   * (a start that read it just before still finds every change after it); with none held, the
   * changes the new one covers. Call it inside `Store.transaction`, so bytes and pruning land together.
   */
  saveRoleAssignmentCheckpoint(checkpoint: RoleAssignmentCheckpoint): Promise<boolean>;

  putDenyAssignment(deny: DenyAssignment): Promise<void>;
  listDenyAssignments(): Promise<DenyAssignment[]>;
  deleteDenyAssignment(id: string): Promise<boolean>;
}

/** An engine's role assignment checkpoint: its bytes, and the role assignment change they include. */
export interface RoleAssignmentCheckpoint {
  readonly change: number;
  readonly data: Uint8Array;
}

/** A registration assignment with what its view names: the definition it delegates and the tenants on both sides, where they exist. */
export interface AssignmentListing {
  readonly assignment: RegistrationAssignment;
  readonly definition: RegistrationDefinition | undefined;
  /** The tenant the definition names as managing. */
  readonly managedByTenant: Tenant | undefined;
  /** The tenant of the assignment's subscription. */
  readonly customerTenant: Tenant | undefined;
}

export interface DelegationRepository {
  putDefinition(def: RegistrationDefinition): Promise<void>;
  getDefinition(subscriptionId: string, id: string): Promise<RegistrationDefinition | undefined>;
  listDefinitions(subscriptionId?: string): Promise<RegistrationDefinition[]>;
  /** The definitions in these subscriptions, ordered by subscription and id. */
  listDefinitionsIn(subscriptionIds: readonly string[]): Promise<RegistrationDefinition[]>;
  deleteDefinition(subscriptionId: string, id: string): Promise<boolean>;

  putAssignment(assignment: RegistrationAssignment): Promise<void>;
  getAssignment(scope: string, id: string): Promise<RegistrationAssignment | undefined>;
  /** Assignments at `scope` or below it; all of them without a scope. */
  listAssignments(scope?: string): Promise<RegistrationAssignment[]>;
  /** The assignments in these subscriptions (at them or at their resource groups), ordered by scope and id. */
  listAssignmentsIn(subscriptionIds: readonly string[]): Promise<RegistrationAssignment[]>;
  /** Assignments at `scope` (a subscription or resource group) or below it, each with its definition and their tenants, in one query. */
  listAssignmentListing(scope: string): Promise<AssignmentListing[]>;
  deleteAssignment(scope: string, id: string): Promise<boolean>;

  putActivation(activation: EligibleActivation): Promise<void>;
  listActivations(): Promise<EligibleActivation[]>;
  deleteActivation(id: string): Promise<boolean>;
}

export interface ActivityQuery {
  readonly tenantId: string;
  readonly subscriptionId?: string;
  readonly from: string;
  readonly to: string;
  readonly limit?: number;
}

export interface ActivityRepository {
  append(entry: ActivityLogEntry): Promise<void>;
  /** Appends entries in one statement (at most 500, the callers' batch bound). */
  appendMany(entries: readonly ActivityLogEntry[]): Promise<void>;
  query(query: ActivityQuery): Promise<ActivityLogEntry[]>;
}

/** A stored ARM deployment: the request, its state and its operations, as one JSON document. */
export interface StoredDeployment {
  readonly id: string; // full ARM id of the deployment
  readonly scope: string;
  readonly name: string;
  readonly body: string; // JSON
  readonly updatedAt: string;
}

export interface DeploymentRepository {
  put(deployment: StoredDeployment): Promise<void>;
  get(id: string): Promise<StoredDeployment | undefined>;
  listAt(scope: string): Promise<StoredDeployment[]>;
  delete(id: string): Promise<boolean>;
}

/** Generic keyed JSON documents for the commerce plane (offers, jobs, notifications …). */
export interface DocumentRepository {
  put(collection: string, id: string, partition: string, body: unknown): Promise<void>;
  get<T>(collection: string, id: string): Promise<T | undefined>;
  list<T>(collection: string, partition?: string): Promise<T[]>;
  delete(collection: string, id: string): Promise<boolean>;
  /** Deletes the documents of `collection` whose body's `expiresAt` (an ISO time) is before `before`; returns how many. */
  deleteExpired(collection: string, before: string): Promise<number>;
}

/** A lead and the destination it goes to (the offer's connection when the lead was made or requeued). */
export interface StoredLead {
  readonly lead: LeadRecord;
  readonly destination: LeadDestination;
}

/** The Referrals list's filters: one publisher, newest first, `top` per page. */
export interface LeadQuery {
  readonly publisherId: string;
  readonly offerId?: string;
  readonly kind?: LeadKind;
  readonly status?: LeadStatus;
  readonly destination?: LeadDestinationType;
  /** Created at or after (ISO time). */
  readonly from?: string;
  /** Created before (ISO time). */
  readonly to?: string;
  readonly top: number;
  readonly skipToken?: string;
}

export interface LeadPage {
  readonly leads: StoredLead[];
  /** Present when more leads follow: pass it back as `skipToken`. */
  readonly skipToken?: string;
}

/** Leads and their delivery outbox (migration 0008). */
export interface LeadRepository {
  /** Adds a lead; with `lease`, already claimed by that owner until then. */
  insert(lead: StoredLead, lease?: { readonly owner: string; readonly until: string }): Promise<void>;
  get(id: string): Promise<StoredLead | undefined>;
  list(query: LeadQuery): Promise<LeadPage>;
  /** Leases up to `limit` pending leads due at `now` to `owner` until `leaseUntil`; none another live lease holds. */
  claimDue(now: string, owner: string, leaseUntil: string, limit: number): Promise<StoredLead[]>;
  /** Writes the lead and releases its lease; with `owner`, only while that owner still holds it (false otherwise). */
  finish(lead: StoredLead, owner?: string): Promise<boolean>;
  /** Appends a line to the lead's delivery log (numbered after the last one). */
  appendAttempt(attempt: LeadAttempt): Promise<void>;
  listAttempts(leadId: string): Promise<LeadAttempt[]>;
}

export interface Repositories {
  readonly identity: IdentityRepository;
  readonly resources: ResourceRepository;
  readonly authorization: AuthorizationRepository;
  readonly delegation: DelegationRepository;
  readonly activity: ActivityRepository;
  readonly deployments: DeploymentRepository;
  readonly documents: DocumentRepository;
  readonly leads: LeadRepository;
}

export interface Store extends Repositories {
  /**
   * Runs `work` in one database transaction: all of it is kept, or none. It runs SERIALIZABLE and is
   * run again when a concurrent writer made it fail (write-transactions.ts), so whatever `work` checks
   * before it writes still holds at commit. `work` may therefore run more than once: it must read and
   * write through `tx` only and do nothing else (feed the engine, send mail …) until this returns.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** True when the database holds no tenants, subscriptions or documents. */
  isEmpty(): Promise<boolean>;
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
