/**
 * `GET /tenants` categories (lighthouse.md §1.9): the caller's own directory is `Home`; seen from a
 * managing tenant, a customer tenant whose resources are projected in is `ProjectedBy`; seen from a
 * customer tenant, the service provider that manages it is `ManagedBy`.
 */
import { normalizeGuid } from '../guid.js';

export type TenantCategory = 'Home' | 'ProjectedBy' | 'ManagedBy';

/** One delegation between two directories. */
export interface TenantLink {
  readonly customerTenantId: string;
  readonly managingTenantId: string;
}

/** The tenants a caller of `homeTenantId` sees, each once, Home first. */
export function tenantCategories(homeTenantId: string, links: readonly TenantLink[]): { tenantId: string; tenantCategory: TenantCategory }[] {
  const home = normalizeGuid(homeTenantId);
  const seen = new Map<string, TenantCategory>([[home, 'Home']]);
  for (const link of links) {
    const customer = normalizeGuid(link.customerTenantId);
    const managing = normalizeGuid(link.managingTenantId);
    if (managing === home && customer !== home) seen.set(customer, 'ProjectedBy');
  }
  for (const link of links) {
    const customer = normalizeGuid(link.customerTenantId);
    const managing = normalizeGuid(link.managingTenantId);
    if (customer === home && managing !== home && !seen.has(managing)) seen.set(managing, 'ManagedBy');
  }
  return [...seen].map(([tenantId, tenantCategory]) => ({ tenantId, tenantCategory }));
}
