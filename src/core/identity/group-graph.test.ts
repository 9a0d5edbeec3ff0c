import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { GroupGraph } from './group-graph.js';

const U1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const U2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const G1 = 'bbbbbbbb-0000-4000-8000-000000000001';
const G2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const G3 = 'bbbbbbbb-0000-4000-8000-000000000003';
const G4 = 'bbbbbbbb-0000-4000-8000-000000000004';

const sorted = (s: ReadonlySet<string>) => [...s].sort();
const isCycle = (e: unknown) => e instanceof DomainError && e.kind === 'invalid' && e.code === 'GroupMembershipCycle' && e.target === 'memberId';

function graph(edges: [string, string][]): GroupGraph {
  const g = new GroupGraph();
  for (const [groupId, memberId] of edges) g.addMembership({ groupId, memberId, memberType: memberId.startsWith('b') ? 'Group' : 'User' });
  return g;
}

describe('GroupGraph', () => {
  it('derives transitive groups and members through nesting', () => {
    const g = graph([[G1, G2], [G2, G3], [G3, U1], [G2, U2]]);
    assert.deepEqual(sorted(g.groupsOf(U1)), [G1, G2, G3]);
    assert.deepEqual(sorted(g.groupsOf(U2)), [G1, G2]);
    assert.deepEqual(sorted(g.membersOf(G1)), [U1, U2, G2, G3].sort());
    assert.deepEqual(sorted(g.membersOf(G3)), [U1]);
    assert.deepEqual(sorted(g.groupsOf(G1)), []);
  });

  it('compares ids case-insensitively', () => {
    const g = graph([[G1.toUpperCase(), U1]]);
    assert.deepEqual(sorted(g.groupsOf(U1.toUpperCase())), [G1]);
    assert.equal(g.removeMembership(G1, U1.toUpperCase()), true);
    assert.equal(g.groupsOf(U1).size, 0);
  });

  it('refuses a group in itself and longer cycles, naming both groups', () => {
    const g = graph([[G1, G2], [G2, G3]]);
    assert.throws(() => g.addMembership({ groupId: G1, memberId: G1, memberType: 'Group' }), isCycle);
    assert.throws(() => g.addMembership({ groupId: G3, memberId: G1, memberType: 'Group' }), (e: unknown) => isCycle(e) && (e as Error).message.includes(G3) && (e as Error).message.includes(G1));
    assert.deepEqual(sorted(g.groupsOf(G1)), [], 'a refused edge leaves the graph unchanged');
  });

  it('keeps the closure exact when one of two paths is removed (diamond)', () => {
    const g = graph([[G1, G2], [G1, G3], [G2, G4], [G3, G4], [G4, U1]]);
    const v = g.version;
    assert.equal(g.removeMembership(G1, G2), true);
    assert.ok(g.version > v);
    assert.deepEqual(sorted(g.groupsOf(U1)), [G1, G2, G3, G4].sort(), 'still in G1 through G3');
    g.removeMembership(G1, G3);
    assert.deepEqual(sorted(g.groupsOf(U1)), [G2, G3, G4].sort());
    assert.deepEqual(sorted(g.membersOf(G1)), []);
    assert.deepEqual(sorted(g.membersOf(G2)), [G4, U1].sort());
  });

  it('reports a removal of a membership that does not exist and ignores a repeated add', () => {
    const g = graph([[G1, U1], [G1, U1]]);
    assert.equal([...g.memberships()].length, 1);
    assert.equal(g.removeMembership(G2, U1), false);
    assert.equal(g.removeMembership(G1, U1), true);
    assert.equal(g.removeMembership(G1, U1), false);
  });
});
