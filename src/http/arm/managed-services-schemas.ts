/**
 * Wire shapes of Microsoft.ManagedServices (lighthouse.md §1.4): one superset over the seven
 * api-versions; the routes leave out what an older version doesn't know. They also feed the
 * OpenAPI document.
 */
import Type from 'typebox';
import { apiVersionParameter } from '../api-version.js';

const ApprovedPrincipal = Type.Object({ principalId: Type.String(), principalIdDisplayName: Type.Optional(Type.String()) });

export const AuthorizationSchema = Type.Object({
  principalId: Type.String(),
  principalIdDisplayName: Type.Optional(Type.String()),
  roleDefinitionId: Type.String(),
  delegatedRoleDefinitionIds: Type.Optional(Type.Array(Type.String())),
});

export const EligibleAuthorizationSchema = Type.Object({
  principalId: Type.String(),
  principalIdDisplayName: Type.Optional(Type.String()),
  roleDefinitionId: Type.String(),
  justInTimeAccessPolicy: Type.Object({
    multiFactorAuthProvider: Type.String(),
    maximumActivationDuration: Type.String(),
    managedByTenantApprovers: Type.Optional(Type.Array(ApprovedPrincipal)),
  }),
});

export const PlanSchema = Type.Object({ name: Type.String(), publisher: Type.String(), product: Type.String(), version: Type.String() });

export const SystemDataSchema = Type.Object({
  createdBy: Type.String(),
  createdByType: Type.String(),
  createdAt: Type.String(),
  lastModifiedBy: Type.String(),
  lastModifiedByType: Type.String(),
  lastModifiedAt: Type.String(),
});

const DefinitionProperties = Type.Object({
  registrationDefinitionName: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  managedByTenantId: Type.String(),
  managedByTenantName: Type.Optional(Type.String()),
  manageeTenantId: Type.Optional(Type.String()),
  manageeTenantName: Type.Optional(Type.String()),
  authorizations: Type.Array(AuthorizationSchema),
  eligibleAuthorizations: Type.Optional(Type.Array(EligibleAuthorizationSchema)),
  provisioningState: Type.String(),
});

export const RegistrationDefinitionSchema = Type.Object({
  properties: DefinitionProperties,
  plan: Type.Optional(PlanSchema),
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  systemData: Type.Optional(SystemDataSchema),
});

export const RegistrationAssignmentSchema = Type.Object({
  properties: Type.Object({
    registrationDefinitionId: Type.String(),
    provisioningState: Type.String(),
    registrationDefinition: Type.Optional(RegistrationDefinitionSchema),
  }),
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  systemData: Type.Optional(SystemDataSchema),
});

export const MarketplaceRegistrationDefinitionSchema = Type.Object({
  properties: Type.Object({
    managedByTenantId: Type.String(),
    authorizations: Type.Array(AuthorizationSchema),
    eligibleAuthorizations: Type.Optional(Type.Array(EligibleAuthorizationSchema)),
    offerDisplayName: Type.Optional(Type.String()),
    publisherDisplayName: Type.Optional(Type.String()),
    planDisplayName: Type.Optional(Type.String()),
  }),
  plan: PlanSchema,
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
});

/** `{ value, nextLink? }`, ARM's pageable list. */
export function listOf<T extends Type.TSchema>(item: T) {
  return Type.Object({ value: Type.Array(item), nextLink: Type.Optional(Type.String()) });
}

export const OperationListSchema = Type.Object({
  value: Type.Array(
    Type.Object({
      name: Type.String(),
      display: Type.Object({ provider: Type.String(), resource: Type.String(), operation: Type.String(), description: Type.String() }),
    }),
  ),
});

/** The PUT bodies are read by the core (normalizeDefinitionInput) so that errors name the field; only "an object" is checked here. */
export const DefinitionBodySchema = Type.Object({ properties: Type.Optional(Type.Unknown()), plan: Type.Optional(Type.Unknown()) }, { additionalProperties: true });
export const AssignmentBodySchema = Type.Object(
  { properties: Type.Optional(Type.Object({ registrationDefinitionId: Type.Optional(Type.Unknown()) }, { additionalProperties: true })) },
  { additionalProperties: true },
);

export const ManagedServicesQuery = Type.Object(
  {
    'api-version': apiVersionParameter(),
    $filter: Type.Optional(Type.String()),
    $expandRegistrationDefinition: Type.Optional(Type.String()),
    $skipToken: Type.Optional(Type.String()),
    $skiptoken: Type.Optional(Type.String()),
    $top: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const ErrorResponseSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    target: Type.Optional(Type.String()),
    details: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String(), target: Type.Optional(Type.String()) }))),
  }),
});
