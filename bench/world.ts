/**
 * A seeded, Azure-shaped workload (performance.md §4): customer tenants × subscriptions × resource
 * groups × resources, Lighthouse delegations to managing (MSP) tenants with authorizations to groups
 * and users, nested groups, customer-local role assignments, a few deny assignments and JIT
 * activations, and a request mix. The world itself is compact (ints); every id and scope string is
 * made fresh when it is fed to a sink, so a memory measurement sees what the sink keeps.
 */
import type { CheckRequest } from '../src/core/rbac/engine.js';
import type { RoleDefinition } from '../src/core/rbac/model.js';
import { ALL_PRINCIPALS } from '../src/core/rbac/model.js';
import type { AuthorizationEngine } from '../src/core/rbac/engine.js';

/** What a world is fed into: the engine, or the SQLite writer of the cold-start test. */
export type WorldSink = Pick<
  AuthorizationEngine,
  'putRoleAssignment' | 'putRegistrationDefinition' | 'putRegistrationAssignment' | 'putMembership' | 'putDenyAssignment' | 'putActivation'
>;

export const AT = Date.parse('2026-11-21T08:00:00Z');
const HOUR = 3_600_000;

// Roles a Lighthouse delegation may carry (built-in, no Owner, no DataActions), by real id.
const DELEGATION_ROLES = [
  'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader
  'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
  '9980e02c-c2be-4d73-94e8-173b1dc7cf3c', // Virtual Machine Contributor
  'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e', // Support Request Contributor
  '91c1777a-f3dc-4fae-b103-61d183457e46', // Managed Services Registration assignment Delete Role
  '43d0d8ad-25c7-4714-9337-8ba259a9fe05', // Monitoring Reader
  '749f88d5-cbae-40b8-bcfc-e573ddc772fa', // Monitoring Contributor
  '4d97b98b-1d4f-4787-a291-c67834d212e7', // Network Contributor
  '4a9ae827-6dc8-4573-8ac7-8239d42aa03f', // Tag Contributor
  '00c29273-979b-4161-815c-10b084fb9324', // Backup Operator
  '39bc4728-0917-49c7-9d2c-d95423bc2eb4', // Security Reader
  'de139f84-1756-47ae-9be6-808fbbe84772', // Website Contributor
];
// Roles customers assign in their own tenant.
const LOCAL_ROLES = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', // Owner
  'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
  'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader
  'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader (twice as common)
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', // User Access Administrator
  '9980e02c-c2be-4d73-94e8-173b1dc7cf3c', // Virtual Machine Contributor
  '17d1049b-9a84-46fb-8f53-869881c3d3ab', // Storage Account Contributor
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', // Storage Blob Data Reader
  'f25e0fa2-a7c8-4377-a976-54943a77a395', // Key Vault Contributor
  'de139f84-1756-47ae-9be6-808fbbe84772', // Website Contributor
  '4d97b98b-1d4f-4787-a291-c67834d212e7', // Network Contributor
  '9b7fa17d-e63e-47b0-bb0a-15c516ac86ec', // SQL DB Contributor
];
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const RESOURCE_TYPES = [
  ['Microsoft.Compute/virtualMachines', 'vm'],
  ['Microsoft.Storage/storageAccounts', 'st'],
  ['Microsoft.Network/virtualNetworks', 'vnet'],
  ['Microsoft.Web/sites', 'app'],
  ['Microsoft.Sql/servers', 'sql'],
  ['Microsoft.KeyVault/vaults', 'kv'],
] as const;

const SUBS_PER_TENANT = 2;
const RGS_PER_SUB = 3;
const RESOURCES_PER_RG = 3;
const CUSTOMER_USERS = 6;
const CUSTOMER_PRINCIPALS = 8; // 6 users + 2 groups
const MSP_USERS = 200;
const MSP_GROUPS = 20;
const AUTHORIZATIONS = 10;

