/**
 * The platform operator's subscription administration: Lantern has no billing system, so the
 * operator (CLI, demo seeding) creates subscriptions in a tenant directly.
 */
import { assertThat, conflict, invalid, notFound } from '../../core/errors.js';
import { isGuid, normalizeGuid } from '../../core/guid.js';
import type { Subscription } from '../../core/resources/model.js';
import type { Store } from '../../storage/port.js';
import type { AuthorizationEngine } from '../../core/rbac/engine.js';

export interface NewSubscription {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly displayName: string;
}

/** Creates an Enabled subscription owned by an existing tenant, and tells the decision engine its tenant. */
export async function createSubscription({ store, engine }: { store: Store; engine: AuthorizationEngine }, input: NewSubscription): Promise<Subscription> {
  assertThat(isGuid(input.subscriptionId), () => invalid('InvalidSubscriptionId', `The subscription id '${input.subscriptionId}' must be a GUID.`, 'subscriptionId'));
  const displayName = input.displayName.trim();
  assertThat(displayName.length >= 1 && displayName.length <= 64, () => invalid('InvalidSubscriptionName', 'The subscription display name must have 1 to 64 characters.', 'displayName'));
  const created = await store.transaction(async (tx) => {
    assertThat(await tx.identity.getTenant(input.tenantId), () => notFound('TenantNotFound', `The tenant '${input.tenantId}' does not exist.`));
    assertThat(!(await tx.resources.getSubscription(input.subscriptionId)), () => conflict('SubscriptionAlreadyExists', `The subscription '${input.subscriptionId}' already exists.`, 'subscriptionId'));
    const subscription: Subscription = { subscriptionId: normalizeGuid(input.subscriptionId), tenantId: normalizeGuid(input.tenantId), displayName, state: 'Enabled' };
    await tx.resources.putSubscription(subscription);
    return subscription;
  });
  engine.putSubscription(created.subscriptionId, created.tenantId);
  return created;
}
