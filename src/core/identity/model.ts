/** Identity plane: directories and the principals that live in them (Entra ID shapes). */
import type { ApplicationPlatforms } from './redirect-uris.js';

export interface Tenant {
  readonly id: string; // GUID
  readonly displayName: string;
  readonly defaultDomain: string;
}

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal';

export interface User {
  readonly id: string; // object id (GUID)
  readonly tenantId: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  /** `Guest` users are invited from another directory; they may not onboard a delegation. */
  readonly userType: 'Member' | 'Guest';
  /** argon2id hash (PHC string); never the password. */
  readonly passwordHash: string;
}

export interface Group {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly securityEnabled: boolean;
}

/** A direct membership edge; transitive membership is derived (see group-graph.ts). */
export interface GroupMembership {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberType: PrincipalType;
}

/**
 * An application and its service principal in one (Lantern keeps one object per app). The
 * platforms (`web`, `spa`, `publicClient`) hold the redirect URIs the interactive sign-in may answer to.
 */
export interface ServicePrincipal extends ApplicationPlatforms {
  readonly id: string; // object id
  readonly appId: string; // client id
  readonly tenantId: string;
  readonly displayName: string;
  /** Entra's `servicePrincipalType`; absent means `Application`. */
  readonly servicePrincipalType?: 'Application' | 'ManagedIdentity';
  /** Entra's `alternativeNames`: for a managed identity, `isExplicit=…` and the id of the Azure resource it belongs to. */
  readonly alternativeNames?: readonly string[];
  /** Entra's "Allow public client flows": the device-code flow without a client secret. */
  readonly isFallbackPublicClient?: boolean;
}

/** The id of the Azure resource a managed identity belongs to; undefined for any other service principal. */
export function managedIdentityResourceId(sp: ServicePrincipal): string | undefined {
  if (sp.servicePrincipalType !== 'ManagedIdentity') return undefined;
  return sp.alternativeNames?.find((name) => name.startsWith('/'));
}

export interface ClientSecret {
  readonly id: string; // key id
  readonly servicePrincipalId: string;
  /** argon2id hash of the secret value; the value is shown once at creation. */
  readonly secretHash: string;
  /** First three characters of the secret, as Entra shows them. */
  readonly hint: string;
  readonly displayName: string;
  readonly expiresAt: string; // ISO-8601
  readonly createdAt: string;
}

/** The caller as the token service and the decision engine see it. */
export interface Caller {
  readonly objectId: string;
  readonly tenantId: string;
  readonly principalType: 'User' | 'ServicePrincipal';
  /** Client (application) id: the app the token was issued to. */
  readonly appId: string;
  readonly displayName: string;
  /** Users only: the sign-in name, which ARM's messages and the activity log show. */
  readonly userPrincipalName?: string;
  /** Users only: how the user signed in, from the token's `amr` claim (`pwd`, `mfa` …). */
  readonly authenticationMethods?: readonly string[];
}
