/**
 * What `validateOffer` needs from outside the core: the role catalog (the store's roles, the shipped
 * built-ins as fallback), the managing tenant's principals, the publisher's other offer ids and the
 * version last published. Principals are looked up ahead of time so the core stays synchronous.
 */
import { normalizeGuid } from '../../core/guid.js';
import type { Offer } from '../../core/marketplace/model.js';
import type { PrincipalInfo } from '../../core/marketplace/validate-technical.js';
import type { ValidationContext } from '../../core/marketplace/validate-offer.js';
import type { RoleDefinition } from '../../core/rbac/model.js';
import { findBuiltinRole } from '../../core/roles/builtin-catalog.js';
import type { Repositories } from '../../storage/port.js';

/** Every role the role picker and the validator know: the store's definitions over the shipped built-ins. */
export async function roleCatalog(repos: Repositories): Promise<(id: string) => RoleDefinition | undefined> {
  const stored = new Map((await repos.authorization.listRoleDefinitions()).filter((r) => r.roleType === 'BuiltInRole').map((r) => [r.id.toLowerCase(), r]));
  return (id) => stored.get(id.toLowerCase()) ?? findBuiltinRole(id);
}

async function principals(repos: Repositories, offer: Offer): Promise<Map<string, PrincipalInfo>> {
  const ids = new Set<string>();
  for (const plan of offer.plans) {
    for (const m of plan.technicalConfiguration.manifests) {
      for (const a of m.authorizations) {
        ids.add(normalizeGuid(a.principalId));
        for (const ap of a.justInTime?.approvers ?? []) ids.add(normalizeGuid(ap.principalId));
      }
    }
  }
  const out = new Map<string, PrincipalInfo>();
  for (const id of ids) {
    if (await repos.identity.getUser(id)) out.set(id, { type: 'User' });
    else if (await repos.identity.getServicePrincipal(id)) out.set(id, { type: 'ServicePrincipal' });
    else {
      const group = await repos.identity.getGroup(id);
      if (group) out.set(id, { type: 'Group', securityEnabled: group.securityEnabled });
    }
  }
  return out;
}

/** The full validation context for an offer of a publisher. */
export async function validationContext(
  repos: Repositories,
  offer: Offer,
  extra: { otherOfferIds: readonly string[]; published: Offer | undefined; requireLeadDestination: boolean },
): Promise<ValidationContext> {
  const role = await roleCatalog(repos);
  const known = await principals(repos, offer);
  return {
    role,
    principal: (id) => known.get(normalizeGuid(id)),
    otherOfferIds: extra.otherOfferIds,
    published: extra.published,
    requireLeadDestination: extra.requireLeadDestination,
  };
}
