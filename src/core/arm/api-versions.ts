/**
 * The api-versions Lantern accepts, per resource type it serves, and ARM's refusals: a missing
 * version is `MissingApiVersionParameter`; an unknown one is `InvalidApiVersionParameter` for
 * Microsoft.Resources' own types and `NoRegisteredProviderFound` for a resource provider's types.
 * Types Lantern only stores (generic resources of other providers) take any well-formed version,
 * since Lantern holds no catalog of those providers' versions.
 */
import { invalid, type DomainError } from '../errors.js';

// Microsoft.Resources (resource groups, resources, providers, deployments). @azure/arm-resources 7 and 8 send 2025-04-01, 6.1 sends 2025-03-01.
const RESOURCES = [
  '2025-04-01', '2025-03-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-07-01', '2022-09-01', '2021-04-01', '2021-01-01',
  '2020-10-01', '2020-08-01', '2020-06-01', '2019-10-01', '2019-08-01', '2019-07-01', '2019-05-10', '2019-05-01', '2019-03-01',
  '2018-05-01', '2018-02-01', '2017-05-10', '2016-09-01', '2016-07-01', '2016-06-01', '2016-02-01', '2015-11-01', '2015-01-01',
];
// Deployments: @azure/arm-resourcesdeployments 2 (the deployments client @azure/arm-resources 8 moved to; Node 22 only) sends 2026-06-01.
const DEPLOYMENTS = ['2026-06-01', '2025-10-01', ...RESOURCES];
// /subscriptions and /tenants take the subscription API's own versions (the az CLI sends 2022-12-01) and Microsoft.Resources'.
const SUBSCRIPTIONS = [
  ...new Set(['2022-12-01', '2021-10-01', '2021-01-01', '2020-01-01', '2019-11-01', '2019-06-01', '2018-06-01', '2016-06-01', '2014-04-01-preview', ...RESOURCES]),
].sort().reverse();
// Microsoft.Authorization: @azure/arm-authorization 9 sends 2022-04-01; templates still use the previews.
const ROLE_ASSIGNMENTS = [
  '2022-04-01', '2022-01-01-preview', '2021-04-01-preview', '2020-10-01-preview', '2020-08-01-preview', '2020-04-01-preview', '2020-03-01-preview',
  '2018-12-01-preview', '2018-09-01-preview', '2018-01-01-preview', '2017-10-01-preview', '2015-07-01', '2015-06-01',
];
const ROLE_DEFINITIONS = ['2022-05-01-preview', '2022-04-01', '2018-01-01-preview', '2017-05-01', '2015-07-01', '2015-06-01'];
const PERMISSIONS = ['2022-05-01-preview', '2022-04-01', '2018-01-01-preview', '2015-07-01'];
// PIM (contracts-next.md): schedules and requests are GA at 2020-10-01 (what @azure/arm-authorization 9 sends); approvals are preview only.
const PIM = ['2024-09-01-preview', '2022-04-01-preview', '2020-10-01', '2020-10-01-preview'];
const PIM_APPROVALS = ['2021-01-01-preview'];
// lighthouse.md §1.1: every version of Microsoft.ManagedServices.
const MANAGED_SERVICES = ['2022-10-01', '2022-01-01-preview', '2020-02-01-preview', '2019-09-01', '2019-06-01', '2019-04-01-preview', '2018-06-01-preview'];
// The activity log (microsoft.insights/eventtypes) has one GA version.
const EVENT_TYPES = ['2015-04-01'];
// `POST /providers/Microsoft.Authorization/elevateAccess`: the az CLI and the docs send 2016-07-01.
const ELEVATE_ACCESS = ['2016-07-01', '2015-07-01'];
// Microsoft.MarketplaceOrdering's agreements (`az term accept` sends 2021-01-01).
const MARKETPLACE_ORDERING = ['2021-01-01', '2015-06-01'];
// Lantern's own resources for the Service providers and My customers blades (docs/lighthouse-views.md).
const LANTERN_LIGHTHOUSE = ['2026-12-01'];
// Lantern's operator plane (docs/operations.md).
const LANTERN_OPERATOR = ['2026-12-01'];

