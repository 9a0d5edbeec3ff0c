/**
 * Test support for the marketplace tests: real PNG bytes, the role catalog, and the example offer
 * (example-offer.ts) with the fixture's principals.
 */
import type { RoleDefinition } from '../rbac/model.js';
import { BUILTIN_ROLES } from '../roles/builtin-catalog.js';
import { exampleOffer, makePng } from './example-offer.js';
import type { Offer } from './model.js';
import type { PublisherAccount } from './publisher.js';
import type { ValidationContext } from './validate-offer.js';

export { makePng };

export const CONTOSO_TENANT = '6e1b5f0c-2a3d-4b8e-9c71-0d4f5a6b7c8d';
export const L2_ENGINEERS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const L1_SUPPORT = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
export const OFFBOARDING = '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f';
export const CONTOSO_AUTOMATION_SP = '3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a';
export const FABRIKAM_SUBSCRIPTION = '7f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0';
export const CONTOSO_TEST_SUBSCRIPTION = '8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d';

const roles = new Map<string, RoleDefinition>(BUILTIN_ROLES.map((r) => [r.id, r]));

export const contosoPublisher: PublisherAccount = {
  publisherId: 'contoso',
  displayName: 'Contoso Ltd.',
  contacts: [{ name: 'Contoso Admin', email: 'admin@contoso.example', phone: '+1 425 555 0100' }],
  enrolledInCommercialMarketplace: true,
  verified: true,
  eligibility: ['SolutionsPartner:Infrastructure'],
  members: [
    { userId: 'admin', roles: ['Owner'] },
    { userId: 'bob', roles: ['Developer'] },
  ],
};

/** A validation context knowing Lantern's built-in roles and the demo principals. */
export function context(extra: Partial<ValidationContext> = {}): ValidationContext {
  return {
    role: (id) => roles.get(id.toLowerCase()),
    principal: (id) =>
      ({
        [L2_ENGINEERS]: { type: 'Group', securityEnabled: true },
        [L1_SUPPORT]: { type: 'Group', securityEnabled: true },
        [OFFBOARDING]: { type: 'Group', securityEnabled: true },
        [CONTOSO_AUTOMATION_SP]: { type: 'ServicePrincipal' },
      })[id] as ReturnType<NonNullable<ValidationContext['principal']>>,
    ...extra,
  };
}

/** The complete offer of the "Publish" story with the fixture's principals: valid, with no warnings. */
export function contosoOffer(): Offer {
  return exampleOffer({
    tenantId: CONTOSO_TENANT,
    l2Engineers: L2_ENGINEERS,
    l1Support: L1_SUPPORT,
    offboarding: OFFBOARDING,
    previewSubscription: CONTOSO_TEST_SUBSCRIPTION,
    customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.contoso.example/leads', signingSecret: 'contoso-lead-signing-secret', contactEmails: ['sales@contoso.example'] },
  });
}
