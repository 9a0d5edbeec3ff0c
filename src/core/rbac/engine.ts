/**
 * The one authorization decision engine (lighthouse.md §4.3–4.5): role assignments, Lighthouse
 * delegations and just-in-time activations, inherited down the scope tree, through transitive
 * group membership, additive, with deny assignments checked last. Pure and in-memory; every
 * put/remove is visible to the next check.
 *
 * Layout, for speed: scopes are interned into a tree of nodes (every ancestor of a held scope is
 * a node, so a parent pointer is the whole ancestry); principals, roles, tenants and actions are
 * interned to ints; role assignments live in a packed typed-array table, one contiguous segment per
 * node, whose per-node records also carry the parent pointer and an index into the few nodes'
 * extras (activations, denies; their delegations laid out flat in one shared pool); a request scope
 * resolves to its nearest node (and whether any deny lies above it) through a bounded dictionary in
 * front of a hashed scope index; the caller resolves to a flat record of its identities and tenant
 * through one dictionary lookup (caller-cache.ts); a check marks the
 * identities in an epoch array and walks the node records upwards, reading each candidate role's
 * verdict from a per-action byte row (computed by the role's matcher on first use). The hot path
 * allocates nothing once its caches are warm. The operator plane (`/providers/Lantern.Operator`,
 * operator-scope.ts) is decided apart: only the platform operators held here may act there.
 */
import { invalid } from '../errors.js';
import { GroupGraph } from '../identity/group-graph.js';
import type { GroupMembership } from '../identity/model.js';
import type { EligibleActivation, RegistrationAssignment, RegistrationDefinition } from '../delegation/model.js';
import { definitionKey } from '../delegation/definition-key.js';
import { normalizeGuid } from '../guid.js';
import { normalizeScope, parseScope, scopeKey } from '../scope.js';
import { isOperatorScope } from './operator-scope.js';
import {
  AssignmentTable,
  NODE_END as AT_NODE_END,
  NODE_OWNER_A,
  NODE_OWNER_B,
  NODE_START as AT_NODE_START,
  NODE_STRIDE as AT_NODE_STRIDE,
  PRINCIPAL as AT_PRINCIPAL,
  ROLE as AT_ROLE,
  STRIDE as AT_STRIDE,
} from './assignment-table.js';
import { CALLER_COUNT, CALLER_IDS, CALLER_TENANT, CallerCache } from './caller-cache.js';
import { CheckpointReader, CheckpointWriter, damaged } from './checkpoint-format.js';
import { BoundedDictionary } from './dictionary.js';
import { formatGuidWords, GuidMap, guidWordsAt } from './guid-words.js';
import { IntRuns, RUN_END, RUN_RECORD, RUN_SPARE, RUN_STAMP, RUN_START } from './int-runs.js';
import { Interner } from './interner.js';
import { ALL_PRINCIPALS } from './model.js';
import type { DenyAssignment, Permission, RoleAssignment, RoleDefinition } from './model.js';
import { CONTROL_ALLOWED, CONTROL_KNOWN, DATA_ALLOWED, DATA_KNOWN, PermissionMatcher } from './permission-matcher.js';
import { parentOf } from './scope-parent.js';
import { ScopeIndex } from './scope-index.js';

export interface CheckRequest {
  readonly principalId: string;
  /** The caller's home tenant; delegations apply only when it is the managing tenant. */
  readonly tenantId: string;
  readonly action: string;
  readonly scope: string;
  /** Evaluate `action` against DataActions instead of Actions. */
  readonly dataAction?: boolean;
  /** Epoch ms of the check; required unless the engine was given a clock. */
  readonly at?: number;
}

/**
 * A caller resolved once for `checkPrepared` (per token: its principal and home tenant), so a check
 * hashes no caller string. It re-resolves itself when its groups change or the caller cache is dropped.
 */
export class PreparedCaller {
  /** @internal The record offset in the engine's caller cache, valid in `generation`. */
  offset = -1;
  /** @internal */
  generation = -1;
  /** @internal The interned tenant, or -1 before the first check. */
  tenant = -1;
  /** @internal The engine the offset belongs to: a handle may meet another engine (a rebuilt one). */
  owner: unknown;
  constructor(readonly principalId: string, readonly tenantId: string) {}
}

/** An action resolved once for `checkPrepared` (per operation), so a check hashes no action string. */
export class PreparedAction {
  /** @internal The interned action id, valid in `generation`. */
  id = -1;
  /** @internal */
  generation = -1;
  /** @internal */
  owner: unknown;
  constructor(readonly action: string, readonly dataAction = false) {}
}

/**
 * The scopes of one answer (a list page's items, one after another), for `checkPrepared`: it keeps
 * the last prefix that resolved to a node with no node below it, so a next scope under that same
 * prefix (the next resource of the group) resolves to that node without being looked up.
 */
export class ScopeRun {
  /** @internal The scope prefix, as the request spelled it, whose node holds nothing below it. */
  prefix = '';
  /** @internal The resolved code of every scope under `prefix`. */
  code = 0;
  /** @internal The engine's scope epoch the prefix was resolved in. */
  epoch = -1;
  /** @internal */
  owner: unknown;
}

export type GrantSource = 'roleAssignment' | 'delegation' | 'eligibleActivation';

/** One assignment that grants (or, for `assignmentsFor`, applies to) the caller at the target. */
export interface Grant {
  readonly source: GrantSource;
  /** The role assignment, registration assignment or activation id. */
  readonly id: string;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  /** The scope the assignment is made at (the target or an ancestor). */
  readonly scope: string;
  /** The caller, or the group of the caller, that the assignment names. */
  readonly principalId: string;
  readonly registrationDefinitionId?: string;
  /** For a delegated User Access Administrator: the roles it may assign (lighthouse.md §3.1). */
  readonly delegatedRoleDefinitionIds?: readonly string[];
}

export interface Decision {
  readonly allowed: boolean;
  readonly action: string;
  readonly scope: string;
  readonly grants: readonly Grant[];
  readonly deniedBy?: { readonly denyAssignmentId: string; readonly scope: string };
  readonly reason: string;
}

/** The fields of a role assignment that decide access (a store may hand over just these). */
export type AssignmentFields = Pick<RoleAssignment, 'id' | 'scope' | 'roleDefinitionId' | 'principalId'>;

/** Everything an engine holds, for `load`; each field may be a stream (read once, in field order). */
/** A delegation as the directories see it: a registration assignment's scope, the customer's directory and the managing one (lower-case tenant ids). */
export interface DelegationLink {
  readonly scope: string;
  readonly customerTenantId: string;
  readonly managingTenantId: string;
}

export interface EngineSnapshot {
  readonly roleDefinitions?: Iterable<RoleDefinition>;
  readonly memberships?: Iterable<GroupMembership>;
  readonly roleAssignments?: Iterable<AssignmentFields>;
  readonly denyAssignments?: Iterable<DenyAssignment>;
  readonly registrationDefinitions?: Iterable<RegistrationDefinition>;
  readonly registrationAssignments?: Iterable<RegistrationAssignment>;
  readonly activations?: Iterable<EligibleActivation>;
}

