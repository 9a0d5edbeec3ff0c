/** Resource plane: subscriptions, resource groups and generic resources addressed by ARM id. */

export type Tags = Readonly<Record<string, string>>;

export interface Subscription {
  readonly subscriptionId: string; // GUID
  readonly tenantId: string; // home (customer) tenant
  readonly displayName: string;
  readonly state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';
}

export interface ResourceGroup {
  readonly subscriptionId: string;
  readonly name: string;
  readonly location: string;
  readonly tags: Tags;
  readonly managedBy?: string;
}

export interface GenericResource {
  /** Full ARM id, in the casing it was created with. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly type: string; // e.g. Microsoft.Network/virtualNetworks
  readonly name: string;
  readonly location?: string;
  readonly tags: Tags;
  readonly kind?: string;
  readonly sku?: Readonly<Record<string, unknown>>;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly changedAt: string;
}

export interface ProviderRegistration {
  readonly subscriptionId: string;
  readonly namespace: string;
  readonly registrationState: 'NotRegistered' | 'Registering' | 'Registered' | 'Unregistering';
}

/** Audit record in a tenant's activity log (customer scopes) or tenant-level log (managing tenant). */
export interface ActivityLogEntry {
  readonly eventDataId: string;
  readonly correlationId: string;
  /** The tenant whose log holds the entry. */
  readonly tenantId: string;
  /** Subscription the entry belongs to; absent for tenant-level (directory) entries. */
  readonly subscriptionId?: string;
  readonly resourceId: string;
  readonly operationName: string; // the RBAC action, e.g. Microsoft.Resources/subscriptions/resourceGroups/write
  readonly status: 'Started' | 'Succeeded' | 'Failed';
  readonly caller: string; // UPN or app id
  readonly callerObjectId: string;
  readonly callerTenantId: string;
  readonly httpMethod?: string;
  readonly statusCode?: number;
  /** A failed operation's error as JSON (`{"error":{"code","message"}}`), Azure's `properties.statusMessage`. */
  readonly statusMessage?: string;
  readonly description?: string;
  readonly eventTimestamp: string;
}
