/** Microsoft.ManagedServices shapes (superset of api-versions 2018-06-01-preview … 2022-10-01). */

export interface Authorization {
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  readonly roleDefinitionId: string; // bare GUID
  readonly delegatedRoleDefinitionIds?: readonly string[];
}

export interface EligibleApprover {
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
}

export interface JustInTimeAccessPolicy {
  readonly multiFactorAuthProvider: 'Azure' | 'None';
  /** ISO-8601 duration, PT30M … PT8H. */
  readonly maximumActivationDuration: string;
  readonly managedByTenantApprovers?: readonly EligibleApprover[];
}

export interface EligibleAuthorization {
  readonly principalId: string;
  readonly principalIdDisplayName?: string;
  readonly roleDefinitionId: string;
  readonly justInTimeAccessPolicy: JustInTimeAccessPolicy;
}

export interface MarketplacePlan {
  readonly name: string;
  readonly publisher: string;
  readonly product: string;
  readonly version: string;
}

export interface RegistrationDefinition {
  /** The definition name (GUID). */
  readonly id: string;
  readonly subscriptionId: string;
  readonly registrationDefinitionName?: string;
  readonly description?: string;
  readonly managedByTenantId: string;
  readonly authorizations: readonly Authorization[];
  readonly eligibleAuthorizations: readonly EligibleAuthorization[];
  readonly plan?: MarketplacePlan;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByType: 'User' | 'Application';
  readonly lastModifiedAt: string;
  readonly lastModifiedBy: string;
  readonly lastModifiedByType: 'User' | 'Application';
}

export interface RegistrationAssignment {
  /** The assignment name (GUID). */
  readonly id: string;
  /** `/subscriptions/{s}` or `/subscriptions/{s}/resourceGroups/{rg}`. */
  readonly scope: string;
  readonly registrationDefinitionId: string; // bare GUID of a definition in the same subscription
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByType: 'User' | 'Application';
  readonly lastModifiedAt: string;
  readonly lastModifiedBy: string;
  readonly lastModifiedByType: 'User' | 'Application';
}

/** A just-in-time activation of an eligible authorization, live between `startsAt` and `endsAt`. */
export interface EligibleActivation {
  readonly id: string;
  readonly registrationAssignmentId: string;
  readonly assignmentScope: string;
  readonly principalId: string;
  readonly roleDefinitionId: string;
  readonly managedByTenantId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly justification: string;
  readonly approvedBy?: string;
}
