/**
 * Resource provider namespaces: which ones every subscription has registered from the start (as
 * in Azure, the platform's own), which ones Lantern lists without a registration, and the rule that
 * a resource may only be created under a registered namespace (`MissingSubscriptionRegistration`).
 */
import { conflict, invalid } from '../errors.js';

/** Registered in every subscription and never unregistered (Azure's platform namespaces). */
export const ALWAYS_REGISTERED: readonly string[] = [
  'Microsoft.Resources', 'Microsoft.Authorization', 'Microsoft.Features', 'Microsoft.Support', 'Microsoft.Billing', 'Microsoft.Consumption',
  'Microsoft.CostManagement', 'Microsoft.ResourceGraph', 'Microsoft.Commerce', 'Microsoft.MarketplaceOrdering', 'Microsoft.Portal',
  'Microsoft.ClassicSubscription', 'Microsoft.SerialConsole',
];

/** Namespaces listed by `GET /subscriptions/{s}/providers` even when not registered. */
export const KNOWN_NAMESPACES: readonly string[] = [
  ...ALWAYS_REGISTERED,
  'Microsoft.ManagedServices', 'Microsoft.Insights', 'Microsoft.OperationalInsights', 'Microsoft.Compute', 'Microsoft.Network', 'Microsoft.Storage',
  'Microsoft.KeyVault', 'Microsoft.Web', 'Microsoft.Sql', 'Microsoft.ManagedIdentity', 'Microsoft.PolicyInsights', 'Microsoft.Security',
  'Microsoft.RecoveryServices', 'Microsoft.Automation', 'Microsoft.ContainerService', 'Microsoft.ContainerRegistry', 'Microsoft.DocumentDB',
  'Microsoft.EventHub', 'Microsoft.ServiceBus', 'Microsoft.Logic', 'Microsoft.Cache', 'Microsoft.AlertsManagement',
];

const NAMESPACE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/;

/** True for a namespace every subscription has registered. */
export function isAlwaysRegistered(namespace: string): boolean {
  return ALWAYS_REGISTERED.some((n) => n.toLowerCase() === namespace.toLowerCase());
}

/** The namespace as Lantern spells it (catalog casing when known); throws InvalidResourceNamespace for a malformed one. */
export function canonicalNamespace(namespace: string): string {
  if (!NAMESPACE.test(namespace)) {
    throw invalid('InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`, 'resourceProviderNamespace');
  }
  return KNOWN_NAMESPACES.find((n) => n.toLowerCase() === namespace.toLowerCase()) ?? namespace;
}

/** Throws MissingSubscriptionRegistration (409) unless `namespace` may be used in the subscription. */
export function assertNamespaceRegistered(namespace: string, subscriptionId: string, registered: (namespace: string) => boolean): void {
  if (isAlwaysRegistered(namespace) || registered(namespace)) return;
  throw conflict(
    'MissingSubscriptionRegistration',
    `The subscription '${subscriptionId}' is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
    'resourceProviderNamespace',
  );
}

/** Throws unless `namespace` may be unregistered: platform namespaces can't be, nor namespaces that still hold resources. */
export function assertMayUnregister(namespace: string, resourceTypesInUse: readonly string[]): void {
  if (isAlwaysRegistered(namespace)) {
    throw invalid('InvalidResourceNamespace', `The resource namespace '${namespace}' is a platform namespace and cannot be unregistered.`, 'resourceProviderNamespace');
  }
  if (resourceTypesInUse.length > 0) {
    throw conflict(
      'Conflict',
      `Unregistering resource provider '${namespace}' failed: the subscription still has resources of the following types: ${[...new Set(resourceTypesInUse)].join(', ')}. Delete them first.`,
      'resourceProviderNamespace',
    );
  }
}