export interface EngineOptions {
  /** Epoch ms; used when a request carries no `at`. The core never reads the wall clock itself. */
  readonly clock?: () => number;
}

interface RoleRecord {
  readonly id: string;
  readonly roleName: string;
  readonly matcher: PermissionMatcher;
}

interface DenyRecord {
  readonly id: string;
  readonly node: number;
  readonly matcher: PermissionMatcher;
  readonly everyone: boolean;
  readonly principals: Int32Array;
  readonly excludes: Int32Array;
  readonly doNotApplyToChildScopes: boolean;
}

interface DefinitionRecord {
  readonly id: string;
  readonly tenant: number;
  /** (principal, role) pairs of `authorizations`. */
  readonly authorizations: Int32Array;
  /** (principal, role) pairs of `eligibleAuthorizations`. */
  readonly eligible: Int32Array;
  /** delegatedRoleDefinitionIds by authorization index, when any authorization has them. */
  readonly delegated: ReadonlyMap<number, readonly string[]> | undefined;
}

interface RegistrationRecord {
  readonly key: string;
  readonly id: string;
  readonly node: number;
  readonly definition: number;
  /** The lower-case id of the subscription the assignment is in. */
  readonly subscription: string;
}

interface ActivationRecord {
  readonly id: string;
  readonly node: number;
  readonly registration: string;
  readonly principal: number;
  readonly role: number;
  readonly tenant: number;
  readonly startsAt: number;
  readonly endsAt: number;
}

/** What a node holds besides role assignments (few nodes have any). */
interface NodeExtras {
  // Replaced, never changed in place (so nodes can share the empty list).
  registrations: readonly RegistrationRecord[];
  activations: readonly ActivationRecord[];
  denies: readonly DenyRecord[];
}

/** What a walk needs to know about one request, all interned. */
interface Query {
  principal: number;
  tenant: number;
  /** The target's node, or its nearest held ancestor's. */
  node: number;
  /** Whether `node` is the target itself. */
  exact: boolean;
  /** Whether a deny assignment is held at `node` or above (most scopes have none: the deny walk is skipped). */
  mayDeny: boolean;
  /** -1: any role applies (listing, not deciding) */
  action: number;
  actionName: string;
  data: boolean;
  /** Each role's verdict bits for `action` (the bits of permission-matcher.ts), by role id. */
  verdicts: Uint8Array;
  /** The verdict bits of the plane asked about. */
  known: number;
  allowed: number;
  at: number;
  epoch: number;
  /** The scope as requested (for the root-scope rule when the engine holds no node of it). */
  scope: string;
  /**
   * Whether role assignments may apply: the target lies in no known subscription, or in one of the
   * caller's own directory (a principal of another directory reaches it only through a delegation).
   */
  ownDirectory: boolean;
}

// The row layout, bound once: compiled to CommonJS (as tsx runs it), every use of an imported
// binding is a getter call, which the walk's inner loop cannot afford.
const STRIDE = AT_STRIDE;
const PRINCIPAL = AT_PRINCIPAL;
const ROLE = AT_ROLE;
const NODE = AT_NODE_STRIDE;
const START = AT_NODE_START;
const END = AT_NODE_END;
// The engine's two fields of a node record: the parent node (-1 for the root) and the index in `extras` (0: none).
const PARENT = NODE_OWNER_A;
const EXTRA = NODE_OWNER_B;
// A cached caller's record fields (caller-cache.ts), and an extras index's delegation run record fields (int-runs.ts).
const TENANT_OF = CALLER_TENANT;
const COUNT_OF = CALLER_COUNT;
const IDS_OF = CALLER_IDS;
const RUN = RUN_RECORD;
const RUN_FROM = RUN_START;
const RUN_TO = RUN_END;
const RUN_VERSION = RUN_STAMP;
const RUN_ACTIVATIONS = RUN_SPARE;
const ACTION_LIMIT = 1 << 16;
// The request-scope and caller caches hold at least this many entries, or as many as the index
// holds scopes or principals: requests mostly name held scopes (or scopes below them) and known
// callers, and a cache smaller than the traffic's working set is cleared before it pays off.
const CACHE_MIN = 1 << 17;
const NO_VERDICTS = new Uint8Array(0);
// A node outside every subscription whose tenant the engine knows (see nodeDirectories).
const NO_DIRECTORY = -1;
// Shared by every node without such records: most nodes with extras hold only one kind.
const NONE: readonly never[] = Object.freeze([]);

/** The decision engine; see the module comment. */
export class AuthorizationEngine {
  /** Group membership, owned here so the closure and the identity cache stay in step. */
  readonly groups = new GroupGraph();
  private readonly clock: (() => number) | undefined;
  // The platform operators' object ids (lower case): users and service principals, never groups.
  private readonly operators = new Set<string>();

  private readonly principals = new Interner();
  private readonly tenants = new Interner();
  private readonly roleIds = new Interner();
  private actions = new Interner();
  private readonly actionIds = new BoundedDictionary<number>();
  // Bumped when the action interner starts afresh: a prepared action's id is then stale.
  private actionsGeneration = 0;
  private readonly roles: (RoleRecord | undefined)[] = [];

  private readonly assignments = new AssignmentTable();
  private readonly scopeNames: string[] = [];
  private readonly scopeIds = new ScopeIndex(this.scopeNames);
  // Node records (segment, parent, extras index) live in the assignment table's `nodes`; see PARENT and EXTRA.
  private readonly extras: NodeExtras[] = [newExtras()];
  /**
   * By extras index: the authorizations of its `registrations` laid out for the walk, per registration
   * whose definition is held (tenant, registration index, pair count, then (principal, role) pairs),
   * stamped with the definitions version they were laid out at, and the count of its activations
   * (the spare int), so the walk reads no extras object unless it has to.
   */
  private readonly delegationRuns = new IntRuns();
  // Bumped when any registration definition changes: the delegation runs of every node are then stale.
  private definitionsVersion = 0;

  private readonly definitionSlots = new Interner();
  private readonly definitions: (DefinitionRecord | undefined)[] = [];
  private readonly registrations = new Map<string, RegistrationRecord>();
  // The registration assignments in each subscription (at it or one of its resource groups), by lower-case id.
  private readonly registrationsBySubscription = new Map<string, Set<RegistrationRecord>>();
  private readonly activations = new Map<string, ActivationRecord>();
  private readonly denies = new Map<string, DenyRecord>();
  // `subscriptionsReachableFrom` by tenant, dropped by any change to subscriptions, definitions or assignments.
  private readonly reachable = new Map<number, readonly string[]>();

  // Principal and role ids by GUID words while a bulk load runs (dropped at the end of `load`).
  private bulkIds: { readonly principals: GuidMap; readonly roles: GuidMap } | undefined;
  private readonly scopeCache = new BoundedDictionary<number>();
  // Bumped whenever what a scope resolves to may change (a node added, a deny put or removed): a ScopeRun of an older epoch is void.
  private scopeEpoch = 0;
  // The nodes that have a node below them.
  private readonly parentNodes = new Set<number>();
  // The home tenant of each subscription node: `/` is the root of one directory, not of all of them.
  private readonly subscriptionTenants = new Map<number, number>();
  // By node: 0 not yet known, NO_DIRECTORY outside any known subscription, else the subscription's tenant + 1.
  // Filled on first use, dropped when a subscription's tenant is told, so a check reads one int.
  private nodeDirectories = new Int32Array(0);
  // Callers by principal id as given (one lookup yields identities and tenant), dropped when groups change.
  private readonly callers = new CallerCache();
  private callersVersion = -1;
  // Per action id: every role's verdict bits, so a candidate role costs one byte read.
  private verdicts: (Uint8Array | undefined)[] = [];
  private marks = new Uint32Array(1024);
  private epoch = 0;
  // check() reuses one query object so the hot path allocates nothing.
  private readonly scratch = newQuery();

