import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentTable, NODE_END, NODE_START, NODE_STRIDE, PRINCIPAL, ROLE, STRIDE } from './assignment-table.js';

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

// The triples held at `node`, in insertion order, as "id principal role".
function at(table: AssignmentTable, node: number): string[] {
  const out: string[] = [];
  if (node * NODE_STRIDE >= table.nodes.length) return out; // no record yet: nothing held
  const end = table.nodes[node * NODE_STRIDE + NODE_END] as number;
  for (let i = table.nodes[node * NODE_STRIDE + NODE_START] as number; i < end; i += STRIDE) out.push(`${table.idOf(table.slotAt(i))} ${table.pool[i + PRINCIPAL]} ${table.pool[i + ROLE]}`);
  return out;
}

describe('AssignmentTable', () => {
  it('keeps every node in insertion order through moves, removals, replacements and compaction', () => {
    const table = new AssignmentTable();
    const model = new Map<string, { node: number; row: string }>(); // insertion-ordered, like the segments
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let step = 0; step < 20_000; step++) {
      const id = rand(5) === 0 ? `name-${rand(50)}` : guid(rand(3000));
      if (rand(3) === 0) {
        const slot = table.find(id);
        assert.equal(slot >= 0, model.has(id));
        if (slot >= 0) table.remove(slot);
        model.delete(id);
      } else {
        const node = rand(200);
        const [p, r] = [rand(1000), rand(20)];
        table.put(id, p, r, node);
        model.delete(id);
        model.set(id, { node, row: `${id} ${p} ${r}` });
      }
      if (step === 10_000) table.compact();
    }
    assert.equal(table.size, model.size);
    for (let node = 0; node < 200; node++) {
      assert.deepEqual(at(table, node), [...model.values()].filter((v) => v.node === node).map((v) => v.row), `node ${node}`);
    }
    assert.equal(table.find(guid(99_999)), -1);
    assert.deepEqual(at(table, 10_000), [], 'a node never written holds nothing');
  });
});
