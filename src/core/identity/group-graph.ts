/**
 * Group membership as a graph of direct edges plus its transitive closure, kept exact on every
 * add and remove so that "which groups is X in" is a single lookup at check time. Ids compare
 * case-insensitively (they are GUIDs); everything is stored lower-case.
 */
import { DomainError } from '../errors.js';
import { normalizeGuid } from '../guid.js';
import type { GroupMembership, PrincipalType } from './model.js';

const EMPTY: ReadonlySet<string> = new Set<string>();

export class GroupGraph {
  /** member -> groups it is directly in */
  private readonly parents = new Map<string, Set<string>>();
  /** group -> direct members with their type */
  private readonly children = new Map<string, Map<string, PrincipalType>>();
  /** node -> every group it is in, transitively */
  private readonly up = new Map<string, Set<string>>();
  /** group -> every member, transitively */
  private readonly down = new Map<string, Set<string>>();
  private changes = 0;

  /** Bumped on every change, so derived caches can tell they are stale. */
  get version(): number {
    return this.changes;
  }

  /** Adds a direct membership; refuses one that would make a group (transitively) contain itself. */
  addMembership(membership: GroupMembership): void {
    const group = normalizeGuid(membership.groupId);
    const member = normalizeGuid(membership.memberId);
    if (group === member || this.groupsOf(group).has(member)) {
      throw new DomainError(
        'invalid',
        'GroupMembershipCycle',
        `Adding '${member}' as a member of group '${group}' would create a membership cycle: '${group}' is already (transitively) a member of '${member}'.`,
        { target: 'memberId' },
      );
    }
    const direct = getOrAdd(this.children, group, () => new Map<string, PrincipalType>());
    const known = direct.has(member);
    direct.set(member, membership.memberType);
    if (known) return;
    getOrAdd(this.parents, member, () => new Set<string>()).add(group);
    const lower = [member, ...this.membersOf(member)];
    const upper = [group, ...this.groupsOf(group)];
    for (const x of lower) {
      const ups = getOrAdd(this.up, x, () => new Set<string>());
      for (const y of upper) ups.add(y);
    }
    for (const y of upper) {
      const downs = getOrAdd(this.down, y, () => new Set<string>());
      for (const x of lower) downs.add(x);
    }
    this.changes++;
  }

  /** Removes a direct membership; returns false when there was none. */
  removeMembership(groupId: string, memberId: string): boolean {
    const group = normalizeGuid(groupId);
    const member = normalizeGuid(memberId);
    const direct = this.children.get(group);
    if (!direct?.delete(member)) return false;
    if (direct.size === 0) this.children.delete(group);
    const ups = this.parents.get(member);
    ups?.delete(group);
    if (ups?.size === 0) this.parents.delete(member);
    // Only the up-closure of the member side and the down-closure of the group side can change.
    const lower = [member, ...this.membersOf(member)];
    const upper = [group, ...this.groupsOf(group)];
    for (const x of lower) setOrDelete(this.up, x, reach(x, (m) => this.parents.get(m)));
    for (const y of upper) setOrDelete(this.down, y, reach(y, (g) => this.children.get(g)?.keys()));
    this.changes++;
    return true;
  }

  /** Every group `principalId` belongs to, directly or through nested groups. */
  groupsOf(principalId: string): ReadonlySet<string> {
    return this.up.get(normalizeGuid(principalId)) ?? EMPTY;
  }

  /** Every member of `groupId`, directly or through nested groups. */
  membersOf(groupId: string): ReadonlySet<string> {
    return this.down.get(normalizeGuid(groupId)) ?? EMPTY;
  }

  /** The direct memberships, as stored. */
  *memberships(): IterableIterator<GroupMembership> {
    for (const [groupId, members] of this.children) {
      for (const [memberId, memberType] of members) yield { groupId, memberId, memberType };
    }
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function setOrDelete(map: Map<string, Set<string>>, key: string, value: Set<string>): void {
  if (value.size === 0) map.delete(key);
  else map.set(key, value);
}

// Everything reachable from `start` along `next`, excluding `start` itself (the graph is acyclic).
function reach(start: string, next: (node: string) => Iterable<string> | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const n of next(node) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}