  constructor(options: EngineOptions = {}) {
    this.clock = options.clock;
    this.newNode('/', -1);
  }

  /**
   * An engine holding the role assignment index of `roleAssignmentCheckpoint` bytes and nothing
   * else yet; throws InvalidCheckpoint when the bytes are damaged or of another format.
   */
  static fromRoleAssignmentCheckpoint(bytes: Uint8Array, options: EngineOptions = {}): AuthorizationEngine {
    const engine = new AuthorizationEngine(options);
    engine.readRoleAssignmentCheckpoint(new CheckpointReader(bytes));
    return engine;
  }

  /**
   * The role assignment index as bytes (principal, role and scope names, the scope tree, the
   * assignment table), so a later start restores it instead of parsing every assignment again
   * (performance.md §3). Role definitions, groups, delegations and denies are not in it.
   */
  roleAssignmentCheckpoint(): Uint8Array {
    const out = new CheckpointWriter().strings(this.principals.names).strings(this.roleIds.names).strings(this.scopeNames);
    this.scopeIds.writeTo(out);
    this.assignments.writeTo(out, this.scopeNames.length);
    return out.finish();
  }

  private readRoleAssignmentCheckpoint(input: CheckpointReader): void {
    const principals = input.strings();
    const roles = input.strings();
    const scopes = input.strings();
    if (scopes[0] !== '/') throw damaged('its first scope is not the root');
    this.principals.restore(principals);
    this.roleIds.restore(roles);
    this.scopeNames.length = 0;
    for (const scope of scopes) this.scopeNames.push(scope);
    this.scopeIds.readFrom(input);
    this.assignments.readFrom(input, scopes.length, principals.length, roles.length);
    input.end();
    const nodes = this.assignments.nodes;
    for (let n = 0; n < scopes.length; n++) {
      const parent = nodes[n * NODE + PARENT] as number;
      // Ancestors are created before their descendants, so a parent's number is always smaller: no cycles.
      if (n === 0 ? parent !== -1 : parent < 0 || parent >= n) throw damaged(`scope node ${n} has parent ${parent}`);
      nodes[n * NODE + EXTRA] = 0; // delegations and denies are loaded afresh
      if (parent >= 0) this.parentNodes.add(parent);
    }
    this.forgetResolvedScopes();
  }

  // ---------------------------------------------------------------- writes

  /** Adds or replaces a role definition (matched by id). */
  putRoleDefinition(role: RoleDefinition): void {
    const r = this.roleIds.intern(role.id);
    this.roles[r] = { id: role.id, roleName: role.roleName, matcher: new PermissionMatcher(role.permissions) };
    this.forgetVerdicts(r);
  }

  /** Removes a role definition; assignments of it then grant nothing. */
  removeRoleDefinition(roleDefinitionId: string): boolean {
    const r = this.roleIds.find(roleDefinitionId);
    if (r < 0 || this.roles[r] === undefined) return false;
    this.roles[r] = undefined;
    this.forgetVerdicts(r);
    return true;
  }

  /** Adds or replaces a role assignment (matched by id). */
  putRoleAssignment(assignment: RoleAssignment): void {
    this.insertAssignment(assignment);
  }

  private insertAssignment(assignment: AssignmentFields): void {
    const node = this.internScope(assignment.scope);
    this.assignments.put(normalizeGuid(assignment.id), this.principals.intern(assignment.principalId), this.roleIds.intern(assignment.roleDefinitionId), node);
  }

  /**
   * Adds or replaces the role assignments of one chunk of packed lines, as a store hands them over
   * at cold start (performance.md §3): `\n`-separated lines `id principalId roleDefinitionId scope`,
   * single spaces, the scope (last) running to the end of the line. The whole chunk is checked
   * before any of it is applied. Ids are parsed into GUID words where they are GUIDs and scopes
   * hashed in place (V8 hashes slices of a long string slowly); a field is copied out only when new
   * to the engine, so no held string pins a chunk.
   */
  putRoleAssignmentLines(chunk: string): void {
    const fields = new Int32Array(FIELD_ENDS);
    let count = 0;
    for (let at = 0; at < chunk.length; at = fields[3] as number + 1) readLine(chunk, at, ++count, fields);
    this.assignments.reserve(count);
    const ids = (this.bulkIds ??= { principals: new GuidMap(), roles: new GuidMap() });
    for (let at = 0, line = 1; at < chunk.length; at = fields[3] as number + 1, line++) {
      readLine(chunk, at, line, fields);
      const a = fields[0] as number;
      const b = fields[1] as number;
      const c = fields[2] as number;
      const eol = fields[3] as number;
      const principal = internRange(this.principals, ids.principals, chunk, a + 1, b);
      const role = internRange(this.roleIds, ids.roles, chunk, b + 1, c);
      let node = this.scopeIds.getRange(chunk, c + 1, eol);
      if (node < 0) node = this.internScope(copyOf(chunk, c + 1, eol));
      const id = guidWordsAt(chunk, at, a);
      if (id !== undefined) this.assignments.putWords(id, principal, role, node);
      else this.assignments.put(normalizeGuid(copyOf(chunk, at, a)), principal, role, node);
    }
  }

  /**
   * Bulk load (cold start): the same as putting every item in the order of the fields, with the
   * tables sized once up front (when given arrays) and the assignment segments laid out in scope
   * order at the end. Streams let a store's rows die young instead of all living through the build.
   */
  load(snapshot: EngineSnapshot): void {
    for (const role of snapshot.roleDefinitions ?? []) this.putRoleDefinition(role);
    for (const m of snapshot.memberships ?? []) this.putMembership(m);
    const assignments = snapshot.roleAssignments ?? [];
    this.assignments.reserve(knownLength(assignments));
    for (const a of assignments) this.insertAssignment(a);
    this.assignments.compact();
    for (const d of snapshot.denyAssignments ?? []) this.putDenyAssignment(d);
    for (const d of snapshot.registrationDefinitions ?? []) this.putRegistrationDefinition(d);
    for (const a of snapshot.registrationAssignments ?? []) this.putRegistrationAssignment(a);
    for (const a of snapshot.activations ?? []) this.putActivation(a);
    this.extras.forEach((extras, x) => {
      if (extras.registrations.length > 0) this.layOutDelegations(x);
    });
    this.bulkIds = undefined;
  }

  /** Removes a role assignment by id. */
  removeRoleAssignment(id: string): boolean {
    const slot = this.assignments.find(normalizeGuid(id));
    if (slot < 0) return false;
    this.assignments.remove(slot);
    return true;
  }

