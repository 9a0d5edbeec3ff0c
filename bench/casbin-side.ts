/**
 * node-casbin 5 as a side-by-side comparator (performance.md §4, mode (a)): an RBAC-with-domains
 * model whose domains are exact scopes, with the ancestor walk and the group expansion done by the
 * caller, one enforceSync per (scope, identity). Modelled so it agrees with Azure semantics:
 * - each role block is one p row carrying its own NotActions, so NotActions subtract per role
 *   (Casbin's deny effect would be global);
 * - delegated authorizations live in a second domain `scope#managingTenant`, so they only match a
 *   caller from that tenant;
 * - JIT activations live at `AT` are added as grouping rules up front (Casbin has no time);
 * - deny assignments are a second enforcer, asked only after a grant, for every ancestor and for
 *   the caller's identities plus All Principals.
 */
import { newEnforcer, newModelFromString } from 'casbin';
import type { Enforcer } from 'casbin';
import { GroupGraph } from '../src/core/identity/group-graph.js';
import type { CheckRequest } from '../src/core/rbac/engine.js';
import type { DenyAssignment, RoleDefinition } from '../src/core/rbac/model.js';
import { ALL_PRINCIPALS } from '../src/core/rbac/model.js';
import { ancestorScopes, scopeKey } from '../src/core/scope.js';
import type { WorldSink } from './world.js';
import { AT } from './world.js';

const GRANT_MODEL = `
[request_definition]
r = sub, dom, dom2, act, plane
[policy_definition]
p = sub, act, notact, plane
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, r.dom2)) && r.plane == p.plane && regexMatch(r.act, p.act) && !regexMatch(r.act, p.notact)
`;
const DENY_MODEL = `
[request_definition]
r = sub, dom, act, plane
[policy_definition]
p = sub, dom, act, notact, plane
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.sub == p.sub && r.dom == p.dom && r.plane == p.plane && regexMatch(r.act, p.act) && !regexMatch(r.act, p.notact)
`;

const NEVER = '^(?!)';
function regexOf(patterns: readonly string[]): string {
  if (patterns.length === 0) return NEVER;
  return `^(?:${patterns.map((p) => p.toLowerCase().split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')).join('|')})$`;
}

function blockRows(subject: string, blocks: RoleDefinition['permissions']): string[][] {
  return blocks.flatMap((b) => [
    ...(b.actions.length > 0 ? [[subject, regexOf(b.actions), regexOf(b.notActions), 'c']] : []),
    ...(b.dataActions.length > 0 ? [[subject, regexOf(b.dataActions), regexOf(b.notDataActions), 'd']] : []),
  ]);
}

/** Collects a world's facts as Casbin rules (a WorldSink), then builds the two enforcers. */
export class CasbinSide implements WorldSink {
  private readonly groups = new GroupGraph();
  private readonly grouping: string[][] = [];
  private readonly denyRows: string[][] = [];
  private readonly definitions = new Map<string, { tenant: string; authorizations: { principalId: string; roleDefinitionId: string }[] }>();
  private grants: Enforcer | undefined;
  private denies: Enforcer | undefined;

  constructor(private readonly roles: readonly RoleDefinition[]) {}

  putRoleAssignment(a: Parameters<WorldSink['putRoleAssignment']>[0]): void {
    this.grouping.push([a.principalId.toLowerCase(), a.roleDefinitionId.toLowerCase(), scopeKey(a.scope)]);
  }
  putRegistrationDefinition(d: Parameters<WorldSink['putRegistrationDefinition']>[0]): void {
    this.definitions.set(`${d.subscriptionId}/${d.id}`.toLowerCase(), { tenant: d.managedByTenantId.toLowerCase(), authorizations: [...d.authorizations] });
  }
  putRegistrationAssignment(a: Parameters<WorldSink['putRegistrationAssignment']>[0]): void {
    const sub = scopeKey(a.scope).split('/')[2] ?? '';
    const def = this.definitions.get(`${sub}/${a.registrationDefinitionId}`.toLowerCase());
    for (const auth of def?.authorizations ?? []) {
      this.grouping.push([auth.principalId.toLowerCase(), auth.roleDefinitionId.toLowerCase(), `${scopeKey(a.scope)}#${def?.tenant ?? ''}`]);
    }
  }
  putMembership(m: Parameters<WorldSink['putMembership']>[0]): void {
    this.groups.addMembership(m);
  }
  putDenyAssignment(d: DenyAssignment): void {
    const subjects = d.principals.map((p) => (p.id === ALL_PRINCIPALS ? ALL_PRINCIPALS : p.id.toLowerCase()));
    for (const s of subjects) for (const row of blockRows(s, d.permissions)) this.denyRows.push([row[0] as string, scopeKey(d.scope), ...row.slice(1)]);
  }
  putActivation(a: Parameters<WorldSink['putActivation']>[0]): void {
    // The world only activates eligible principals, so the window is the one remaining condition.
    if (Date.parse(a.startsAt) <= AT && AT < Date.parse(a.endsAt)) {
      this.grouping.push([a.principalId.toLowerCase(), a.roleDefinitionId.toLowerCase(), `${scopeKey(a.assignmentScope)}#${a.managedByTenantId.toLowerCase()}`]);
    }
  }

  /** Builds the enforcers from what was fed; returns the number of p and g rules. */
  async build(): Promise<{ policies: number; groupings: number }> {
    const used = new Set(this.grouping.map((g) => g[1]));
    const policies = this.roles.filter((r) => used.has(r.id.toLowerCase())).flatMap((r) => blockRows(r.id.toLowerCase(), r.permissions));
    this.grants = await newEnforcer(newModelFromString(GRANT_MODEL));
    await this.grants.addPolicies(policies);
    await this.grants.addGroupingPolicies(this.grouping);
    this.denies = await newEnforcer(newModelFromString(DENY_MODEL));
    if (this.denyRows.length > 0) await this.denies.addPolicies(this.denyRows);
    return { policies: policies.length, groupings: this.grouping.length };
  }

  /** The decision, walking ancestors and identities on the caller's side. */
  check(req: CheckRequest): boolean {
    const grants = this.grants as Enforcer;
    const denies = this.denies as Enforcer;
    const principal = req.principalId.toLowerCase();
    const identities = [principal, ...this.groups.groupsOf(principal)];
    const scopes = ancestorScopes(req.scope).map(scopeKey);
    const tenant = req.tenantId.toLowerCase();
    const act = req.action.toLowerCase();
    const plane = req.dataAction === true ? 'd' : 'c';
    const granted = scopes.some((s) => identities.some((id) => grants.enforceSync(id, s, `${s}#${tenant}`, act, plane)));
    if (!granted) return false;
    return !scopes.some((s) => [...identities, ALL_PRINCIPALS].some((id) => denies.enforceSync(id, s, act, plane)));
  }
}