/** Seeded PRNG (mulberry32): same seed, same world. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(len, '0').slice(-len);
/** A deterministic GUID for entity `n` of kind `kind`. */
function guid(kind: number, n: number): string {
  const tail = (Math.imul(n ^ (kind << 20), 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return flat(hex(n, 8), '-', hex(kind, 4), '-4', hex(n >>> 4, 3), '-8', hex(kind * 7 + n, 3), '-', hex(kind, 4), tail);
}

// One flat string, as a store or a JSON parser hands them over (a template literal makes a rope,
// which V8 later flattens into a second copy while the rope's header stays alive).
function flat(...parts: string[]): string {
  return parts.join('');
}
const K_TENANT = 1, K_MSP = 2, K_SUB = 3, K_PRINCIPAL = 4, K_ASSIGNMENT = 5, K_DEFINITION = 6, K_DENY = 7, K_ACTIVATION = 8;

export interface WorldShape {
  readonly target: number;
  readonly tenants: number;
  readonly msps: number;
  readonly delegations: number;
  readonly localAssignments: number;
}

/** The shape for about `target` effective assignments (role assignments + delegated authorizations). */
export function shapeFor(target: number): WorldShape {
  const tenants = Math.max(10, Math.round(target / 100));
  const delegations = tenants * SUBS_PER_TENANT;
  return { target, tenants, msps: Math.max(2, Math.round(tenants / 100)), delegations, localAssignments: target - delegations * AUTHORIZATIONS };
}

export class World {
  readonly shape: WorldShape;
  // per delegation: subscription (global index), resource group (-1 = whole subscription), MSP
  private readonly delSub: Int32Array;
  private readonly delRg: Int8Array;
  private readonly delMsp: Int32Array;
  private readonly authPrincipal: Int32Array; // global principal index
  private readonly authRole: Uint8Array;
  private readonly eligibleGroup: Int32Array;
  // per local assignment: subscription, rg (-1), resource (-1), principal (global), role
  private readonly local: Int32Array;
  private readonly mspMemberships: Int32Array; // (group, member) pairs, global principal indexes
  private readonly denySub: Int32Array;
  private readonly activationDelegation: Int32Array;
  private readonly activationUser: Int32Array;
  private readonly delegationsOfMsp: number[][];
  readonly actionUniverse: readonly string[];

  constructor(shape: WorldShape, roles: readonly RoleDefinition[], seed = 42) {
    this.shape = shape;
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const { tenants, msps, delegations, localAssignments } = shape;
    this.actionUniverse = [...new Set(roles.flatMap((r) => r.permissions.flatMap((p) => p.actions)).filter((a) => !a.includes('*')))].sort();

    this.delSub = new Int32Array(delegations);
    this.delRg = new Int8Array(delegations);
    this.delMsp = new Int32Array(delegations);
    this.authPrincipal = new Int32Array(delegations * AUTHORIZATIONS);
    this.authRole = new Uint8Array(delegations * AUTHORIZATIONS);
    this.eligibleGroup = new Int32Array(delegations);
    this.delegationsOfMsp = Array.from({ length: msps }, () => []);
    for (let d = 0; d < delegations; d++) {
      this.delSub[d] = d; // one delegation per subscription
      this.delRg[d] = rnd() < 0.2 ? int(RGS_PER_SUB) : -1;
      const m = int(msps);
      this.delMsp[d] = m;
      this.delegationsOfMsp[m]?.push(d);
      for (let a = 0; a < AUTHORIZATIONS; a++) {
        // 70 % to groups (mostly the upper levels of the nesting), 30 % to users.
        this.authPrincipal[d * AUTHORIZATIONS + a] = rnd() < 0.7 ? this.mspGroup(m, int(7)) : this.mspUser(m, int(MSP_USERS));
        this.authRole[d * AUTHORIZATIONS + a] = int(DELEGATION_ROLES.length);
      }
      this.eligibleGroup[d] = this.mspGroup(m, int(MSP_GROUPS));
    }
    this.local = new Int32Array(localAssignments * 5);
    for (let i = 0; i < localAssignments; i++) {
      const t = int(tenants);
      const level = rnd();
      const row = i * 5;
      this.local[row] = t * SUBS_PER_TENANT + int(SUBS_PER_TENANT);
      this.local[row + 1] = level < 0.2 ? -1 : int(RGS_PER_SUB);
      this.local[row + 2] = level < 0.6 ? -1 : int(RESOURCES_PER_RG);
      this.local[row + 3] = this.customerPrincipal(t, rnd() < 0.8 ? int(CUSTOMER_USERS) : CUSTOMER_USERS + int(2));
      this.local[row + 4] = int(LOCAL_ROLES.length);
    }
    // MSP groups form a tree of fan-out 3 (depth 3); each user is in 1–3 groups.
    const pairs: number[] = [];
    for (let m = 0; m < msps; m++) {
      for (let g = 1; g < MSP_GROUPS; g++) pairs.push(this.mspGroup(m, Math.floor((g - 1) / 3)), this.mspGroup(m, g));
      for (let u = 0; u < MSP_USERS; u++) {
        const groups = new Set(Array.from({ length: 1 + int(3) }, () => int(MSP_GROUPS)));
        for (const g of groups) pairs.push(this.mspGroup(m, g), this.mspUser(m, u));
      }
    }
    this.mspMemberships = Int32Array.from(pairs);
    this.denySub = Int32Array.from({ length: Math.max(1, Math.round(tenants / 100)) }, () => int(tenants * SUBS_PER_TENANT));
    const activations = Math.max(1, Math.round(delegations / 100));
    this.activationDelegation = Int32Array.from({ length: activations }, () => int(delegations));
    this.activationUser = Int32Array.from({ length: activations }, () => int(MSP_USERS));
  }

  /** Effective assignments: role assignments plus one per delegated authorization. */
  get assignmentCount(): number {
    return this.shape.localAssignments + this.shape.delegations * AUTHORIZATIONS;
  }

  /** Users and groups across customer and MSP tenants. */
  get principalCount(): number {
    return this.shape.tenants * CUSTOMER_PRINCIPALS + this.shape.msps * (MSP_USERS + MSP_GROUPS);
  }

  // Global principal index: customer principals first, then each MSP's users and groups.
  private customerPrincipal(t: number, j: number): number {
    return t * CUSTOMER_PRINCIPALS + j;
  }
  private mspUser(m: number, u: number): number {
    return this.shape.tenants * CUSTOMER_PRINCIPALS + m * (MSP_USERS + MSP_GROUPS) + u;
  }
  private mspGroup(m: number, g: number): number {
    return this.mspUser(m, MSP_USERS + g);
  }
  principalId(p: number): string {
    return guid(K_PRINCIPAL, p);
  }
  tenantOf(t: number): string {
    return guid(K_TENANT, t);
  }
  mspTenant(m: number): string {
    return guid(K_MSP, m);
  }
  subscriptionId(s: number): string {
    return guid(K_SUB, s);
  }
  scope(s: number, rg = -1, resource = -1): string {
    const sub = flat('/subscriptions/', this.subscriptionId(s));
    if (rg < 0) return sub;
    const group = flat(sub, '/resourceGroups/rg-', String(rg));
    if (resource < 0) return group;
    const [type, short] = RESOURCE_TYPES[(s + rg * 3 + resource) % RESOURCE_TYPES.length] as readonly [string, string];
    return flat(group, '/providers/', type, '/', short, '-', String(resource));
  }
  private resourceType(s: number, rg: number, resource: number): string {
    return (RESOURCE_TYPES[(s + rg * 3 + resource) % RESOURCE_TYPES.length] as readonly [string, string])[0];
  }

  /** Every customer subscription with its home tenant (what a store holds beside the access facts). */
  *subscriptions(): Generator<{ subscriptionId: string; tenantId: string }> {
    for (let s = 0; s < this.shape.tenants * SUBS_PER_TENANT; s++) yield { subscriptionId: this.subscriptionId(s), tenantId: this.tenantOf(Math.floor(s / SUBS_PER_TENANT)) };
  }

  /** Feeds every fact of the world into `sink`, building fresh objects and strings. */
  feed(sink: WorldSink): void {
    const meta = { createdAt: '2026-11-01T00:00:00Z', createdBy: 'bench', createdByType: 'User' as const, lastModifiedAt: '2026-11-01T00:00:00Z', lastModifiedBy: 'bench', lastModifiedByType: 'User' as const };
    const pairs = this.mspMemberships;
    for (let i = 0; i < pairs.length; i += 2) {
      const member = pairs[i + 1] as number;
      sink.putMembership({ groupId: this.principalId(pairs[i] as number), memberId: this.principalId(member), memberType: (member - this.shape.tenants * CUSTOMER_PRINCIPALS) % (MSP_USERS + MSP_GROUPS) >= MSP_USERS ? 'Group' : 'User' });
    }
    for (let t = 0; t < this.shape.tenants; t++) {
      for (let u = 0; u < CUSTOMER_USERS; u++) {
        sink.putMembership({ groupId: this.principalId(this.customerPrincipal(t, CUSTOMER_USERS + (u % 2))), memberId: this.principalId(this.customerPrincipal(t, u)), memberType: 'User' });
      }
    }
    for (let i = 0; i < this.shape.localAssignments; i++) {
      const r = i * 5;
      sink.putRoleAssignment({
        id: guid(K_ASSIGNMENT, i),
        scope: this.scope(this.local[r] as number, this.local[r + 1], this.local[r + 2]),
        roleDefinitionId: LOCAL_ROLES[this.local[r + 4] as number] as string,
        principalId: this.principalId(this.local[r + 3] as number),
        principalType: 'User',
        createdAt: meta.createdAt,
        createdBy: 'bench',
      });
    }
    for (let d = 0; d < this.shape.delegations; d++) {
      const s = this.delSub[d] as number;
      const id = guid(K_DEFINITION, d);
      sink.putRegistrationDefinition({
        id,
        subscriptionId: this.subscriptionId(s),
        managedByTenantId: this.mspTenant(this.delMsp[d] as number),
        authorizations: Array.from({ length: AUTHORIZATIONS }, (_, a) => ({
          principalId: this.principalId(this.authPrincipal[d * AUTHORIZATIONS + a] as number),
          roleDefinitionId: DELEGATION_ROLES[this.authRole[d * AUTHORIZATIONS + a] as number] as string,
        })),
        eligibleAuthorizations: [{ principalId: this.principalId(this.eligibleGroup[d] as number), roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H' } }],
        ...meta,
      });
      sink.putRegistrationAssignment({ id, scope: this.scope(s, this.delRg[d]), registrationDefinitionId: id, ...meta });
    }
    this.activationDelegation.forEach((d, i) => {
      const m = this.delMsp[d] as number;
      // Activations are made by members of the eligible group; half are live at AT, half expired.
      const user = this.mspUser(m, this.activationUser[i] as number);
      sink.putMembership({ groupId: this.principalId(this.eligibleGroup[d] as number), memberId: this.principalId(user), memberType: 'User' });
      const start = AT - (i % 2 === 0 ? HOUR : 10 * HOUR);
      sink.putActivation({
        id: guid(K_ACTIVATION, i),
        registrationAssignmentId: guid(K_DEFINITION, d),
        assignmentScope: this.scope(this.delSub[d] as number, this.delRg[d]),
        principalId: this.principalId(user),
        roleDefinitionId: CONTRIBUTOR,
        managedByTenantId: this.mspTenant(m),
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 8 * HOUR).toISOString(),
        justification: 'bench',
      });
    });
    this.denySub.forEach((s, i) => {
      // A managed application's system deny: nobody deletes or writes inside its resource group.
      sink.putDenyAssignment({
        id: guid(K_DENY, i),
        denyAssignmentName: 'Managed application lock',
        scope: this.scope(s, 0),
        permissions: [{ actions: ['*/delete', '*/write'], notActions: [], dataActions: [], notDataActions: [] }],
        principals: [{ id: ALL_PRINCIPALS, type: 'SystemDefined' }],
        excludePrincipals: [],
        doNotApplyToChildScopes: false,
        isSystemProtected: true,
      });
    });
  }

  /**
   * `count` requests in the mix of performance.md §4: 55 % reads, 15 % writes, 5 % deletes that
   * hit NotActions, 10 % actions matched only by wildcards, 5 % roleAssignments/write, 10 %
   * unknown or non-delegated scopes; half from MSP users through delegations, half from customers.
   */
  requests(count: number, seed = 7): CheckRequest[] {
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const out: CheckRequest[] = [];
    const subs = this.shape.tenants * SUBS_PER_TENANT;
    for (let i = 0; i < count; i++) {
      let principalId: string;
      let tenantId: string;
      let s: number;
      let rgFloor = -1;
      if (rnd() < 0.5) {
        const m = int(this.shape.msps);
        const mine = this.delegationsOfMsp[m] ?? [];
        const d = mine[int(mine.length)] ?? 0;
        principalId = this.principalId(this.mspUser(m, int(MSP_USERS)));
        tenantId = this.mspTenant(m);
        s = this.delSub[d] as number;
        rgFloor = this.delRg[d] as number;
      } else {
        const t = int(this.shape.tenants);
        principalId = this.principalId(this.customerPrincipal(t, int(CUSTOMER_USERS)));
        tenantId = this.tenantOf(t);
        s = t * SUBS_PER_TENANT + int(SUBS_PER_TENANT);
      }
      const kind = rnd();
      if (kind >= 0.9) s = rnd() < 0.5 ? int(subs) : subs + int(subs); // another tenant's, or no such subscription
      const rg = rgFloor >= 0 && kind < 0.9 ? rgFloor : int(RGS_PER_SUB);
      const level = rnd();
      const resource = level < 0.75 ? int(RESOURCES_PER_RG) : -1;
      const scope = this.scope(s, rg, resource);
      const type = resource >= 0 ? this.resourceType(s, rg, resource) : 'Microsoft.Resources/subscriptions/resourceGroups';
      let action: string;
      if (kind < 0.55 || kind >= 0.9) action = `${type}/read`;
      else if (kind < 0.7) action = `${type}/write`;
      else if (kind < 0.75) action = rnd() < 0.5 ? 'Microsoft.Authorization/locks/delete' : 'Microsoft.Authorization/roleAssignments/delete';
      else if (kind < 0.85) action = this.actionUniverse[int(this.actionUniverse.length)] as string;
      else action = 'Microsoft.Authorization/roleAssignments/write';
      out.push({ principalId, tenantId, action, scope, at: AT });
    }
    return out;
  }
}
