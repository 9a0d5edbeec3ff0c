/**
 * The repositories over Kysely. The same queries run on SQLite and PostgreSQL; nothing here
 * decides anything — rules live in the core and the services.
 */
import { sql, type Compilable, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely';
import type { ClientSecret, Group, GroupMembership, PrincipalType, ServicePrincipal, Tenant, User } from '../core/identity/model.js';
import { resourceListing } from '../core/resources/listing.js';
import type { ActivityLogEntry, GenericResource, ProviderRegistration, ResourceGroup, Subscription } from '../core/resources/model.js';
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '../core/rbac/model.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../core/delegation/model.js';
import { parseScope, scopeKey } from '../core/scope.js';
import { key, type Database } from './schema.js';
import type { Dialect } from './open-store.js';
import { leadRepository } from './lead-repository.js';
import { preparedColumn, preparedTuples } from './prepared-query.js';
import type {
  ActivityQuery, ActivityRepository, AuthorizationRepository, DelegationRepository, DeploymentRepository, DocumentRepository,
  IdentityRepository, Repositories, ResourceRepository, RoleAssignmentCheckpoint, SigningKey, StoredDeployment,
} from './port.js';

type Db = Kysely<Database> | Transaction<Database>;
type ScopedTable = 'role_assignments' | 'registration_assignments' | 'deployments';

const body = (value: unknown): string => JSON.stringify(value);
const parse = <T>(row: { body: string } | undefined): T | undefined => (row ? (JSON.parse(row.body) as T) : undefined);
const parseAll = <T>(rows: readonly { body: string }[]): T[] => rows.map((r) => JSON.parse(r.body) as T);
const parseText = <T>(text: string | undefined): T | undefined => (text === undefined ? undefined : (JSON.parse(text) as T));
const parseTexts = <T>(texts: readonly string[]): T[] => texts.map((text) => JSON.parse(text) as T);
// A role assignment's row: its deciding fields as columns (lower-case keys, for the engine's bulk read) and the whole as JSON.
const roleAssignmentRow = (a: RoleAssignment) => ({
  id: key(a.id), scope: scopeKey(a.scope), sub_id: parseScope(a.scope).subscriptionId?.toLowerCase() ?? null,
  principal_id: key(a.principalId), role_definition_id: key(a.roleDefinitionId), body: body(a),
});
const resourceRow = (r: GenericResource) => ({
  id: scopeKey(r.id), sub_id: key(r.subscriptionId), rg: key(r.resourceGroup), type: r.type, listing: body(resourceListing(r)), body: body(r),
});
const deleted = (result: readonly { numDeletedRows: bigint }[]): boolean => result.some((r) => r.numDeletedRows > 0n);

// The reads every ARM request makes (who is calling, the subscription, group and resource it names), compiled once.
const tenantById = preparedColumn((db, id: string) => db.selectFrom('tenants').select('body').where('id', '=', id));
const userById = preparedColumn((db, id: string) => db.selectFrom('users').select('body').where('id', '=', id));
const servicePrincipalById = preparedColumn((db, id: string) => db.selectFrom('service_principals').select('body').where('id', '=', id));
const servicePrincipalByAppId = preparedColumn((db, appId: string) => db.selectFrom('service_principals').select('body').where('app_id', '=', appId));
const clientSecretsOf = preparedColumn((db, spId: string) => db.selectFrom('client_secrets').select('body').where('sp_id', '=', spId).orderBy('id'));
const subscriptionById = preparedColumn((db, id: string) => db.selectFrom('subscriptions').select('body').where('id', '=', id));
// Any number of ids bound as one argument, so the statement is the same whatever the count: a JSON
// array on SQLite (json_each), a text array on PostgreSQL (`= any`, which keeps to the key's index
// where a set-returning function would make the planner scan the table).
type IdsArgument = string | readonly string[];
const idsArgument = (dialect: Dialect, ids: readonly string[]): IdsArgument => (dialect === 'sqlite' ? JSON.stringify(ids) : ids);
const columnIn: Record<Dialect, (column: string, ids: IdsArgument) => RawBuilder<SqlBool>> = {
  sqlite: (column, ids) => sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${ids}))`,
  postgres: (column, ids) => sql<SqlBool>`${sql.ref(column)} = any(${ids}::text[])`,
};
const perDialect = <Row extends Record<string, unknown>>(build: (columnIn: (column: string, ids: IdsArgument) => RawBuilder<SqlBool>) => (db: Db, ids: IdsArgument) => Compilable<Row>) =>
  ({ sqlite: preparedColumn(build(columnIn.sqlite)), postgres: preparedColumn(build(columnIn.postgres)) });
const tenantsIn = perDialect((within) => (db, ids) => db.selectFrom('tenants').select('body').where(within('id', ids)).orderBy('id'));
const subscriptionsIn = perDialect((within) => (db, ids) => db.selectFrom('subscriptions').select('body').where(within('id', ids)).orderBy('id'));
const definitionsIn = perDialect((within) => (db, subs) => db.selectFrom('registration_definitions').select('body').where(within('sub_id', subs)).orderBy('sub_id').orderBy('id'));
const assignmentsIn = perDialect((within) => (db, subs) => db.selectFrom('registration_assignments').select('body').where(within('sub_id', subs)).orderBy('scope').orderBy('id'));
const roleAssignmentsAt = perDialect((within) => (db, scopes) => db.selectFrom('role_assignments').select('body').where(within('scope', scopes)).orderBy('id'));
const roleAssignmentsIn = perDialect((within) => (db, subs) => db.selectFrom('role_assignments').select('body').where(within('sub_id', subs)).orderBy('id'));
const resourceGroupsIn = perDialect((within) => (db, subs) => db.selectFrom('resource_groups').select('body').where(within('sub_id', subs)).orderBy('sub_id').orderBy('name'));
const resourceGroupByName = preparedColumn((db, sub: string, name: string) => db.selectFrom('resource_groups').select('body').where('sub_id', '=', sub).where('name', '=', name));
const resourceGroupsOf = preparedColumn((db, sub: string) => db.selectFrom('resource_groups').select('body').where('sub_id', '=', sub).orderBy('name'));
const resourceById = preparedColumn((db, id: string) => db.selectFrom('resources').select('body').where('id', '=', id));
// A keyset page: a subscription's resources (or one group's) in id order after `after`. A number
// argument is compiled from its marker string; Kysely binds a limit as a parameter either way.
type ResourceQuery<O> = SelectQueryBuilder<Database, 'resources', O>;
const inSubscription = <O>(q: ResourceQuery<O>, sub: string, after: string, limit: number) => q.where('sub_id', '=', sub).where('id', '>', after).orderBy('id').limit(limit);
const inGroup = <O>(q: ResourceQuery<O>, sub: string, rg: string, after: string, limit: number) => inSubscription(q.where('rg', '=', rg), sub, after, limit);
const bodies = (db: Db) => db.selectFrom('resources').select('body');
const listings = (db: Db) => db.selectFrom('resources').select(['id', 'type', 'listing']);
const resourcePageOfSubscription = preparedColumn((db, sub: string, after: string, limit: number) => inSubscription(bodies(db), sub, after, limit));
const resourcePageOfGroup = preparedColumn((db, sub: string, rg: string, after: string, limit: number) => inGroup(bodies(db), sub, rg, after, limit));
// Keys below a scope key k run from k + '/' to k + '0' ('0' follows '/'), so a subtree is one range of the (sub_id, id) index.
const resourcePageBetween = preparedColumn((db, sub: string, after: string, before: string, limit: number) =>
  bodies(db).where('sub_id', '=', sub).where('id', '>', after).where('id', '<', before).orderBy('id').limit(limit));
const listingPageOfSubscription = preparedTuples((db, sub: string, after: string, limit: number) => inSubscription(listings(db), sub, after, limit));
const listingPageOfGroup = preparedTuples((db, sub: string, rg: string, after: string, limit: number) => inGroup(listings(db), sub, rg, after, limit));
const definitionById = preparedColumn((db, sub: string, id: string) => db.selectFrom('registration_definitions').select('body').where('sub_id', '=', sub).where('id', '=', id));
// atOrUnder's range with its three bounds bound as arguments (the scope, and the keys just after and past its subtree).
const assignmentsAtOrUnder = preparedColumn((db, at: string, from: string, to: string) => db.selectFrom('registration_assignments').select('body')
  .where((eb) => eb.or([eb('scope', '=', at), eb.and([eb('scope', '>=', from), eb('scope', '<', to)])])).orderBy('scope').orderBy('id'));
// The same range, each assignment beside its definition and the two tenants it names (null where there is none):
// the managing tenant from the definition's JSON, the customer's as the subscription's.
const managingTenantKey: Record<Dialect, RawBuilder<string>> = {
  sqlite: sql<string>`lower(json_extract(d.body, '$.managedByTenantId'))`,
  postgres: sql<string>`lower(d.body::json ->> 'managedByTenantId')`,
};
// The subscription is named by its id, not joined on the assignments' column: a generic plan would
// scan every subscription for a hash join.
const assignmentListingIn = (dialect: Dialect) => preparedTuples((db, at: string, from: string, to: string, sub: string) => db.selectFrom('registration_assignments as a')
  .leftJoin('registration_definitions as d', (join) => join.onRef('d.sub_id', '=', 'a.sub_id').onRef('d.id', '=', 'a.definition_id'))
  .leftJoin('tenants as managing', (join) => join.on((eb) => eb(eb.ref('managing.id'), '=', managingTenantKey[dialect])))
  .leftJoin('subscriptions as s', (join) => join.on('s.id', '=', sub))
  .leftJoin('tenants as customer', 'customer.id', 's.tenant_id')
  .select(['a.body as assignment', 'd.body as definition', 'managing.body as managing', 'customer.body as customer'])
  .where((eb) => eb.or([eb('a.scope', '=', at), eb.and([eb('a.scope', '>=', from), eb('a.scope', '<', to)])])).orderBy('a.scope').orderBy('a.id'));
const assignmentListing = { sqlite: assignmentListingIn('sqlite'), postgres: assignmentListingIn('postgres') };
// A resource PUT's group and registration in one round trip (null where there is none).
const placement = preparedTuples((db, sub: string, rg: string, registrationSub: string, namespace: string) => db.selectNoFrom((eb) => [
  eb.selectFrom('resource_groups').select('body').where('sub_id', '=', sub).where('name', '=', rg).as('group_body'),
  eb.selectFrom('provider_registrations').select('body').where('sub_id', '=', registrationSub).where('namespace', '=', namespace).as('registration_body'),
]));
// PostgreSQL: the insert and, only when it found the id taken, the row that holds it. The select sees
// the statement's snapshot, which holds no row the insert adds; its condition on the insert's outcome
// is a one-time filter, so a create reads no index page that a concurrent create would then write.
const insertResourceOrFind = preparedColumn((db, id: string, sub: string, rg: string, type: string, listing: string, body: string, sameId: string) => db
  .with('inserted', (q) => q.insertInto('resources').values({ id, sub_id: sub, rg, type, listing, body }).onConflict((oc) => oc.column('id').doNothing()).returning('id'))
  .selectFrom('resources').select('body').where('id', '=', sameId).where((eb) => eb.not(eb.exists(eb.selectFrom('inserted').select('id')))));
const providerRegistrationsOf = preparedColumn((db, sub: string) => db.selectFrom('provider_registrations').select('body').where('sub_id', '=', sub).orderBy('namespace'));

/** Rows whose scope column is `scope` or lies below it; a byte-ordered range keeps it on the index. */
function atOrUnder<T extends ScopedTable>(scope: string) {
  const k = scopeKey(scope);
  return (eb: ExpressionBuilder<Database, T>) => {
    const column = eb.ref('scope' as never);
    if (k === '/') return eb.lit(true);
    return eb.or([eb(column, '=', k as never), eb.and([eb(column, '>=', (k + '/') as never), eb(column, '<', (k + '0') as never)])]);
  };
}

/** Role assignments per `roleAssignmentLines` chunk, unless the caller asks otherwise. */
export const LINES_PER_CHUNK = 65_536;

/**
 * One chunk of `roleAssignmentLines`: the lines of the next `limit` assignments by id after
 * `last`, aggregated by the database (one string per chunk, not four per row), and the chunk's last
 * id. string_agg runs on PostgreSQL and on SQLite 3.44+ (better-sqlite3 bundles its own); it takes the
 * rows in the subquery's id order (an ORDER BY inside the aggregate would sort each chunk again).
 */
export function roleAssignmentLinesAfter(last: string, limit: number) {
  return sql<LinesChunk>`select max(id) as last, string_agg(line, ${'\n'}) as lines from (
    select id, id || ' ' || coalesce(principal_id, '') || ' ' || coalesce(role_definition_id, '') || ' ' || scope as line
    from role_assignments where id > ${last} order by id limit ${limit}) as chunk`;
}

/** A chunk of lines and the last id in it; both null past the end. */
export interface LinesChunk {
  readonly last: string | null;
  readonly lines: string | null;
}

/** The chunks `next` yields, from the first id on, until one is empty. */
export async function* roleAssignmentLines(next: (last: string) => Promise<LinesChunk>): AsyncGenerator<string> {
  for (let last = ''; ; ) {
    const chunk = await next(last);
    if (chunk.last === null || chunk.lines === null) return;
    last = chunk.last;
    yield chunk.lines;
  }
}

/** Ids per `where id in (...)`: well inside SQLite's limit on bound parameters. */
const IDS_PER_QUERY = 500;
/** A checkpoint is stored in parts of at most this many bytes: pg is slow with one big bytea value. */
const CHECKPOINT_PART_BYTES = 8 * 1024 * 1024;

/** `data` as checkpoint parts (views, not copies); empty data is one empty part. */
function checkpointParts(data: Uint8Array): Buffer[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const count = Math.max(1, Math.ceil(bytes.length / CHECKPOINT_PART_BYTES));
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * CHECKPOINT_PART_BYTES, (i + 1) * CHECKPOINT_PART_BYTES));
}

/** The change of the newest checkpoint part held, null when none (whether or not the parts make a whole checkpoint). */
const heldCheckpointChange = (db: Db) => db.selectFrom('role_assignment_checkpoint').select((eb) => eb.fn.max<number | string | null>('change').as('change'));

function identity(db: Db, dialect: Dialect): IdentityRepository {
  return {
    async putTenant(t: Tenant) {
      const row = { id: key(t.id), domain: key(t.defaultDomain), body: body(t) };
      await db.insertInto('tenants').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getTenant(id) { return parseText<Tenant>((await tenantById(db, dialect, key(id)))[0]); },
    async getTenants(ids) {
      if (ids.length === 0) return [];
      return parseTexts<Tenant>(await tenantsIn[dialect](db, dialect, idsArgument(dialect, ids.map(key))));
    },
    async findTenantByDomain(domain) { return parse<Tenant>(await db.selectFrom('tenants').select('body').where('domain', '=', key(domain)).executeTakeFirst()); },
    async listTenants() { return parseAll<Tenant>(await db.selectFrom('tenants').select('body').orderBy('id').execute()); },

    async putUser(u: User) {
      const row = { id: key(u.id), tenant_id: key(u.tenantId), upn: key(u.userPrincipalName), body: body(u) };
      await db.insertInto('users').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getUser(id) { return parseText<User>((await userById(db, dialect, key(id)))[0]); },
    async findUserByUpn(upn) { return parse<User>(await db.selectFrom('users').select('body').where('upn', '=', key(upn)).executeTakeFirst()); },
    async listUsers(tenantId) { return parseAll<User>(await db.selectFrom('users').select('body').where('tenant_id', '=', key(tenantId)).orderBy('upn').execute()); },

    async putGroup(g: Group) {
      const row = { id: key(g.id), tenant_id: key(g.tenantId), body: body(g) };
      await db.insertInto('groups').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getGroup(id) { return parse<Group>(await db.selectFrom('groups').select('body').where('id', '=', key(id)).executeTakeFirst()); },
    async listGroups(tenantId) { return parseAll<Group>(await db.selectFrom('groups').select('body').where('tenant_id', '=', key(tenantId)).orderBy('id').execute()); },
    async putMembership(m: GroupMembership) {
      const row = { group_id: key(m.groupId), member_id: key(m.memberId), member_type: m.memberType };
      await db.insertInto('group_members').values(row).onConflict((oc) => oc.columns(['group_id', 'member_id']).doUpdateSet(row)).execute();
    },
    async deleteMembership(groupId, memberId) {
      return deleted(await db.deleteFrom('group_members').where('group_id', '=', key(groupId)).where('member_id', '=', key(memberId)).execute());
    },
    async listMemberships() {
      const rows = await db.selectFrom('group_members').selectAll().orderBy('group_id').orderBy('member_id').execute();
      return rows.map((r) => ({ groupId: r.group_id, memberId: r.member_id, memberType: r.member_type as PrincipalType }));
    },

    async putServicePrincipal(sp: ServicePrincipal) {
      const row = { id: key(sp.id), app_id: key(sp.appId), tenant_id: key(sp.tenantId), body: body(sp) };
      await db.insertInto('service_principals').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getServicePrincipal(id) { return parseText<ServicePrincipal>((await servicePrincipalById(db, dialect, key(id)))[0]); },
    async findServicePrincipalByAppId(appId) { return parseText<ServicePrincipal>((await servicePrincipalByAppId(db, dialect, key(appId)))[0]); },
    async listServicePrincipals(tenantId) { return parseAll<ServicePrincipal>(await db.selectFrom('service_principals').select('body').where('tenant_id', '=', key(tenantId)).orderBy('id').execute()); },
    async putClientSecret(s: ClientSecret) {
      const row = { id: key(s.id), sp_id: key(s.servicePrincipalId), body: body(s) };
      await db.insertInto('client_secrets').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async listClientSecrets(spId) { return parseTexts<ClientSecret>(await clientSecretsOf(db, dialect, key(spId))); },
    async deleteClientSecret(id) { return deleted(await db.deleteFrom('client_secrets').where('id', '=', key(id)).execute()); },

    async putSigningKey(k: SigningKey) {
      const row = { kid: k.kid, body: body(k) };
      await db.insertInto('signing_keys').values(row).onConflict((oc) => oc.column('kid').doUpdateSet(row)).execute();
    },
    async listSigningKeys() { return parseAll<SigningKey>(await db.selectFrom('signing_keys').select('body').orderBy('kid').execute()); },
  };
}

function resources(db: Db, dialect: Dialect): ResourceRepository {
  return {
    async putSubscription(s: Subscription) {
      const row = { id: key(s.subscriptionId), tenant_id: key(s.tenantId), body: body(s) };
      await db.insertInto('subscriptions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getSubscription(id) { return parseText<Subscription>((await subscriptionById(db, dialect, key(id)))[0]); },
    async listSubscriptions() { return parseAll<Subscription>(await db.selectFrom('subscriptions').select('body').orderBy('id').execute()); },
    async getSubscriptions(ids) {
      if (ids.length === 0) return [];
      return parseTexts<Subscription>(await subscriptionsIn[dialect](db, dialect, idsArgument(dialect, ids.map(key))));
    },

    async putResourceGroup(rg: ResourceGroup) {
      const row = { sub_id: key(rg.subscriptionId), name: key(rg.name), body: body(rg) };
      await db.insertInto('resource_groups').values(row).onConflict((oc) => oc.columns(['sub_id', 'name']).doUpdateSet(row)).execute();
    },
    async getResourceGroup(sub, name) { return parseText<ResourceGroup>((await resourceGroupByName(db, dialect, key(sub), key(name)))[0]); },
    async listResourceGroups(sub) { return parseTexts<ResourceGroup>(await resourceGroupsOf(db, dialect, key(sub))); },
    async listResourceGroupsIn(subs) {
      if (subs.length === 0) return [];
      return parseTexts<ResourceGroup>(await resourceGroupsIn[dialect](db, dialect, idsArgument(dialect, subs.map(key))));
    },
    async deleteResourceGroup(sub, name) {
      return deleted(await db.deleteFrom('resource_groups').where('sub_id', '=', key(sub)).where('name', '=', key(name)).execute());
    },

    async putResource(r: GenericResource) {
      const row = resourceRow(r);
      await db.insertInto('resources').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async insertResourceOrFind(r: GenericResource) {
      const row = resourceRow(r);
      if (dialect === 'postgres') return parseText<GenericResource>((await insertResourceOrFind(db, dialect, row.id, row.sub_id, row.rg, row.type, row.listing, row.body, row.id))[0]);
      const inserted = await db.insertInto('resources').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').execute();
      return inserted.length === 1 ? undefined : parseText<GenericResource>((await resourceById(db, dialect, row.id))[0]);
    },
    async getPlacement(sub, rg, namespace) {
      const [group, registration] = (await placement(db, dialect, key(sub), key(rg), key(sub), key(namespace)))[0] ?? [];
      return { group: parseText<ResourceGroup>(group ?? undefined), registration: parseText<ProviderRegistration>(registration ?? undefined) };
    },
    async getResource(id) { return parseText<GenericResource>((await resourceById(db, dialect, scopeKey(id)))[0]); },
    async listResources(sub, rg) {
      let q = db.selectFrom('resources').select('body').where('sub_id', '=', key(sub));
      if (rg !== undefined) q = q.where('rg', '=', key(rg));
      return parseAll<GenericResource>(await q.orderBy('id').execute());
    },
    async pageResources({ subscriptionId, resourceGroup, after, limit }) {
      // Every id starts with '/', so '' stands for "from the first".
      const texts = resourceGroup === undefined
        ? await resourcePageOfSubscription(db, dialect, key(subscriptionId), after ?? '', limit)
        : await resourcePageOfGroup(db, dialect, key(subscriptionId), key(resourceGroup), after ?? '', limit);
      return parseTexts<GenericResource>(texts);
    },
    async pageResourceListings({ subscriptionId, resourceGroup, after, limit }) {
      const rows = resourceGroup === undefined
        ? await listingPageOfSubscription(db, dialect, key(subscriptionId), after ?? '', limit)
        : await listingPageOfGroup(db, dialect, key(subscriptionId), key(resourceGroup), after ?? '', limit);
      return rows.map(([id, type, listing]) => ({ key: id!, type: type!, listing: listing! }));
    },
    async pageResourcesUnder({ subscriptionId, under, after, limit }) {
      const k = scopeKey(under);
      const from = after !== undefined && after > `${k}/` ? after : `${k}/`;
      return parseTexts<GenericResource>(await resourcePageBetween(db, dialect, key(subscriptionId), from, `${k}0`, limit));
    },
    async deleteResource(id) { return deleted(await db.deleteFrom('resources').where('id', '=', scopeKey(id)).execute()); },
    async deleteResourcesUnder(scope) {
      const k = scopeKey(scope);
      const p = parseScope(scope);
      let q = db.deleteFrom('resources').where((eb) => eb.or([eb('id', '=', k), eb.and([eb('id', '>=', k + '/'), eb('id', '<', k + '0')])]));
      if (p.subscriptionId) q = q.where('sub_id', '=', key(p.subscriptionId));
      const result = await q.execute();
      return Number(result.reduce((n, r) => n + r.numDeletedRows, 0n));
    },

    async putProviderRegistration(r: ProviderRegistration) {
      const row = { sub_id: key(r.subscriptionId), namespace: key(r.namespace), body: body(r) };
      await db.insertInto('provider_registrations').values(row).onConflict((oc) => oc.columns(['sub_id', 'namespace']).doUpdateSet(row)).execute();
    },
    async listProviderRegistrations(sub) { return parseTexts<ProviderRegistration>(await providerRegistrationsOf(db, dialect, key(sub))); },
  };
}

function authorization(db: Db, dialect: Dialect): AuthorizationRepository {
  return {
    async putRoleDefinition(d: RoleDefinition) {
      const row = { id: key(d.id), body: body(d) };
      await db.insertInto('role_definitions').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async getRoleDefinition(id) { return parse<RoleDefinition>(await db.selectFrom('role_definitions').select('body').where('id', '=', key(id)).executeTakeFirst()); },
    async listRoleDefinitions() { return parseAll<RoleDefinition>(await db.selectFrom('role_definitions').select('body').orderBy('id').execute()); },
    async deleteRoleDefinition(id) { return deleted(await db.deleteFrom('role_definitions').where('id', '=', key(id)).execute()); },

    async putRoleAssignment(a: RoleAssignment) {
      const row = roleAssignmentRow(a);
      await db.insertInto('role_assignments').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async putRoleAssignments(assignments) {
      // Six parameters a row: 500 rows stay under SQLite's and PostgreSQL's bound-parameter limits.
      for (let i = 0; i < assignments.length; i += 500) {
        const rows = assignments.slice(i, i + 500).map(roleAssignmentRow);
        await db.insertInto('role_assignments').values(rows)
          .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ scope: eb.ref('excluded.scope'), sub_id: eb.ref('excluded.sub_id'), principal_id: eb.ref('excluded.principal_id'), role_definition_id: eb.ref('excluded.role_definition_id'), body: eb.ref('excluded.body') })))
          .execute();
      }
    },
    async getRoleAssignment(id) { return parse<RoleAssignment>(await db.selectFrom('role_assignments').select('body').where('id', '=', key(id)).executeTakeFirst()); },
    async listRoleAssignments() { return parseAll<RoleAssignment>(await db.selectFrom('role_assignments').select('body').orderBy('id').execute()); },
    roleAssignmentLines: (rowsPerChunk = LINES_PER_CHUNK) =>
      roleAssignmentLines(async (last) => (await roleAssignmentLinesAfter(last, rowsPerChunk).execute(db)).rows[0] ?? { last: null, lines: null }),
    async listRoleAssignmentsUnder(scope) {
      return parseAll<RoleAssignment>(await db.selectFrom('role_assignments').select('body').where(atOrUnder<'role_assignments'>(scope)).orderBy('scope').orderBy('id').execute());
    },
    async listRoleAssignmentsAt(scopes) {
      if (scopes.length === 0) return [];
      return parseTexts<RoleAssignment>(await roleAssignmentsAt[dialect](db, dialect, idsArgument(dialect, scopes.map(scopeKey))));
    },
    async listRoleAssignmentsIn(subs) {
      if (subs.length === 0) return [];
      return parseTexts<RoleAssignment>(await roleAssignmentsIn[dialect](db, dialect, idsArgument(dialect, subs.map(key))));
    },
    async countRoleAssignmentsInSubscription(sub) {
      const row = await db.selectFrom('role_assignments').select((eb) => eb.fn.countAll().as('n')).where('sub_id', '=', key(sub)).executeTakeFirstOrThrow();
      return Number(row.n); // a number on SQLite, a string on PostgreSQL
    },
    async countRoleAssignmentsOfRole(roleDefinitionId) {
      const row = await db.selectFrom('role_assignments').select((eb) => eb.fn.countAll().as('n')).where('role_definition_id', '=', key(roleDefinitionId)).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async deleteRoleAssignment(id) { return deleted(await db.deleteFrom('role_assignments').where('id', '=', key(id)).execute()); },

    async lastRoleAssignmentChange() {
      // The held checkpoint's change counts too: saving it pruned the changes it covers, so max(seq) alone would go back.
      const row = await db.selectNoFrom([db.selectFrom('role_assignment_changes').select((eb) => eb.fn.max<number | string | null>('seq').as('seq')).as('changed'), heldCheckpointChange(db).as('saved')])
        .executeTakeFirstOrThrow();
      return Math.max(Number(row.changed ?? 0), Number(row.saved ?? 0));
    },
    async roleAssignmentsChangedBetween(after, upTo) {
      const rows = await db.selectFrom('role_assignment_changes').select('assignment_id').distinct().where('seq', '>', after).where('seq', '<=', upTo).execute();
      return rows.map((r) => r.assignment_id);
    },
    async getRoleAssignments(ids) {
      const keys = [...new Set(ids.map(key))];
      const found: RoleAssignment[] = [];
      for (let i = 0; i < keys.length; i += IDS_PER_QUERY) {
        found.push(...parseAll<RoleAssignment>(await db.selectFrom('role_assignments').select('body').where('id', 'in', keys.slice(i, i + IDS_PER_QUERY)).execute()));
      }
      return found;
    },
    async readRoleAssignmentCheckpoint() {
      const parts = await db.selectFrom('role_assignment_checkpoint').select(['part', 'change', 'data']).orderBy('part').execute();
      if (parts[0] === undefined) return undefined;
      const change = Number(parts[0].change);
      // Parts 0..n-1 of one save, or no checkpoint at all: never half of one.
      if (!parts.every((p, i) => p.part === i && Number(p.change) === change)) return undefined;
      return { change, data: Buffer.concat(parts.map((p) => p.data)) };
    },
    async saveRoleAssignmentCheckpoint({ change, data }: RoleAssignmentCheckpoint) {
      // Two replicas saving at once take turns instead of interleaving their parts (SQLite has one writer anyway).
      if (dialect === 'postgres') await sql`lock table role_assignment_checkpoint in exclusive mode`.execute(db);
      const held = (await heldCheckpointChange(db).executeTakeFirstOrThrow()).change;
      if (held !== null && Number(held) > change) return false;
      await db.deleteFrom('role_assignment_checkpoint').execute();
      for (const [part, bytes] of checkpointParts(data).entries()) await db.insertInto('role_assignment_checkpoint').values({ part, change, data: bytes }).execute();
      // Only what the replaced checkpoint covered: a start that restored it may be replaying the rest right now.
      await db.deleteFrom('role_assignment_changes').where('seq', '<=', held === null ? change : Number(held)).execute();
      return true;
    },

    async putDenyAssignment(d: DenyAssignment) {
      const row = { id: key(d.id), body: body(d) };
      await db.insertInto('deny_assignments').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async listDenyAssignments() { return parseAll<DenyAssignment>(await db.selectFrom('deny_assignments').select('body').orderBy('id').execute()); },
    async deleteDenyAssignment(id) { return deleted(await db.deleteFrom('deny_assignments').where('id', '=', key(id)).execute()); },
  };
}

function delegation(db: Db, dialect: Dialect): DelegationRepository {
  return {
    async putDefinition(d: RegistrationDefinition) {
      const row = { sub_id: key(d.subscriptionId), id: key(d.id), body: body(d) };
      await db.insertInto('registration_definitions').values(row).onConflict((oc) => oc.columns(['sub_id', 'id']).doUpdateSet(row)).execute();
    },
    async getDefinition(sub, id) {
      return parseText<RegistrationDefinition>((await definitionById(db, dialect, key(sub), key(id)))[0]);
    },
    async listDefinitions(sub) {
      let q = db.selectFrom('registration_definitions').select('body');
      if (sub !== undefined) q = q.where('sub_id', '=', key(sub));
      return parseAll<RegistrationDefinition>(await q.orderBy('sub_id').orderBy('id').execute());
    },
    async listDefinitionsIn(subs) {
      if (subs.length === 0) return [];
      return parseTexts<RegistrationDefinition>(await definitionsIn[dialect](db, dialect, idsArgument(dialect, subs.map(key))));
    },
    async deleteDefinition(sub, id) {
      return deleted(await db.deleteFrom('registration_definitions').where('sub_id', '=', key(sub)).where('id', '=', key(id)).execute());
    },

    async putAssignment(a: RegistrationAssignment) {
      // The definition's own key (a full id names it by its last segment): the foreign key to registration_definitions.
      const definitionId = key(a.registrationDefinitionId.split('/').at(-1) ?? '');
      const row = { scope: scopeKey(a.scope), id: key(a.id), sub_id: key(parseScope(a.scope).subscriptionId ?? ''), definition_id: definitionId, body: body(a) };
      await db.insertInto('registration_assignments').values(row).onConflict((oc) => oc.columns(['scope', 'id']).doUpdateSet(row)).execute();
    },
    async getAssignment(scope, id) {
      return parse<RegistrationAssignment>(await db.selectFrom('registration_assignments').select('body').where('scope', '=', scopeKey(scope)).where('id', '=', key(id)).executeTakeFirst());
    },
    async listAssignments(scope) {
      const k = scope === undefined ? '/' : scopeKey(scope);
      if (k === '/') return parseAll<RegistrationAssignment>(await db.selectFrom('registration_assignments').select('body').orderBy('scope').orderBy('id').execute());
      return parseTexts<RegistrationAssignment>(await assignmentsAtOrUnder(db, dialect, k, `${k}/`, `${k}0`));
    },
    async listAssignmentsIn(subs) {
      if (subs.length === 0) return [];
      return parseTexts<RegistrationAssignment>(await assignmentsIn[dialect](db, dialect, idsArgument(dialect, subs.map(key))));
    },
    async listAssignmentListing(scope) {
      const k = scopeKey(scope);
      const sub = key(parseScope(scope).subscriptionId ?? '');
      return (await assignmentListing[dialect](db, dialect, k, `${k}/`, `${k}0`, sub)).map(([assignment, definition, managing, customer]) => ({
        assignment: JSON.parse(assignment as string) as RegistrationAssignment,
        definition: parseText<RegistrationDefinition>(definition ?? undefined),
        managedByTenant: parseText<Tenant>(managing ?? undefined),
        customerTenant: parseText<Tenant>(customer ?? undefined),
      }));
    },
    async deleteAssignment(scope, id) {
      return deleted(await db.deleteFrom('registration_assignments').where('scope', '=', scopeKey(scope)).where('id', '=', key(id)).execute());
    },

    async putActivation(a: EligibleActivation) {
      // The assignment's own key: the foreign key to registration_assignments (migration 0010).
      const row = { id: key(a.id), assignment_scope: scopeKey(a.assignmentScope), assignment_id: key(a.registrationAssignmentId), body: body(a) };
      await db.insertInto('eligible_activations').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async listActivations() { return parseAll<EligibleActivation>(await db.selectFrom('eligible_activations').select('body').orderBy('id').execute()); },
    async deleteActivation(id) { return deleted(await db.deleteFrom('eligible_activations').where('id', '=', key(id)).execute()); },
  };
}

function activity(db: Db): ActivityRepository {
  const appendMany = async (entries: readonly ActivityLogEntry[]) => {
    if (entries.length === 0) return;
    await db.insertInto('activity_log').values(entries.map((e) => ({
      event_id: key(e.eventDataId), tenant_id: key(e.tenantId), sub_id: e.subscriptionId ? key(e.subscriptionId) : null, ts: e.eventTimestamp, body: body(e),
    }))).execute();
  };
  return {
    append: (e: ActivityLogEntry) => appendMany([e]),
    appendMany,
    async query(q: ActivityQuery) {
      let sel = db.selectFrom('activity_log').select('body').where('tenant_id', '=', key(q.tenantId)).where('ts', '>=', q.from).where('ts', '<=', q.to);
      if (q.subscriptionId !== undefined) sel = sel.where('sub_id', '=', key(q.subscriptionId));
      return parseAll<ActivityLogEntry>(await sel.orderBy('ts', 'desc').orderBy('event_id').limit(q.limit ?? 1000).execute());
    },
  };
}

function deployments(db: Db): DeploymentRepository {
  return {
    async put(d: StoredDeployment) {
      const row = { id: scopeKey(d.id), scope: scopeKey(d.scope), name: d.name, updated_at: d.updatedAt, body: body(d) };
      await db.insertInto('deployments').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async get(id) { return parse<StoredDeployment>(await db.selectFrom('deployments').select('body').where('id', '=', scopeKey(id)).executeTakeFirst()); },
    async listAt(scope) { return parseAll<StoredDeployment>(await db.selectFrom('deployments').select('body').where('scope', '=', scopeKey(scope)).orderBy('id').execute()); },
    async delete(id) { return deleted(await db.deleteFrom('deployments').where('id', '=', scopeKey(id)).execute()); },
  };
}

// A document body's `expiresAt`, read in the database (ISO times order as text).
const expiresAt: Record<Dialect, RawBuilder<string>> = {
  sqlite: sql<string>`json_extract(body, '$.expiresAt')`,
  postgres: sql<string>`(body::json)->>'expiresAt'`,
};

function documents(db: Db, dialect: Dialect): DocumentRepository {
  return {
    async put(collection, id, partition, value) {
      const row = { collection, id: key(id), partition_key: key(partition), body: body(value) };
      await db.insertInto('documents').values(row).onConflict((oc) => oc.columns(['collection', 'id']).doUpdateSet(row)).execute();
    },
    async get<T>(collection: string, id: string) {
      return parse<T>(await db.selectFrom('documents').select('body').where('collection', '=', collection).where('id', '=', key(id)).executeTakeFirst());
    },
    async list<T>(collection: string, partition?: string) {
      let q = db.selectFrom('documents').select('body').where('collection', '=', collection);
      if (partition !== undefined) q = q.where('partition_key', '=', key(partition));
      return parseAll<T>(await q.orderBy('id').execute());
    },
    async delete(collection, id) { return deleted(await db.deleteFrom('documents').where('collection', '=', collection).where('id', '=', key(id)).execute()); },
    async deleteExpired(collection, before) {
      const result = await db.deleteFrom('documents').where('collection', '=', collection).where(expiresAt[dialect], '<', before).execute();
      return Number(result[0]?.numDeletedRows ?? 0n);
    },
  };
}

/** Every repository bound to one connection or transaction of a `dialect` database. */
export function repositories(db: Db, dialect: Dialect): Repositories {
  return {
    identity: identity(db, dialect),
    resources: resources(db, dialect),
    authorization: authorization(db, dialect),
    delegation: delegation(db, dialect),
    activity: activity(db),
    deployments: deployments(db),
    documents: documents(db, dialect),
    leads: leadRepository(db, dialect),
  };
}
