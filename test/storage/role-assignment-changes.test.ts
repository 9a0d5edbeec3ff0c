// Role assignment change numbers and the engine's checkpoint, on every adapter against a real server.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { rawConnection, testDatabases } from '../support/databases.js';
import type { Repositories, Store } from '../../src/storage/port.js';
import type { RoleAssignment } from '../../src/core/rbac/model.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const MiB = 1024 * 1024;

function roleAssignment(id: string): RoleAssignment {
  return { id, scope: `/subscriptions/${SUB}`, roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', principalId: `p-${id}`, principalType: 'User', createdAt: '2026-01-01T00:00:00Z', createdBy: 'x' };
}

/** `length` bytes in which every 4-byte word holds its own offset: a part out of place or cut short shows. */
function patterned(length: number): Uint8Array {
  const data = new Uint8Array(length);
  const words = new Uint32Array(data.buffer, 0, Math.floor(length / 4));
  for (let i = 0; i < words.length; i++) words[i] = i;
  data.fill(0xab, words.byteLength);
  return data;
}

const sorted = (ids: readonly string[]) => [...ids].sort();
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

for (const database of testDatabases()) {
  describe(`role assignment changes and checkpoint (${database.name})`, () => {
    let store: Store;
    let raw: Kysely<unknown>;
    let cleanup: () => Promise<void>;
    before(async () => {
      let url: string;
      ({ store, url, cleanup } = await database.open());
      raw = rawConnection(database.name, url);
    });
    after(async () => {
      await raw.destroy();
      await cleanup();
    });

    const last = () => store.authorization.lastRoleAssignmentChange();
    const changedSince = async (start: number) => sorted(await store.authorization.roleAssignmentsChangedBetween(start, await last()));
    const save = (change: number, data: Uint8Array) => store.transaction((tx) => tx.authorization.saveRoleAssignmentCheckpoint({ change, data }));
    /** The held checkpoint with its bytes as a list, for small ones. */
    const held = async () => {
      const checkpoint = await store.authorization.readRoleAssignmentCheckpoint();
      return checkpoint && { change: checkpoint.change, bytes: [...checkpoint.data] };
    };

    it('starts with no change and no checkpoint', async () => {
      assert.equal(await last(), 0);
      assert.equal(await store.authorization.readRoleAssignmentCheckpoint(), undefined);
    });

    it('numbers every put and delete of a role assignment; a window holds each id once, after its start up to its end', async () => {
      const start = await last();
      await store.authorization.putRoleAssignment(roleAssignment('A1'));
      const inserted = await last();
      await store.authorization.putRoleAssignment(roleAssignment('b1'));
      const otherInserted = await last();
      await store.authorization.putRoleAssignment({ ...roleAssignment('a1'), principalId: 'p2' });
      const updated = await last();
      assert.equal(await store.authorization.deleteRoleAssignment('a1'), true);
      const removed = await last();
      assert.equal(await store.authorization.deleteRoleAssignment('a1'), false);
      assert.equal(await last(), removed, 'deleting nothing changes nothing');

      assert.ok(start < inserted && inserted < otherInserted && otherInserted < updated && updated < removed);
      assert.deepEqual(await changedSince(start), ['a1', 'b1']);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(start, inserted), ['a1']);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(inserted, otherInserted), ['b1']);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(otherInserted, updated), ['a1']);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(updated, removed), ['a1']);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(removed, removed), []);
    });

    it('numbers raw SQL updates and deletes that bypass the repository', async () => {
      await store.authorization.putRoleAssignment(roleAssignment('c1'));
      await store.authorization.putRoleAssignment(roleAssignment('c2'));
      const start = await last();
      await sql`update role_assignments set principal_id = 'p3' where id = 'c1'`.execute(raw);
      const updated = await last();
      assert.equal(updated - start, 1, 'an update that keeps the id is one change');
      assert.deepEqual(await changedSince(start), ['c1']);
      await sql`update role_assignments set id = 'c3' where id = 'c2'`.execute(raw);
      const renamed = await last();
      assert.equal(renamed - updated, 2, 'an update of the id is a change of the old id and of the new');
      assert.deepEqual(await changedSince(updated), ['c2', 'c3']);
      await sql`delete from role_assignments where id in ('c1', 'c3')`.execute(raw);
      assert.deepEqual(await changedSince(renamed), ['c1', 'c3']);
    });

    it('leaves no change behind a transaction that rolls back', async () => {
      const start = await last();
      await assert.rejects(store.transaction(async (tx) => {
        await tx.authorization.putRoleAssignment(roleAssignment('d1'));
        throw new Error('changed my mind');
      }), /changed my mind/);
      assert.equal(await last(), start);
      await store.authorization.putRoleAssignment(roleAssignment('d2'));
      assert.deepEqual(await changedSince(start), ['d2']);
    });

    it('gets role assignments by many ids in any casing, skipping unknown ones', async () => {
      const ids = Array.from({ length: 1200 }, (_, i) => `e-${String(i).padStart(4, '0')}`);
      await store.transaction(async (tx) => {
        for (const id of ids) await tx.authorization.putRoleAssignment(roleAssignment(id));
      });
      const asked = [...ids.map((id, i) => (i % 2 ? id.toUpperCase() : id)), 'E-0007', 'unknown-1', 'e-9999'];
      assert.deepEqual(sorted((await store.authorization.getRoleAssignments(asked)).map((a) => a.id)), ids);
      assert.deepEqual(await store.authorization.getRoleAssignments([]), []);
    });

    const big = patterned(20 * MiB + 3);
    let saved: number;

    it('saves a checkpoint in parts of at most 8 MiB and reads it back byte for byte', async () => {
      saved = await last();
      assert.equal(await save(saved, big), true);
      const parts = await sql<{ part: number; size: number | string }>`select part, length(data) as size from role_assignment_checkpoint order by part`.execute(raw);
      assert.deepEqual(parts.rows.map((r) => [r.part, Number(r.size)]), [[0, 8 * MiB], [1, 8 * MiB], [2, 4 * MiB + 3]]);
      const checkpoint = await store.authorization.readRoleAssignmentCheckpoint();
      assert.ok(checkpoint?.data instanceof Uint8Array);
      assert.equal(checkpoint.change, saved);
      assert.equal(checkpoint.data.length, big.length);
      assert.ok(same(checkpoint.data, big));
    });

    it('keeps the held checkpoint when one taken at an older change is saved, and lets one at the same change replace it', async () => {
      assert.equal(await save(saved - 1, new Uint8Array([2])), false);
      const checkpoint = await store.authorization.readRoleAssignmentCheckpoint();
      assert.equal(checkpoint?.change, saved);
      assert.ok(same(checkpoint.data, big));
      // A damaged checkpoint is replaced by the start that refused it, taken at the same change.
      assert.equal(await save(saved, big.subarray(1)), true);
      assert.equal((await store.authorization.readRoleAssignmentCheckpoint())?.data.length, big.length - 1);
    });

    it('replaces the held checkpoint with a newer one and forgets the changes the replaced one covered', async () => {
      await store.authorization.putRoleAssignment(roleAssignment('f1'));
      const covered = await last();
      await store.authorization.putRoleAssignment(roleAssignment('f2'));
      const newest = await last();
      assert.equal(await save(covered, new Uint8Array([3, 4, 5])), true);
      assert.deepEqual(await held(), { change: covered, bytes: [3, 4, 5] });
      // A start that restored the replaced checkpoint may still be replaying f1: it stays until the next save.
      assert.deepEqual((await store.authorization.roleAssignmentsChangedBetween(0, newest)).sort(), ['f1', 'f2']);
      assert.equal(await save(newest, new Uint8Array([6])), true);
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(0, newest), ['f2']);
      assert.equal(await last(), newest);
    });

    it('round-trips an empty checkpoint; once every change is pruned the numbers still never go back', async () => {
      const newest = await last();
      assert.equal(await save(newest, new Uint8Array(0)), true);
      assert.deepEqual(await held(), { change: newest, bytes: [] });
      assert.deepEqual(await store.authorization.roleAssignmentsChangedBetween(0, newest), []);
      assert.equal(await last(), newest);
      await store.authorization.putRoleAssignment(roleAssignment('f3'));
      assert.deepEqual(await changedSince(newest), ['f3']);
    });

    it('reads parts that do not make one whole checkpoint as none', async () => {
      await store.authorization.putRoleAssignment(roleAssignment('g1'));
      assert.equal(await save(await last(), new Uint8Array([6])), true);
      await sql`insert into role_assignment_checkpoint (part, change, data) select 2, change, data from role_assignment_checkpoint where part = 0`.execute(raw);
      assert.equal(await store.authorization.readRoleAssignmentCheckpoint(), undefined, 'part 1 is missing');
      await sql`update role_assignment_checkpoint set part = 1, change = change - 1 where part = 2`.execute(raw);
      assert.equal(await store.authorization.readRoleAssignmentCheckpoint(), undefined, 'the parts were taken at different changes');
      await sql`delete from role_assignment_checkpoint where part = 1`.execute(raw);
      assert.notEqual(await store.authorization.readRoleAssignmentCheckpoint(), undefined, 'part 0 alone is whole');
    });

    if (database.name === 'postgres') {
      /** Resolves once `other` settles or another connection to this database waits for a lock. */
      const waitsOrSettles = async (other: Promise<unknown>) => {
        const settled = other.then(() => true, () => true);
        const pause = () => new Promise<boolean>((resolve) => setTimeout(resolve, 10, false));
        while (!(await Promise.race([settled, pause()]))) {
          const { rows } = await sql<{ waiting: string }>`select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(raw);
          if (Number(rows[0]?.waiting) > 0) return;
        }
      };
      /** A transaction that runs `work`, then stays open until `finish` is called. */
      const heldOpen = async <T>(work: (tx: Repositories) => Promise<T>) => {
        let finish!: () => void;
        let worked!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const done = new Promise<void>((resolve) => (worked = resolve));
        const result = store.transaction(async (tx) => {
          const value = await work(tx);
          worked();
          await finished;
          return value;
        });
        await Promise.race([done, result]);
        return { result, finish };
      };

      it('numbers role assignment writes in commit order: a second writer waits for the first to commit', async () => {
        const start = await last();
        const first = await heldOpen((tx) => tx.authorization.putRoleAssignment(roleAssignment('h1')));
        const second = store.authorization.putRoleAssignment(roleAssignment('h2'));
        await waitsOrSettles(second);
        const seen = await last();
        first.finish();
        await Promise.all([first.result, second]);
        assert.equal(seen, start, 'no change is seen while an earlier-numbered one is uncommitted');
        const { rows } = await sql<{ assignment_id: string }>`select assignment_id from role_assignment_changes where seq > ${start} order by seq`.execute(raw);
        assert.deepEqual(rows.map((r) => r.assignment_id), ['h1', 'h2']);
      });

      it('saves two checkpoints at once one after the other', async () => {
        await store.authorization.putRoleAssignment(roleAssignment('i1'));
        const older = await last();
        await store.authorization.putRoleAssignment(roleAssignment('i2'));
        const newer = await last();
        const first = await heldOpen((tx) => tx.authorization.saveRoleAssignmentCheckpoint({ change: older, data: patterned(9 * MiB) }));
        const second = store.transaction((tx) => tx.authorization.saveRoleAssignmentCheckpoint({ change: newer, data: new Uint8Array([7]) }));
        await waitsOrSettles(second);
        first.finish();
        assert.deepEqual(await Promise.all([first.result, second]), [true, true]);
        assert.deepEqual(await held(), { change: newer, bytes: [7] });
      });

      it('drops the checkpoint when role_assignments is truncated (row triggers do not see it)', async () => {
        await store.authorization.putRoleAssignment(roleAssignment('j1'));
        assert.equal(await save(await last(), new Uint8Array([8])), true);
        await sql`truncate role_assignments`.execute(raw);
        assert.equal(await store.authorization.readRoleAssignmentCheckpoint(), undefined);
      });
    }
  });
}
