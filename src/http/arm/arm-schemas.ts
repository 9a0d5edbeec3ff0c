/**
 * TypeBox schemas of the Microsoft.Resources, Microsoft.Authorization and activity-log surfaces:
 * they validate requests, shape responses and feed /openapi.json. Free-form parts (resource
 * properties, tags) allow any keys, as ARM does.
 */
import Type from 'typebox';
import { ErrorResponseSchema, listOf } from './managed-services-schemas.js';
import { apiVersionParameter } from '../api-version.js';

export { ErrorResponseSchema, listOf };

const FreeForm = Type.Object({}, { additionalProperties: true });
const TagsSchema = Type.Record(Type.String(), Type.String());

/** The query every resource-plane route takes; the guard checks `api-version` against the resource type's versions. */
export const ArmQuery = Type.Object(
  {
    'api-version': apiVersionParameter(),
    $filter: Type.Optional(Type.String()),
    $top: Type.Optional(Type.String()),
    $skiptoken: Type.Optional(Type.String()),
    $skipToken: Type.Optional(Type.String()),
    $expand: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const SubscriptionParams = Type.Object({ subscriptionId: Type.String() });
export const ResourceGroupParams = Type.Object({ subscriptionId: Type.String(), resourceGroupName: Type.String() });
export const ProviderParams = Type.Object({ subscriptionId: Type.String(), resourceProviderNamespace: Type.String() });

export const TenantSchema = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  tenantCategory: Type.Union([Type.Literal('Home'), Type.Literal('ProjectedBy'), Type.Literal('ManagedBy')]),
  displayName: Type.String(),
  defaultDomain: Type.String(),
  domains: Type.Array(Type.String()),
  tenantType: Type.String(),
});

export const SubscriptionSchema = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  tenantId: Type.String(),
  displayName: Type.String(),
  state: Type.String(),
  authorizationSource: Type.String(),
  managedByTenants: Type.Array(Type.Object({ tenantId: Type.String() })),
  subscriptionPolicies: Type.Object({ locationPlacementId: Type.String(), quotaId: Type.String(), spendingLimit: Type.String() }),
  tags: TagsSchema,
});

export const ResourceGroupSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  location: Type.String(),
  managedBy: Type.Optional(Type.String()),
  tags: TagsSchema,
  properties: Type.Object({ provisioningState: Type.String() }),
});

export const ResourceGroupBody = Type.Object(
  { location: Type.Optional(Type.String()), tags: Type.Optional(TagsSchema), managedBy: Type.Optional(Type.String()), properties: Type.Optional(FreeForm) },
  { additionalProperties: true },
);

export const GenericResourceSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.String(),
    location: Type.Optional(Type.String()),
    tags: TagsSchema,
    kind: Type.Optional(Type.String()),
    sku: Type.Optional(FreeForm),
    properties: Type.Optional(FreeForm),
    createdTime: Type.Optional(Type.String()),
    changedTime: Type.Optional(Type.String()),
    provisioningState: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const GenericResourceBody = Type.Object(
  {
    location: Type.Optional(Type.String()),
    tags: Type.Optional(TagsSchema),
    properties: Type.Optional(FreeForm),
    kind: Type.Optional(Type.String()),
    sku: Type.Optional(FreeForm),
  },
  { additionalProperties: true },
);

export const ProviderSchema = Type.Object({
  id: Type.String(),
  namespace: Type.String(),
  registrationState: Type.String(),
  registrationPolicy: Type.String(),
  resourceTypes: Type.Array(Type.Object({ resourceType: Type.String(), locations: Type.Array(Type.String()), apiVersions: Type.Array(Type.String()) })),
});

const PermissionSchema = Type.Object({
  actions: Type.Array(Type.String()),
  notActions: Type.Array(Type.String()),
  dataActions: Type.Array(Type.String()),
  notDataActions: Type.Array(Type.String()),
  condition: Type.Optional(Type.String()),
  conditionVersion: Type.Optional(Type.String()),
});

export const PermissionListSchema = Type.Object({ value: Type.Array(PermissionSchema), nextLink: Type.Optional(Type.String()) });

export const RoleDefinitionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  properties: Type.Object({
    roleName: Type.String(),
    type: Type.String(),
    description: Type.String(),
    assignableScopes: Type.Array(Type.String()),
    permissions: Type.Array(PermissionSchema),
    createdOn: Type.Optional(Type.String()),
    updatedOn: Type.Optional(Type.String()),
  }),
});

export const RoleDefinitionBody = Type.Object(
  {
    properties: Type.Object(
      {
        roleName: Type.String(),
        description: Type.Optional(Type.String()),
        type: Type.Optional(Type.String()),
        assignableScopes: Type.Array(Type.String()),
        permissions: Type.Array(
          Type.Object({
            actions: Type.Optional(Type.Array(Type.String())),
            notActions: Type.Optional(Type.Array(Type.String())),
            dataActions: Type.Optional(Type.Array(Type.String())),
            notDataActions: Type.Optional(Type.Array(Type.String())),
          }),
        ),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

export const RoleAssignmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  properties: Type.Object({
    roleDefinitionId: Type.String(),
    principalId: Type.String(),
    principalType: Type.String(),
    scope: Type.String(),
    description: Type.Optional(Type.String()),
    delegatedManagedIdentityResourceId: Type.Optional(Type.String()),
    createdOn: Type.String(),
    updatedOn: Type.String(),
    createdBy: Type.String(),
    updatedBy: Type.String(),
  }),
});

export const RoleAssignmentBody = Type.Object(
  {
    properties: Type.Object(
      {
        roleDefinitionId: Type.String(),
        principalId: Type.String(),
        principalType: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
        delegatedManagedIdentityResourceId: Type.Optional(Type.String()),
        condition: Type.Optional(Type.String()),
        conditionVersion: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

const Localized = Type.Object({ value: Type.String(), localizedValue: Type.String() });

export const EventDataSchema = Type.Object({
  authorization: Type.Object({ action: Type.String(), scope: Type.String() }),
  caller: Type.String(),
  channels: Type.String(),
  claims: Type.Record(Type.String(), Type.String()),
  correlationId: Type.String(),
  description: Type.String(),
  eventDataId: Type.String(),
  eventName: Localized,
  category: Localized,
  eventTimestamp: Type.String(),
  submissionTimestamp: Type.String(),
  id: Type.String(),
  level: Type.String(),
  operationId: Type.String(),
  operationName: Localized,
  resourceGroupName: Type.Optional(Type.String()),
  resourceProviderName: Localized,
  resourceType: Localized,
  resourceId: Type.String(),
  status: Localized,
  subStatus: Localized,
  subscriptionId: Type.Optional(Type.String()),
  tenantId: Type.String(),
  httpRequest: Type.Optional(Type.Object({ method: Type.String() })),
  properties: Type.Record(Type.String(), Type.String()),
});

/** The error answers every ARM route may give. */
export const armErrors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  429: ErrorResponseSchema,
};
