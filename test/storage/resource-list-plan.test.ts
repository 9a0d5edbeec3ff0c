// A SQLite list page is read from the keyset index alone (migration 0013): the statements the store
// really prepares for a page of listings are planned on a covering index, never on the table rows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/port.js';

const SUB = '22222222-2222-4222-8222-222222222222';

function setPrepare(prepare: (this: SqliteDatabase.Database, source: string) => SqliteDatabase.Statement): void {
  Object.defineProperty(SqliteDatabase.prototype, 'prepare', { value: prepare, configurable: true, writable: true });
}

describe('SQLite resource list pages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-plan-'));
  const path = join(dir, 'lantern.db');
  const prepared: string[] = [];
  const prepare = Object.getOwnPropertyDescriptor(SqliteDatabase.prototype, 'prepare')?.value as (this: SqliteDatabase.Database, source: string) => SqliteDatabase.Statement;
  let store: Store;

  before(async () => {
    // Every statement the store prepares passes here (its statement cache calls the connection's prepare).
    setPrepare(function record(this: SqliteDatabase.Database, source: string) {
      prepared.push(source);
      return prepare.call(this, source);
    });
    store = await openStore({ kind: 'sqlite', path });
    const at = '2026-01-01T00:00:00Z';
    await store.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) {
        const name = `site${i}`;
        await tx.resources.putResource({ id: `/subscriptions/${SUB}/resourceGroups/rg${i % 5}/providers/Microsoft.Web/sites/${name}`, subscriptionId: SUB, resourceGroup: `rg${i % 5}`,
          type: 'Microsoft.Web/sites', name, location: 'westeurope', tags: {}, properties: { big: 'x'.repeat(5000) }, createdAt: at, changedAt: at });
      }
    });
  });

  after(async () => {
    setPrepare(prepare);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a subscription page and a group page from a covering index', async () => {
    prepared.length = 0;
    const bySubscription = await store.resources.pageResourceListings({ subscriptionId: SUB, limit: 20 });
    const byGroup = await store.resources.pageResourceListings({ subscriptionId: SUB, resourceGroup: 'RG1', limit: 20 });
    assert.equal(bySubscription.length, 20);
    assert.ok(byGroup.length > 0 && byGroup.every((row) => row.key.includes('/resourcegroups/rg1/')), 'the group page holds its own group only');
    const listings = prepared.filter((source) => /"listing"/.test(source));
    assert.equal(listings.length, 2, `one statement per page shape: ${listings.join(' | ')}`);
    const inspector = new SqliteDatabase(path, { readonly: true });
    try {
      for (const source of listings) {
        const plan = (inspector.prepare(`explain query plan ${source}`)
          .all(...(source.split('?').length === 5 ? [SUB, 'rg1', '', 20] : [SUB, '', 20])) as { detail: string }[]).map((row) => row.detail).join('; ');
        assert.match(plan, /USING COVERING INDEX/, `${source} → ${plan}`);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `no sort: the index is in page order (${plan})`);
      }
    } finally {
      inspector.close();
    }
  });
});