const TABLE: ReadonlyMap<string, readonly string[]> = new Map([
  ['microsoft.resources/tenants', SUBSCRIPTIONS],
  ['microsoft.resources/subscriptions', SUBSCRIPTIONS],
  ['microsoft.resources/resourcegroups', RESOURCES],
  ['microsoft.resources/resources', RESOURCES],
  ['microsoft.resources/providers', RESOURCES],
  ['microsoft.resources/deployments', DEPLOYMENTS],
  ['microsoft.resources/operations', RESOURCES],
  ['microsoft.authorization/roleassignments', ROLE_ASSIGNMENTS],
  ['microsoft.authorization/roledefinitions', ROLE_DEFINITIONS],
  ['microsoft.authorization/permissions', PERMISSIONS],
  ['microsoft.authorization/roleassignmentschedulerequests', PIM],
  ['microsoft.authorization/roleassignmentscheduleinstances', PIM],
  ['microsoft.authorization/roleeligibilityscheduleinstances', PIM],
  ['microsoft.authorization/roleassignmentapprovals', PIM_APPROVALS],
  ['microsoft.managedservices/registrationdefinitions', MANAGED_SERVICES],
  ['microsoft.managedservices/registrationassignments', MANAGED_SERVICES],
  ['microsoft.managedservices/marketplaceregistrationdefinitions', MANAGED_SERVICES],
  ['microsoft.managedservices/operations', MANAGED_SERVICES],
  ['microsoft.managedservices/operationstatuses', MANAGED_SERVICES],
  ['microsoft.insights/eventtypes', EVENT_TYPES],
  ['microsoft.authorization/elevateaccess', ELEVATE_ACCESS],
  ['microsoft.marketplaceordering/offertypes', MARKETPLACE_ORDERING],
  ['lantern.lighthouse/serviceprovideroffers', LANTERN_LIGHTHOUSE],
  ['lantern.lighthouse/mycustomers', LANTERN_LIGHTHOUSE],
  ['lantern.operator/operators', LANTERN_OPERATOR],
  ['lantern.operator/tenants', LANTERN_OPERATOR],
]);

const WELL_FORMED = /^\d{4}-\d{2}-\d{2}(-(preview|privatepreview|beta|alpha))?$/i;

/** The api-versions Lantern accepts for a resource type (newest first); undefined for types it only stores. */
export function supportedApiVersions(resourceType: string): readonly string[] | undefined {
  return TABLE.get(resourceType.toLowerCase()) ?? TABLE.get(rootType(resourceType));
}

/** ARM's refusal of a request without `api-version`. */
export function missingApiVersion(): DomainError {
  return invalid('MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.', 'api-version');
}

/**
 * Checks the `api-version` of a request for `resourceType` (e.g. `Microsoft.Authorization/roleAssignments`);
 * returns it, or throws ARM's 400.
 */
export function requireApiVersion(resourceType: string, given: string | undefined): string {
  if (given === undefined || given === '') throw missingApiVersion();
  const supported = supportedApiVersions(resourceType);
  if (!supported) {
    if (!WELL_FORMED.test(given)) {
      throw invalid(
        'InvalidApiVersionParameter',
        `The api-version '${given}' is invalid. The api-version must be a date such as '2024-01-01', optionally with a '-preview' suffix.`,
        'api-version',
      );
    }
    return given;
  }
  if (supported.some((v) => v.toLowerCase() === given.toLowerCase())) return given;
  if (resourceType.toLowerCase().startsWith('microsoft.resources/')) {
    throw invalid('InvalidApiVersionParameter', `The api-version '${given}' is invalid. The supported versions are '${supported.join(',')}'.`, 'api-version');
  }
  const type = resourceType.slice(resourceType.indexOf('/') + 1);
  throw invalid(
    'NoRegisteredProviderFound',
    `No registered resource provider found for location 'global' and API version '${given}' for type '${type}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are ', global'.`,
    'api-version',
  );
}

// `Microsoft.Insights/eventtypes/values` is versioned as `Microsoft.Insights/eventtypes`.
function rootType(resourceType: string): string {
  const parts = resourceType.toLowerCase().split('/');
  return parts.slice(0, 2).join('/');
}
