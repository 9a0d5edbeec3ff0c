/**
 * My customers (the managing tenant's view, lighthouse.md §3.9; marketplace.md C2): the customers
 * that delegated resources to the caller's tenant, with tenant id and name, and per offer the offer
 * id, the version in force, the delegated scopes and an update the customer has not accepted yet.
 * A delegation is listed when the engine lets the caller read its registration assignment (Reader
 * or any role of the delegation); `canRemove` says whether the delegation grants the caller the
 * Managed Services Registration assignment Delete Role there, as the portal's trash icon does.
 * Removing is the registration assignment's DELETE, which decides the same way.
 */
import type { MarketplacePlan } from '../../core/delegation/model.js';
import { invalid } from '../../core/errors.js';
import type { Store } from '../../storage/port.js';
import type { AccessService } from '../authorization/access-service.js';
import type { RequestContext } from '../context.js';
import { ASSIGNMENTS_TYPE, assignmentResourceId } from './delegation-service.js';
import type { MarketplaceDefinitionSource } from './marketplace-definitions.js';
import { holdsDeleteRole } from './onboarding-check.js';
import { delegatedOffers, pendingUpdate, type OfferUpdate } from './service-providers.js';

export interface CustomerDelegation {
  readonly registrationAssignmentId: string;
  readonly scope: string;
  readonly subscriptionId: string;
  /** The caller holds the Delete Role on this delegation. */
  readonly canRemove: boolean;
}

export interface CustomerOffer {
  /** The offer's name, as the customer's Service providers names it. */
  readonly name: string;
  /** The marketplace offer id (`product`), or the registration definition's name for a template offer. */
  readonly offerId: string;
  readonly offerVersion?: string;
  readonly plan?: MarketplacePlan;
  readonly registrationDefinitionName?: string;
  readonly delegations: readonly CustomerDelegation[];
  /** A newer live version the customer has not accepted. */
  readonly pendingUpdate?: OfferUpdate;
}

export interface MyCustomer {
  readonly customerTenantId: string;
  readonly customerName?: string;
  readonly offers: readonly CustomerOffer[];
}

export interface MyCustomersDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly marketplace: MarketplaceDefinitionSource;
}

/** Creates the My customers service. */
export function createMyCustomersService(deps: MyCustomersDeps) {
  const { store, access, marketplace } = deps;
  return {
    /** The customers of the caller's tenant, by tenant id. */
    async list(ctx: RequestContext): Promise<MyCustomer[]> {
      const caller = ctx.caller;
      if (caller === 'system') throw invalid('InvalidAuthenticationToken', 'My customers is the view of a signed-in managing-tenant principal.');
      // Its customers' subscriptions are among those its directory reaches.
      const groups = await delegatedOffers(store, access.engine.subscriptionsReachableFrom(caller.tenantId), (d) => d.managedByTenantId.toLowerCase() === caller.tenantId.toLowerCase());
      const customers = new Map<string, CustomerOffer[]>();
      for (const [key, delegated] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const delegations: CustomerDelegation[] = [];
        for (const { assignments, definition } of delegated) {
          for (const a of assignments) {
            const id = assignmentResourceId(a.scope, a.id);
            if (!access.allows(ctx, `${ASSIGNMENTS_TYPE}/read`, id)) continue;
            delegations.push({ registrationAssignmentId: id, scope: a.scope, subscriptionId: definition.subscriptionId, canRemove: holdsDeleteRole(caller, id, access) });
          }
        }
        if (delegations.length === 0) continue;
        const [tenantId, name] = key.split('|') as [string, string];
        const d = (delegated[0] as (typeof delegated)[number]).definition;
        const pending = await pendingUpdate(marketplace, delegated);
        const offer: CustomerOffer = {
          name,
          offerId: d.plan?.product ?? d.registrationDefinitionName ?? d.id,
          ...(d.plan ? { offerVersion: d.plan.version, plan: d.plan } : {}),
          ...(d.registrationDefinitionName !== undefined ? { registrationDefinitionName: d.registrationDefinitionName } : {}),
          delegations,
          ...(pending ? { pendingUpdate: pending.update } : {}),
        };
        customers.set(tenantId, [...(customers.get(tenantId) ?? []), offer]);
      }
      const out: MyCustomer[] = [];
      for (const [customerTenantId, offers] of customers) {
        const tenant = await store.identity.getTenant(customerTenantId);
        out.push({ customerTenantId, ...(tenant ? { customerName: tenant.displayName } : {}), offers });
      }
      return out;
    },
  };
}

export type MyCustomersService = ReturnType<typeof createMyCustomersService>;
