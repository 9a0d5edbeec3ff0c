/**
 * Group membership as a graph of direct edges. The transitive closure is derived on demand by a
 * walk over the direct edges rather than stored: stored closures cost tens of bytes per principal
 * at 10^5 principals, while a walk over a few levels of nesting costs a microsecond or two, and
 * callers on the hot path (the engine) cache the result per principal until `version` changes.
 * Ids compare case-insensitively (they are GUIDs); everything is stored lower-case.
 */
import { DomainError } from '../errors.js';
import { normalizeGuid } from '../guid.js';
import type { GroupMembership, PrincipalType } from './model.js';

export class GroupGraph {
  /** member -> groups it is directly in (small arrays: a member is in a handful of groups) */
  private readonly parents = new Map<string, string[]>();
  /** group -> direct members with their type */
  private readonly children = new Map<string, Map<string, PrincipalType>>();
  private changes = 0;

  /** Bumped on every change, so derived caches can tell they are stale. */
  get version(): number {
    return this.changes;
  }

  /** Adds a direct membership; refuses one that would make a group (transitively) contain itself. */
  addMembership(membership: GroupMembership): void {
    const group = normalizeGuid(membership.groupId);
    const member = normalizeGuid(membership.memberId);
    const direct = this.children.get(group);
    if (direct?.has(member)) {
      direct.set(member, membership.memberType);
      return;
    }
    // Only a group member can close a cycle; a user or service principal has no members.
    if (group === member || (this.children.has(member) && this.groupsOf(group).has(member))) {
      throw new DomainError(
        'invalid',
        'GroupMembershipCycle',
        `Adding '${member}' as a member of group '${group}' would create a membership cycle: '${group}' is already (transitively) a member of '${member}'.`,
        { target: 'memberId' },
      );
    }
    if (direct) direct.set(member, membership.memberType);
    else this.children.set(group, new Map([[member, membership.memberType]]));
    const ups = this.parents.get(member);
    if (ups) ups.push(group);
    else this.parents.set(member, [group]);
    this.changes++;
  }

  /** Removes a direct membership; returns false when there was none. */
  removeMembership(groupId: string, memberId: string): boolean {
    const group = normalizeGuid(groupId);
    const member = normalizeGuid(memberId);
    const direct = this.children.get(group);
    if (!direct?.delete(member)) return false;
    if (direct.size === 0) this.children.delete(group);
    const ups = (this.parents.get(member) ?? []).filter((g) => g !== group);
    if (ups.length === 0) this.parents.delete(member);
    else this.parents.set(member, ups);
    this.changes++;
    return true;
  }

  /** Every group `principalId` belongs to, directly or through nested groups. */
  groupsOf(principalId: string): ReadonlySet<string> {
    return reach(normalizeGuid(principalId), (m) => this.parents.get(m));
  }

  /** Every member of `groupId`, directly or through nested groups. */
  membersOf(groupId: string): ReadonlySet<string> {
    return reach(normalizeGuid(groupId), (g) => this.children.get(g)?.keys());
  }

  /** The direct memberships, as stored. */
  *memberships(): IterableIterator<GroupMembership> {
    for (const [groupId, members] of this.children) {
      for (const [memberId, memberType] of members) yield { groupId, memberId, memberType };
    }
  }
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
