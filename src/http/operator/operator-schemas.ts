/**
 * Wire shapes of the operator plane (`/providers/Lantern.Operator/…`, docs/operations.md): one
 * schema per request and answer, also the OpenAPI document. Field names are the directory's own
 * (`id`, `displayName`, `defaultDomain`, `userPrincipalName` …), so an error's `target` is the
 * field the request wrote. Shapes are checked here, rules (GUIDs, domains, password complexity)
 * by the services, which name the field.
 */
import Type from 'typebox';
import { apiVersionParameter } from '../api-version.js';

export const TAGS = ['Lantern.Operator'];

const Guid = (description: string) => Type.String({ description });
const Name = Type.String({ description: '1 to 256 characters, not blank' });

/** The query of every operator route: `api-version=2026-12-01`, required and checked before the body, as on every ARM route. */
export const OperatorQuery = Type.Object({ 'api-version': apiVersionParameter('2026-12-01') }, { additionalProperties: true });

export const PrincipalParams = Type.Object({ principalId: Guid('Object id of a user or service principal') });
export const TenantParams = Type.Object({ tenantId: Guid('The tenant (directory) id') });
export const MemberParams = Type.Object({ tenantId: Guid('The tenant id'), groupId: Guid('The group'), memberId: Guid('A user, group or service principal of the same tenant') });

export const PlatformOperatorSchema = Type.Object({
  principalId: Type.String(),
  principalType: Type.Union([Type.Literal('User'), Type.Literal('ServicePrincipal')]),
  tenantId: Type.String(),
  displayName: Type.String(),
  grantedAt: Type.String(),
  grantedBy: Type.String({ description: 'Who granted it: a UPN, an application id, or Lantern (the CLI bootstrap)' }),
});

export const NewTenantBody = Type.Object({
  displayName: Name,
  defaultDomain: Type.String({ description: "The tenant's domain, e.g. contoso.example; members' user principal names end in it" }),
  id: Type.Optional(Guid('The tenant id; generated when not given')),
}, { additionalProperties: false });

export const TenantSchema = Type.Object({ id: Type.String(), displayName: Type.String(), defaultDomain: Type.String() });

export const NewUserBody = Type.Object({
  userPrincipalName: Type.String({ description: "name@domain, in the tenant's default domain" }),
  displayName: Name,
  password: Type.Optional(Type.String({ description: "8–256 characters, three of lower, upper, digit, symbol; generated (and returned once) when not given" })),
}, { additionalProperties: false });

export const NewUserSchema = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  userPrincipalName: Type.String(),
  displayName: Type.String(),
  userType: Type.Literal('Member'),
  password: Type.String({ description: 'Shown this once; Lantern keeps only its argon2id hash' }),
});

export const NewGroupBody = Type.Object({ displayName: Name }, { additionalProperties: false });
export const GroupSchema = Type.Object({ id: Type.String(), tenantId: Type.String(), displayName: Type.String(), securityEnabled: Type.Boolean() });
export const MembershipSchema = Type.Object({ groupId: Type.String(), memberId: Type.String(), memberType: Type.String() });

export const NewServicePrincipalBody = Type.Object({ displayName: Name }, { additionalProperties: false });
export const NewServicePrincipalSchema = Type.Object({
  id: Type.String({ description: 'Object id (principalId of role assignments)' }),
  appId: Type.String({ description: 'Client id: sign in with it, the tenant id and the secret' }),
  tenantId: Type.String(),
  displayName: Type.String(),
  clientSecret: Type.Object({
    value: Type.String({ description: 'Shown this once; Lantern keeps only its SHA-256 digest' }),
    id: Type.String(),
    hint: Type.String(),
    expiresAt: Type.String(),
  }),
});

export const NewSubscriptionBody = Type.Object({
  displayName: Type.String({ description: '1 to 64 characters' }),
  subscriptionId: Type.Optional(Guid('The subscription id; generated when not given')),
  ownerId: Type.Optional(Guid('A user, group or service principal of the tenant made Owner of the subscription')),
}, { additionalProperties: false });

export const SubscriptionSchema = Type.Object({ subscriptionId: Type.String(), tenantId: Type.String(), displayName: Type.String(), state: Type.String() });

export const listOf = <T extends Type.TSchema>(item: T) => Type.Object({ value: Type.Array(item) });