  /** Adds or replaces a deny assignment (matched by id). */
  putDenyAssignment(deny: DenyAssignment): void {
    this.removeDenyAssignment(deny.id);
    const named = (list: DenyAssignment['principals']) =>
      Int32Array.from(list.filter((p) => !isEveryone(p)), (p) => this.principals.intern(p.id));
    const record: DenyRecord = {
      id: deny.id,
      node: this.internScope(deny.scope),
      matcher: new PermissionMatcher(deny.permissions),
      everyone: deny.principals.some(isEveryone),
      principals: named(deny.principals),
      excludes: named(deny.excludePrincipals),
      doNotApplyToChildScopes: deny.doNotApplyToChildScopes,
    };
    this.denies.set(normalizeGuid(deny.id), record);
    const extras = this.extrasAt(record.node);
    extras.denies = [...extras.denies, record];
    this.forgetResolvedScopes(); // cached scopes below the node now may be denied
  }

  /** Removes a deny assignment by id. */
  removeDenyAssignment(id: string): boolean {
    const key = normalizeGuid(id);
    const record = this.denies.get(key);
    if (!record) return false;
    this.denies.delete(key);
    const extras = this.extrasAt(record.node);
    extras.denies = extras.denies.filter((d) => d !== record);
    this.forgetResolvedScopes();
    return true;
  }

  /** Records the home tenant of a subscription, so role assignments at `/` reach only that tenant's subscriptions. */
  putSubscription(subscriptionId: string, tenantId: string): void {
    this.subscriptionTenants.set(this.internScope(`/subscriptions/${subscriptionId}`), this.tenants.intern(tenantId));
    this.nodeDirectories.fill(0);
    this.reachable.clear();
  }

  /** The subscriptions (lower-case ids) whose home directory is `tenantId`. */
  subscriptionsOfDirectory(tenantId: string): string[] {
    const tenant = this.tenants.find(tenantId);
    const out: string[] = [];
    for (const [node, home] of this.subscriptionTenants) {
      if (home === tenant) out.push(subscriptionIdOf(this.scopeNames[node]!));
    }
    return out;
  }

  /**
   * The subscriptions (lower-case ids) in which a principal of `tenantId` can hold any grant: those
   * of its own directory and those with a delegation it manages. No grant reaches any other (role
   * assignments apply within their directory), so lists start from these instead of every subscription.
   */
  subscriptionsReachableFrom(tenantId: string): readonly string[] {
    const tenant = this.tenants.find(tenantId);
    if (tenant < 0) return [];
    // Every subscription and delegation is looked at, so the answer is kept until one changes.
    let reached = this.reachable.get(tenant);
    if (reached === undefined) {
      const out = new Set(this.subscriptionsOfDirectory(tenantId));
      for (const [subscription, records] of this.registrationsBySubscription) {
        for (const record of records) {
          if (this.definitions[record.definition]?.tenant === tenant) out.add(subscription);
        }
      }
      this.reachable.set(tenant, reached = Object.freeze([...out]));
    }
    return reached;
  }

  /**
   * The delegations `tenantId` takes part in, as customer or as managing tenant: each registration
   * assignment (its scope as the engine holds it) whose subscription's directory and definition are known.
   */
  delegationsOf(tenantId: string): DelegationLink[] {
    const tenant = this.tenants.find(tenantId);
    if (tenant < 0) return [];
    const links: DelegationLink[] = [];
    // A delegation of the tenant's is in a subscription of its directory or in one it manages: both are reachable from it.
    for (const subscription of this.subscriptionsReachableFrom(tenantId)) {
      const customer = this.subscriptionTenants.get(this.scopeIds.get(`/subscriptions/${subscription}`));
      if (customer === undefined) continue;
      for (const record of this.registrationsBySubscription.get(subscription) ?? []) {
        const managing = this.definitions[record.definition]?.tenant;
        if (managing === undefined || (customer !== tenant && managing !== tenant)) continue;
        links.push({ scope: this.scopeNames[record.node]!, customerTenantId: this.tenants.names[customer]!, managingTenantId: this.tenants.names[managing]! });
      }
    }
    return links;
  }

  /** The tenants (lower-case ids, sorted) managing a subscription or one of its resource groups through a delegation. */
  managingTenantsOf(subscriptionId: string): string[] {
    const tenants = new Set<string>();
    for (const record of this.registrationsBySubscription.get(subscriptionId.toLowerCase()) ?? []) {
      const definition = this.definitions[record.definition];
      if (definition) tenants.add(this.tenants.names[definition.tenant]!);
    }
    return [...tenants].sort();
  }

  /** Makes a user or service principal a platform operator (the only callers the operator plane allows). */
  putPlatformOperator(principalId: string): void {
    this.operators.add(normalizeGuid(principalId));
  }

  /** Takes the platform operator role away; the next check sees it. */
  removePlatformOperator(principalId: string): boolean {
    return this.operators.delete(normalizeGuid(principalId));
  }

  /** Adds a direct group membership (refuses cycles, see GroupGraph). */
  putMembership(membership: GroupMembership): void {
    this.groups.addMembership(membership);
  }

  /** Removes a direct group membership. */
  removeMembership(groupId: string, memberId: string): boolean {
    return this.groups.removeMembership(groupId, memberId);
  }

  /** Adds or replaces a registration definition (matched by subscription and id). */
  putRegistrationDefinition(definition: RegistrationDefinition): void {
    const pairs = (list: readonly { principalId: string; roleDefinitionId: string }[]) => {
      const out = new Int32Array(list.length * 2);
      list.forEach((a, i) => {
        out[i * 2] = this.principals.intern(a.principalId);
        out[i * 2 + 1] = this.roleIds.intern(a.roleDefinitionId);
      });
      return out;
    };
    const delegated = new Map<number, readonly string[]>();
    definition.authorizations.forEach((a, i) => {
      if (a.delegatedRoleDefinitionIds?.length) delegated.set(i, a.delegatedRoleDefinitionIds);
    });
    const slot = this.definitionSlots.intern(definitionKey(definition.subscriptionId, definition.id));
    this.definitions[slot] = {
      id: definition.id,
      tenant: this.tenants.intern(definition.managedByTenantId),
      authorizations: pairs(definition.authorizations),
      eligible: pairs(definition.eligibleAuthorizations),
      delegated: delegated.size > 0 ? delegated : undefined,
    };
    this.definitionsVersion++;
    this.reachable.clear();
  }

  /** Removes a registration definition; its assignments then grant nothing. */
  removeRegistrationDefinition(subscriptionId: string, id: string): boolean {
    const slot = this.definitionSlots.find(definitionKey(subscriptionId, id));
    if (slot < 0 || this.definitions[slot] === undefined) return false;
    this.definitions[slot] = undefined;
    this.definitionsVersion++;
    this.reachable.clear();
    return true;
  }

