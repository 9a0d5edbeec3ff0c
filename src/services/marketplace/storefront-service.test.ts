import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../storage/open-store.js';
import type { AccessService } from '../authorization/access-service.js';
import { createStorefrontService } from './storefront-service.js';

describe('storefront service', () => {
  it('builds its index again after a failed build instead of failing every later search', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    let failures = 1;
    const documents = {
      ...store.documents,
      list: <T>(collection: string, partition?: string): Promise<T[]> => {
        if (failures-- > 0) return Promise.reject(new Error('the database went away'));
        return store.documents.list<T>(collection, partition);
      },
    };
    // The index build reads documents only; no access check is made by it.
    const storefront = createStorefrontService({ store: { ...store, documents }, access: {} as AccessService });
    await assert.rejects(storefront.warm(), /went away/);
    assert.deepEqual(await storefront.entries(), [], 'the next use builds it');
    await store.close();
  });
});
