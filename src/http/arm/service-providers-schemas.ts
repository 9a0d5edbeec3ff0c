/**
 * Wire shapes of Lantern.Lighthouse, Lantern's resources for the two portal blades Azure has no
 * API for (Service providers, My customers; docs/lighthouse-views.md). ARM's resource envelope
 * (`id`, `type`, `name`, `properties`) and Microsoft.ManagedServices' own field names throughout.
 */
import Type from 'typebox';
import { AuthorizationSchema, EligibleAuthorizationSchema, PlanSchema } from './managed-services-schemas.js';

export const LIGHTHOUSE_NAMESPACE = 'Lantern.Lighthouse';
export const OFFERS_TYPE = `${LIGHTHOUSE_NAMESPACE}/serviceProviderOffers`;
export const CUSTOMERS_TYPE = `${LIGHTHOUSE_NAMESPACE}/myCustomers`;

const Named = { roleDefinitionName: Type.Optional(Type.String()) };
const NamedAuthorization = Type.Object({ ...AuthorizationSchema.properties, ...Named });
const NamedEligibleAuthorization = Type.Object({ ...EligibleAuthorizationSchema.properties, ...Named });

const GrantEntry = Type.Object({
  accessType: Type.Union([Type.Literal('Permanent'), Type.Literal('Eligible')]),
  principalId: Type.String(),
  principalIdDisplayName: Type.Optional(Type.String()),
  roleDefinitionId: Type.String(),
  roleDefinitionName: Type.Optional(Type.String()),
  delegatedRoleDefinitionIds: Type.Optional(Type.Array(Type.String())),
  justInTimeAccessPolicy: Type.Optional(EligibleAuthorizationSchema.properties.justInTimeAccessPolicy),
});

/** A newer live version and its difference from the version in force. */
export const OfferUpdateSchema = Type.Object({
  version: Type.String(),
  marketplaceIdentifier: Type.String(),
  added: Type.Array(GrantEntry),
  removed: Type.Array(GrantEntry),
  changed: Type.Array(Type.Object({ before: GrantEntry, after: GrantEntry, changedFields: Type.Array(Type.String()) })),
});

const Principal = Type.Object({ objectId: Type.String(), displayName: Type.String() });

export const ServiceProviderOfferSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  properties: Type.Object({
    state: Type.Union([Type.Literal('Delegated'), Type.Literal('Pending')]),
    customerTenantId: Type.String(),
    managedByTenantId: Type.String(),
    managedByTenantName: Type.Optional(Type.String()),
    plan: Type.Optional(PlanSchema),
    offerDisplayName: Type.Optional(Type.String()),
    publisherDisplayName: Type.Optional(Type.String()),
    planDisplayName: Type.Optional(Type.String()),
    registrationDefinitionName: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    authorizations: Type.Array(NamedAuthorization),
    eligibleAuthorizations: Type.Array(NamedEligibleAuthorization),
    registrationDefinitionIds: Type.Array(Type.String()),
    delegations: Type.Array(Type.Object({ registrationAssignmentId: Type.String(), scope: Type.String(), registrationDefinitionId: Type.String(), subscriptionId: Type.String() })),
    acquisitions: Type.Array(
      Type.Object({
        id: Type.String({ description: 'The acquisition; `POST {id}/delegate` delegates (more) scopes of its subscription' }),
        subscriptionId: Type.String(),
        state: Type.Union([Type.Literal('pending'), Type.Literal('delegated')]),
        plan: PlanSchema,
        acceptedAt: Type.String(),
        acceptedBy: Principal,
        delegatedAt: Type.Optional(Type.String()),
        delegatedBy: Type.Optional(Principal),
      }),
      { description: 'The legal terms accepted per subscription (marketplace offers): pending until a scope is delegated' },
    ),
    updateAvailable: Type.Optional(OfferUpdateSchema),
  }),
});

export const AcceptUpdateBodySchema = Type.Object({ version: Type.String({ minLength: 1, description: 'The manifest version reviewed and accepted, e.g. `1.1.0`.' }) }, { additionalProperties: false });

export const MyCustomerSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  properties: Type.Object({
    customerTenantId: Type.String(),
    customerName: Type.Optional(Type.String()),
    offers: Type.Array(
      Type.Object({
        name: Type.String(),
        offerId: Type.String(),
        offerVersion: Type.Optional(Type.String()),
        plan: Type.Optional(PlanSchema),
        registrationDefinitionName: Type.Optional(Type.String()),
        delegations: Type.Array(Type.Object({ registrationAssignmentId: Type.String(), scope: Type.String(), subscriptionId: Type.String(), canRemove: Type.Boolean() })),
        pendingUpdate: Type.Optional(OfferUpdateSchema),
      }),
    ),
  }),
});