  /** Adds or replaces a registration assignment (matched by scope and id). */
  putRegistrationAssignment(assignment: RegistrationAssignment): void {
    const { subscriptionId, level } = parseScope(assignment.scope);
    if (subscriptionId === undefined || (level !== 'subscription' && level !== 'resourceGroup')) {
      throw invalid(
        'InvalidRegistrationAssignmentScope',
        `A registration assignment lives at a subscription or resource group, not at '${assignment.scope}'.`,
        'scope',
      );
    }
    this.removeRegistrationAssignment(assignment.scope, assignment.id);
    const record: RegistrationRecord = {
      key: registrationKey(assignment.scope, assignment.id),
      id: assignment.id,
      node: this.internScope(assignment.scope),
      definition: this.definitionSlots.intern(definitionKey(subscriptionId, assignment.registrationDefinitionId)),
      subscription: subscriptionId.toLowerCase(),
    };
    this.registrations.set(record.key, record);
    this.reachable.clear();
    const inSubscription = this.registrationsBySubscription.get(record.subscription) ?? new Set<RegistrationRecord>();
    this.registrationsBySubscription.set(record.subscription, inSubscription.add(record));
    const extras = this.extrasAt(record.node);
    extras.registrations = [...extras.registrations, record];
    this.delegationRuns.expire(this.extrasIndex(record.node));
  }

  /** Removes a registration assignment by scope and id. */
  removeRegistrationAssignment(scope: string, id: string): boolean {
    const record = this.registrations.get(registrationKey(scope, id));
    if (!record) return false;
    this.registrations.delete(record.key);
    this.reachable.clear();
    const inSubscription = this.registrationsBySubscription.get(record.subscription);
    inSubscription?.delete(record);
    if (inSubscription?.size === 0) this.registrationsBySubscription.delete(record.subscription);
    const extras = this.extrasAt(record.node);
    extras.registrations = extras.registrations.filter((r) => r !== record);
    this.delegationRuns.expire(this.extrasIndex(record.node));
    return true;
  }

