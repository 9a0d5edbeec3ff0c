import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tenantCategories } from './tenant-category.js';

const CUSTOMER = 'aaaaaaaa-0000-0000-0000-000000000001';
const PROVIDER = 'bbbbbbbb-0000-0000-0000-000000000002';
const OTHER = 'cccccccc-0000-0000-0000-000000000003';

describe('tenantCategories', () => {
  const links = [
    { customerTenantId: CUSTOMER, managingTenantId: PROVIDER },
    { customerTenantId: OTHER, managingTenantId: PROVIDER },
  ];
  it('shows customers as ProjectedBy to the managing tenant', () => {
    assert.deepEqual(tenantCategories(PROVIDER, links), [
      { tenantId: PROVIDER, tenantCategory: 'Home' },
      { tenantId: CUSTOMER, tenantCategory: 'ProjectedBy' },
      { tenantId: OTHER, tenantCategory: 'ProjectedBy' },
    ]);
  });
  it('shows the provider as ManagedBy to the customer, and nothing about other customers', () => {
    assert.deepEqual(tenantCategories(CUSTOMER.toUpperCase(), links), [
      { tenantId: CUSTOMER, tenantCategory: 'Home' },
      { tenantId: PROVIDER, tenantCategory: 'ManagedBy' },
    ]);
  });
  it('shows only Home without delegations', () => {
    assert.deepEqual(tenantCategories(OTHER, []), [{ tenantId: OTHER, tenantCategory: 'Home' }]);
  });
});