  /** Adds or replaces a just-in-time activation (matched by id). */
  putActivation(activation: EligibleActivation): void {
    const startsAt = Date.parse(activation.startsAt);
    const endsAt = Date.parse(activation.endsAt);
    if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) {
      throw invalid('InvalidActivationWindow', `Activation '${activation.id}' needs ISO-8601 startsAt and endsAt.`, Number.isNaN(startsAt) ? 'startsAt' : 'endsAt');
    }
    this.removeActivation(activation.id);
    const record: ActivationRecord = {
      id: activation.id,
      node: this.internScope(activation.assignmentScope),
      registration: registrationKey(activation.assignmentScope, activation.registrationAssignmentId),
      principal: this.principals.intern(activation.principalId),
      role: this.roleIds.intern(activation.roleDefinitionId),
      tenant: this.tenants.intern(activation.managedByTenantId),
      startsAt,
      endsAt,
    };
    this.activations.set(normalizeGuid(activation.id), record);
    const extras = this.extrasAt(record.node);
    extras.activations = [...extras.activations, record];
    this.delegationRuns.setSpare(this.extrasIndex(record.node), extras.activations.length);
  }

  /** Removes an activation by id. */
  removeActivation(id: string): boolean {
    const key = normalizeGuid(id);
    const record = this.activations.get(key);
    if (!record) return false;
    this.activations.delete(key);
    const extras = this.extrasAt(record.node);
    extras.activations = extras.activations.filter((a) => a !== record);
    this.delegationRuns.setSpare(this.extrasIndex(record.node), extras.activations.length);
    return true;
  }

  /** The number of role assignments held. */
  get roleAssignmentCount(): number {
    return this.assignments.size;
  }

  // ---------------------------------------------------------------- queries

  /** Whether the caller may perform `action` at `scope` at time `at`. */
  check(req: CheckRequest): boolean {
    if (isOperatorScope(req.scope)) return this.operators.has(normalizeGuid(req.principalId));
    const q = this.prepare(req, this.scratch, true);
    return this.walk(q) && this.denial(q) === undefined;
  }

  /**
   * `check` for a caller and an action prepared once (per token, per operation): only the scope
   * string, new with each request, is looked up. Same answer as `check` for the same request.
   */
  checkPrepared(caller: PreparedCaller, action: PreparedAction, scope: string, at?: number, run?: ScopeRun): boolean {
    if (isOperatorScope(scope)) return this.operators.has(normalizeGuid(caller.principalId));
    const q = this.scratch;
    const offset = this.preparedCallerOffset(caller);
    if (action.generation !== this.actionsGeneration || action.owner !== this) {
      action.id = this.actionId(action.action);
      action.generation = this.actionsGeneration;
      action.owner = this;
    }
    this.fillQuery(q, offset, action.id, action.dataAction, scope, at ?? this.clock?.(), run);
    return this.walk(q) && this.denial(q) === undefined;
  }

  /** The decision with the grants that allow it, the deny that blocks it, and why. */
  explain(req: CheckRequest): Decision {
    if (isOperatorScope(req.scope)) return this.explainOperatorPlane(req);
    const q = this.prepare(req, newQuery(), true);
    const grants: Grant[] = [];
    this.walk(q, grants);
    const base = { action: req.action, scope: req.scope, grants };
    if (grants.length === 0) return { ...base, allowed: false, reason: this.whyNothing(req, q) };
    const deny = this.denial(q);
    if (deny) {
      const scope = this.scopeNames[deny.node] as string;
      return {
        ...base,
        allowed: false,
        deniedBy: { denyAssignmentId: deny.id, scope },
        reason: `Deny assignment '${deny.id}' at '${scope}' blocks '${req.action}'; deny assignments take precedence over the ${grants.length} grant(s).`,
      };
    }
    const g = grants[0] as Grant;
    return { ...base, allowed: true, reason: `Allowed by role '${g.roleName}' through ${describe(g)}${grants.length > 1 ? ` and ${grants.length - 1} more grant(s)` : ''}.` };
  }

  // The operator plane has no grants to name: the caller is a platform operator or it is not.
  private explainOperatorPlane(req: CheckRequest): Decision {
    const allowed = this.operators.has(normalizeGuid(req.principalId));
    const reason = allowed
      ? `'${req.principalId}' is a platform operator.`
      : `Only platform operators act on the operator plane; '${req.principalId}' is not one (role assignments and delegations do not reach it).`;
    return { allowed, action: req.action, scope: req.scope, grants: [], reason };
  }

  /** Every grant that applies to the caller at `scope` at time `at`, whatever the action. */
  assignmentsFor(principalId: string, tenantId: string, scope: string, at: number): Grant[] {
    const q = this.prepare({ principalId, tenantId, scope, action: '', at }, newQuery(), false);
    const grants: Grant[] = [];
    this.walk(q, grants);
    return grants;
  }

  /** The permission blocks of every role that applies (ARM's effective permissions at a scope). */
  permissionsAt(principalId: string, tenantId: string, scope: string, at: number): Permission[] {
    const roles = new Set(this.assignmentsFor(principalId, tenantId, scope, at).map((g) => g.roleDefinitionId.toLowerCase()));
    return [...roles].flatMap((id) => this.roles[this.roleIds.find(id)]?.matcher.permissions ?? []);
  }

  // ---------------------------------------------------------------- evaluation

  private prepare(req: CheckRequest, q: Query, withAction: boolean): Query {
    const caller = this.callerOf(req.principalId, req.tenantId);
    return this.fillQuery(q, caller, withAction ? this.actionId(req.action) : -1, req.dataAction === true, req.scope, req.at ?? this.clock?.());
  }

  // The caller cache offset of a prepared caller: its own while the cache keeps it, else found again.
  private preparedCallerOffset(caller: PreparedCaller): number {
    if (this.groups.version !== this.callersVersion || caller.generation !== this.callers.generation || caller.owner !== this) {
      caller.offset = this.callerOf(caller.principalId, caller.tenantId);
      caller.generation = this.callers.generation;
      caller.owner = this;
      caller.tenant = this.callers.records[caller.offset + TENANT_OF] as number;
      return caller.offset;
    }
    // Another request may have named the same principal from another tenant since (callerOf keeps the latest).
    const records = this.callers.records;
    if (records[caller.offset + TENANT_OF] !== caller.tenant) records[caller.offset + TENANT_OF] = caller.tenant;
    return caller.offset;
  }

  // The query for one check: caller (a caller cache offset), action id (-1: none), scope and time.
  private fillQuery(q: Query, caller: number, action: number, data: boolean, scope: string, at: number | undefined, run?: ScopeRun): Query {
    if (at === undefined) throw invalid('CheckTimeRequired', 'An authorization check needs `at` (epoch ms) or an engine clock.', 'at');
    const records = this.callers.records;
    q.principal = records[caller + IDS_OF] as number;
    q.tenant = records[caller + TENANT_OF] as number;
    const code = this.resolveScope(scope, run);
    q.node = code >> 2;
    q.exact = (code & 2) !== 0;
    q.mayDeny = (code & 1) !== 0;
    q.action = action;
    q.actionName = action >= 0 ? (this.actions.names[action] as string) : '';
    q.data = data;
    q.verdicts = action >= 0 ? (this.verdicts[action] ?? NO_VERDICTS) : NO_VERDICTS;
    q.known = q.data ? DATA_KNOWN : CONTROL_KNOWN;
    q.allowed = q.data ? DATA_ALLOWED : CONTROL_ALLOWED;
    q.at = at;
    q.epoch = this.mark(records, caller);
    q.scope = scope;
    const directory = this.directoryOf(q.node);
    q.ownDirectory = directory === NO_DIRECTORY || directory === q.tenant + 1;
    return q;
  }

  // Walks the target's node chain. Without `out` it stops at the first grant that allows the
  // action; with `out` it collects every one.
  private walk(q: Query, out?: Grant[]): boolean {
    const table = this.assignments;
    const pool = table.pool;
    const nodes = table.nodes;
    const marks = this.marks;
    for (let n = q.node; n >= 0; n = nodes[n * NODE + PARENT] as number) {
      const at = n * NODE;
      const first = nodes[at + START] as number;
      const end = nodes[at + END] as number;
      // Role assignments at `/` are checked against the tenant only where there are any (rare).
      if (n === 0 && end > first && !this.rootApplies(q.scope, q.node, q.tenant)) break;
      // A role assignment names a principal of the target's directory: the caller's identities are
      // all of its own tenant (memberships never cross tenants), so in another directory none applies.
      if (q.ownDirectory) {
        // Newest first, as ever: explain() names the first grant.
        for (let i = end - STRIDE; i >= first; i -= STRIDE) {
          const p = pool[i + PRINCIPAL] as number;
          const role = pool[i + ROLE] as number;
          if (marks[p] === q.epoch && this.roleAllows(role, q)) {
            if (!out) return true;
            out.push(this.grant('roleAssignment', table.idOf(table.slotAt(i)), role, n, p));
          }
        }
      }
      const x = nodes[at + EXTRA] as number;
      if (x === 0) continue;
      const r = x * RUN;
      if (this.delegationRuns.records[r + RUN_VERSION] !== this.definitionsVersion) this.layOutDelegations(x);
      const runs = this.delegationRuns.records;
      if ((runs[r + RUN_TO] as number) > (runs[r + RUN_FROM] as number) && this.delegationsAt(n, x, q, out)) return true;
      if ((runs[r + RUN_ACTIVATIONS] as number) > 0 && this.activationsAtNode(n, this.extras[x] as NodeExtras, q, out)) return true;
    }
    return out !== undefined && out.length > 0;
  }

  // Lighthouse: each authorization of the definition is a role assignment at the assignment scope,
  // for callers whose home tenant is the managing tenant. Returns true to stop the walk.
  private delegationsAt(node: number, x: number, q: Query, out: Grant[] | undefined): boolean {
    const run = this.delegationRuns.data;
    const end = this.delegationRuns.records[x * RUN + RUN_TO] as number;
    const marks = this.marks;
    for (let at = this.delegationRuns.records[x * RUN + RUN_FROM] as number; at < end; ) {
      const pairs = (run[at + 2] as number) * 2;
      const first = at + 3;
      at = first + pairs;
      if (run[first - 3] !== q.tenant) continue;
      for (let i = first; i < at; i += 2) {
        const p = run[i] as number;
        const role = run[i + 1] as number;
        if (marks[p] !== q.epoch || !this.roleAllows(role, q)) continue;
        if (!out) return true;
        const reg = (this.extras[x] as NodeExtras).registrations[run[first - 2] as number] as RegistrationRecord;
        const def = this.definitions[reg.definition] as DefinitionRecord;
        const k = (i - first) / 2;
        out.push({
          ...this.grant('delegation', reg.id, role, node, p),
          registrationDefinitionId: def.id,
          ...(def.delegated?.has(k) ? { delegatedRoleDefinitionIds: def.delegated.get(k) } : {}),
        });
      }
    }
    return false;
  }

  private layOutDelegations(x: number): void {
    const run: number[] = [];
    (this.extras[x] as NodeExtras).registrations.forEach((reg, index) => {
      const def = this.definitions[reg.definition];
      if (def !== undefined) run.push(def.tenant, index, def.authorizations.length / 2, ...def.authorizations);
    });
    this.delegationRuns.write(x, run, this.definitionsVersion);
  }

  // An activation is personal: it grants its role to the principal who activated, inside its
  // window, while its registration assignment and a matching eligible authorization exist.
  private activationsAtNode(node: number, extras: NodeExtras, q: Query, out: Grant[] | undefined): boolean {
    for (const act of extras.activations) {
      if (act.principal !== q.principal || act.tenant !== q.tenant || q.at < act.startsAt || q.at >= act.endsAt) continue;
      const reg = this.registrations.get(act.registration);
      const def = reg && this.definitions[reg.definition];
      if (!reg || !def || def.tenant !== q.tenant || !this.eligible(def, act.role, q.epoch) || !this.roleAllows(act.role, q)) continue;
      if (!out) return true;
      out.push({ ...this.grant('eligibleActivation', act.id, act.role, node, act.principal), registrationDefinitionId: def.id });
    }
    return false;
  }

  private eligible(def: DefinitionRecord, role: number, epoch: number): boolean {
    const pairs = def.eligible;
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] === role && this.marks[pairs[i] as number] === epoch) return true;
    }
    return false;
  }

  private roleAllows(role: number, q: Query): boolean {
    if (q.action < 0) return this.roles[role] !== undefined;
    const verdicts = q.verdicts;
    const bits = role < verdicts.length ? (verdicts[role] as number) : 0;
    return (((bits & q.known) !== 0 ? bits : this.decide(role, q)) & q.allowed) !== 0;
  }

  // The verdict of `role` for the query's action, computed once and kept in the action's row.
  private decide(role: number, q: Query): number {
    let verdicts = q.verdicts;
    if (role >= verdicts.length) {
      verdicts = new Uint8Array(Math.max(this.roleIds.size, role + 1, verdicts.length * 2));
      verdicts.set(q.verdicts);
      this.verdicts[q.action] = verdicts;
      q.verdicts = verdicts;
    }
    const allowed = this.roles[role]?.matcher.matches(q.actionName, q.data) === true;
    const bits = (verdicts[role] as number) | q.known | (allowed ? q.allowed : 0);
    verdicts[role] = bits;
    return bits;
  }

  private forgetVerdicts(role: number): void {
    for (const verdicts of this.verdicts) if (verdicts !== undefined && role < verdicts.length) verdicts[role] = 0;
  }

  // The first deny assignment at the target or an ancestor that blocks the action for the caller.
  private denial(q: Query): DenyRecord | undefined {
    if (!q.mayDeny) return undefined;
    let exact = q.exact;
    const nodes = this.assignments.nodes;
    for (let n = q.node; n >= 0; n = nodes[n * NODE + PARENT] as number, exact = false) {
      const x = nodes[n * NODE + EXTRA] as number;
      if (x === 0) continue;
      for (const deny of (this.extras[x] as NodeExtras).denies) {
        if (deny.doNotApplyToChildScopes && !exact) continue;
        if (!deny.everyone && !this.anyMarked(deny.principals, q.epoch)) continue;
        if (this.anyMarked(deny.excludes, q.epoch)) continue;
        if (deny.matcher.allows(q.action, q.actionName, q.data)) return deny;
      }
    }
    return undefined;
  }

  private anyMarked(ids: Int32Array, epoch: number): boolean {
    for (const id of ids) if (this.marks[id] === epoch) return true;
    return false;
  }

  private whyNothing(req: CheckRequest, q: Query): string {
    const applying: Grant[] = [];
    this.walk({ ...q, action: -1 }, applying);
    const who = `'${req.principalId}' (tenant '${req.tenantId}')`;
    if (applying.length === 0) {
      return `No role assignment, delegation or active eligible activation applies to ${who} or its groups at '${req.scope}' or any parent scope.`;
    }
    const roles = [...new Set(applying.map((g) => g.roleName))].map((n) => `'${n}'`).join(', ');
    const plane = req.dataAction === true ? 'DataActions' : 'Actions';
    return `${applying.length} assignment(s) apply to ${who} at '${req.scope}' (roles ${roles}), but none of their ${plane} allows '${req.action}' after NotActions.`;
  }

  private grant(source: GrantSource, id: string, role: number, node: number, principal: number): Grant {
    const record = this.roles[role];
    return {
      source,
      id,
      roleDefinitionId: record?.id ?? (this.roleIds.names[role] as string),
      roleName: record?.roleName ?? '',
      scope: this.scopeNames[node] as string,
      principalId: this.principals.names[principal] as string,
    };
  }

  // ---------------------------------------------------------------- interning

  // One dictionary lookup on the principal id as given yields the caller's record: its identities
  // and, while it calls from the same tenant as last time, its tenant.
  private callerOf(principalId: string, tenantId: string): number {
    if (this.groups.version !== this.callersVersion) {
      this.callers.clear();
      this.callersVersion = this.groups.version;
    }
    const at = this.callers.find(principalId);
    if (at < 0) return this.callers.add(principalId, this.tenants.intern(tenantId), this.identitiesOf(principalId), Math.max(CACHE_MIN, this.principals.size));
    const records = this.callers.records;
    if (this.tenants.names[records[at + TENANT_OF] as number] !== tenantId) records[at + TENANT_OF] = this.tenants.intern(tenantId);
    return at;
  }

  private identitiesOf(principalId: string): number[] {
    const ids = [this.principals.intern(principalId)];
    for (const g of this.groups.groupsOf(principalId)) ids.push(this.principals.intern(g));
    return ids;
  }

  // Marks the caller's identities with a fresh epoch, so "is p one of them" is one array read.
  private mark(records: Int32Array, caller: number): number {
    if (this.marks.length < this.principals.size) {
      const grown = new Uint32Array(Math.max(this.principals.size, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
    }
    if (++this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    const first = caller + IDS_OF;
    const end = first + (records[caller + COUNT_OF] as number);
    for (let i = first; i < end; i++) this.marks[records[i] as number] = this.epoch;
    return this.epoch;
  }

  // The action's id by the string as given: a dictionary in front of the interner, since every check
  // asks. Both are bounded, as a caller can send any number of distinct strings (or casings).
  private actionId(action: string): number {
    const known = this.actionIds.get(action);
    if (known !== undefined) return known;
    if (this.actions.size >= ACTION_LIMIT && this.actions.find(action) < 0) {
      // Unbounded distinct actions would grow every role's verdict cache; start afresh.
      this.actions = new Interner();
      this.actionsGeneration++;
      this.actionIds.clear();
      this.verdicts = [];
      for (const deny of this.denies.values()) deny.matcher.clearCache();
    }
    const id = this.actions.intern(action);
    this.actionIds.set(action, id, ACTION_LIMIT);
    return id;
  }

  // A subscription's scopes inherit from `/` only for callers of the subscription's own tenant; a
  // subscription the engine was not told about inherits nothing from `/`.
  private rootApplies(scope: string, node: number, tenant: number): boolean {
    let n = node;
    while (n > 0 && this.parentOf(n) > 0) n = this.parentOf(n);
    if (n > 0) {
      const home = this.subscriptionTenants.get(n);
      if (home !== undefined) return home === tenant;
      return !isSubscriptionScope(this.scopeNames[n] as string);
    }
    return !isSubscriptionScope(normalizeScope(scope));
  }

  // The directory of a node's scope (see nodeDirectories), computed once per node.
  private directoryOf(node: number): number {
    const known = node < this.nodeDirectories.length ? (this.nodeDirectories[node] as number) : 0;
    if (known !== 0) return known;
    if (this.nodeDirectories.length < this.scopeNames.length) {
      const grown = new Int32Array(Math.max(this.scopeNames.length, this.nodeDirectories.length * 2, 1024));
      grown.set(this.nodeDirectories);
      this.nodeDirectories = grown;
    }
    let n = node;
    while (n > 0 && this.parentOf(n) > 0) n = this.parentOf(n);
    const home = n > 0 ? this.subscriptionTenants.get(n) : undefined;
    const directory = home === undefined ? NO_DIRECTORY : home + 1;
    this.nodeDirectories[node] = directory;
    return directory;
  }

  // A bounded dictionary in front of the index (V8 hashes a request string much faster than JS can,
  // and finds a string it has seen before by identity). The code is node * 4, + 2 when the node is
  // the scope itself, + 1 when a deny assignment is held at the node or above.
  private resolveScope(scope: string, run?: ScopeRun): number {
    if (run !== undefined && run.epoch === this.scopeEpoch && run.owner === this) {
      // Below a node with nothing under it, every scope resolves to that node: a native prefix compare, no
      // lookup. The part past the prefix must name something (`{prefix}//` would normalise to the node itself).
      const n = run.prefix.length;
      if (scope.length > n + 1 && scope.charCodeAt(n) === SLASH && scope.charCodeAt(n + 1) !== SLASH && scope.startsWith(run.prefix)) return run.code;
    }
    let code = this.scopeCache.get(scope);
    if (code === undefined) {
      const resolved = this.scopeIds.resolve(isNormalized(scope) ? scope : normalizeScope(scope));
      code = resolved * 2 + (this.deniedAtOrAbove(resolved >> 1) ? 1 : 0);
      this.scopeCache.set(scope, code, Math.max(CACHE_MIN, this.scopeNames.length));
    }
    if (run !== undefined) this.startRun(run, scope, code);
    return code;
  }

  // Starts `run` at the node `scope` resolved to, when that node is a proper ancestor of it (not the
  // root, whose answer depends on the scope itself) with no node below it, and `scope` spells it out.
  private startRun(run: ScopeRun, scope: string, code: number): void {
    const node = code >> 2;
    if ((code & 2) !== 0 || node <= 0 || this.parentNodes.has(node) || !isNormalized(scope)) return;
    const name = this.scopeNames[node] as string;
    const prefix = scope.slice(0, name.length);
    if (scope.charCodeAt(name.length) !== SLASH || prefix.toLowerCase() !== name.toLowerCase()) return;
    run.prefix = prefix;
    run.code = code;
    run.epoch = this.scopeEpoch;
    run.owner = this;
  }

  private deniedAtOrAbove(node: number): boolean {
    for (let n = node; n >= 0; n = this.parentOf(n)) {
      const x = this.assignments.nodes[n * NODE + EXTRA] as number;
      if (x !== 0 && (this.extras[x] as NodeExtras).denies.length > 0) return true;
    }
    return false;
  }

  private internScope(scope: string): number {
    const id = isNormalized(scope) ? scope : normalizeScope(scope);
    const known = this.scopeIds.get(id);
    if (known >= 0) return known;
    // Every ancestor becomes a node too, so inserting a node never re-parents another one.
    const parent = parentOf(id);
    // A new node may be nearer to a cached request scope.
    this.forgetResolvedScopes();
    return this.newNode(id, parent === undefined ? -1 : this.internScope(parent));
  }

  private forgetResolvedScopes(): void {
    this.scopeEpoch++;
    // Clearing allocates a table: not when empty.
    if (this.scopeCache.size > 0) this.scopeCache.clear();
  }

  private newNode(name: string, parent: number): number {
    const node = this.scopeNames.length;
    this.assignments.ensureNode(node);
    this.scopeNames.push(name);
    this.scopeIds.add(node);
    this.assignments.nodes[node * NODE + PARENT] = parent;
    if (parent >= 0) this.parentNodes.add(parent);
    return node;
  }

  private parentOf(node: number): number {
    return this.assignments.nodes[node * NODE + PARENT] as number;
  }

  private extrasAt(node: number): NodeExtras {
    return this.extras[this.extrasIndex(node)] as NodeExtras;
  }

  // The node's index in `extras`, made when it has none.
  private extrasIndex(node: number): number {
    const nodes = this.assignments.nodes;
    let x = nodes[node * NODE + EXTRA] as number;
    if (x === 0) {
      x = this.extras.push(newExtras()) - 1;
      nodes[node * NODE + EXTRA] = x;
      this.delegationRuns.ensure(x + 1);
    }
    return x;
  }

}

// The ends of a packed line's three space-separated fields and of the line itself.
const FIELD_ENDS = 4;

// Reads the line of `chunk` starting at `at` (number `line`) into `fields`; throws
// InvalidRoleAssignmentLine, naming the line, unless it has four non-empty fields.
function readLine(chunk: string, at: number, line: number, fields: Int32Array): void {
  let eol = chunk.indexOf('\n', at);
  if (eol < 0) eol = chunk.length;
  const a = chunk.indexOf(' ', at);
  const b = a < 0 ? -1 : chunk.indexOf(' ', a + 1);
  const c = b < 0 ? -1 : chunk.indexOf(' ', b + 1);
  if (c < 0 || c >= eol - 1 || a === at || b === a + 1 || c === b + 1) {
    const text = chunk.slice(at, Math.min(eol, at + 200));
    throw invalid('InvalidRoleAssignmentLine', `Line ${line} of a role assignment chunk is not 'id principalId roleDefinitionId scope': '${text}'.`, 'roleAssignmentLines');
  }
  fields[0] = a;
  fields[1] = b;
  fields[2] = c;
  fields[3] = eol;
}

// The interned id of text[start, end): by its words when it is a GUID, else as a copied string.
function internRange(interner: Interner, byWords: GuidMap, text: string, start: number, end: number): number {
  const words = guidWordsAt(text, start, end);
  if (words === undefined) return interner.intern(copyOf(text, start, end));
  let id = byWords.get(words);
  if (id < 0) {
    id = interner.intern(formatGuidWords(words));
    byWords.set(words, id);
  }
  return id;
}

// A flat copy of text[start, end): a slice of a long string keeps all of it alive, and a held
// name must not pin a whole bulk-load chunk.
function copyOf(text: string, start: number, end: number): string {
  const codes: number[] = [];
  for (let i = start; i < end; i++) codes.push(text.charCodeAt(i));
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

// The number of items when `items` is an array (a stream's length is not known up front), else 0.
function knownLength(items: Iterable<unknown>): number {
  return Array.isArray(items) ? items.length : 0;
}

function newExtras(): NodeExtras {
  return { registrations: NONE, activations: NONE, denies: NONE };
}

function newQuery(): Query {
  return { principal: -1, tenant: -1, node: 0, exact: false, mayDeny: true, action: -1, actionName: '', data: false, verdicts: NO_VERDICTS, known: CONTROL_KNOWN, allowed: CONTROL_ALLOWED, at: 0, epoch: 0, scope: '/', ownDirectory: true };
}

function isEveryone(p: { readonly id: string; readonly type: string }): boolean {
  return p.id === ALL_PRINCIPALS && p.type === 'SystemDefined';
}

function registrationKey(scope: string, id: string): string {
  return `${scopeKey(scope)}|${normalizeGuid(id)}`;
}

// True when normalizeScope would return `scope` unchanged (the common case), checked without allocating.
function isNormalized(scope: string): boolean {
  return scope.startsWith('/') && !scope.includes('//') && (scope.length === 1 || !scope.endsWith('/'));
}

function describe(g: Grant): string {
  const what = g.source === 'roleAssignment' ? 'role assignment' : g.source === 'delegation' ? 'Lighthouse registration assignment' : 'eligible activation';
  return `${what} '${g.id}' at '${g.scope}' for '${g.principalId}'`;
}

const SLASH = 47;

const SUBSCRIPTION_SCOPE = /^\/subscriptions\/[^/]/i;

function isSubscriptionScope(scope: string): boolean {
  return SUBSCRIPTION_SCOPE.test(scope);
}

function subscriptionIdOf(subscriptionScope: string): string {
  return subscriptionScope.slice('/subscriptions/'.length).toLowerCase();
}
