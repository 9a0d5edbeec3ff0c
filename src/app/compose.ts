/**
 * The composition root: the one place that builds the services over a store and wires them
 * together. The server, the CLI and the tests all start here.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Store } from '../storage/port.js';
import { BUILTIN_ROLES } from '../core/roles/builtin-catalog.js';
import { createAccessService } from '../services/authorization/access-service.js';
import { startEngine } from '../services/authorization/engine-start.js';
import { createElevateAccessService } from '../services/authorization/elevate-access.js';
import { createOperatorRoleService } from '../services/operator/operator-role.js';
import { createDirectoryAdmin } from '../services/operator/directory-admin.js';
import { createDirectoryRoleService } from '../services/identity/directory-roles.js';
import { createActivityService } from '../services/activity/activity-service.js';
import { openIdentityPlane } from '../services/identity/identity-plane.js';
import { loadSecretsKey } from './secrets-key.js';
import { createDelegationService } from '../services/delegation/delegation-service.js';
import { createActivationService } from '../services/delegation/activation-service.js';
import { createServiceProvidersService } from '../services/delegation/service-providers.js';
import { createMyCustomersService } from '../services/delegation/my-customers.js';
import { createExplainService } from '../services/authorization/explain-service.js';
import { createDeploymentService } from '../services/deployments/deployment-service.js';
import { createResourceService } from '../services/resources/resource-service.js';
import { createRbacService } from '../services/rbac/rbac-service.js';
import { createThrottleService } from '../services/resources/throttle-service.js';
import { systemContext, type Clock, type IdGenerator } from '../services/context.js';
import { createMarketplace, type MarketplaceOptions } from '../services/marketplace/marketplace.js';
import { publishedPlanDefinitions } from '../services/marketplace/published-plans.js';
import { createStorefrontService } from '../services/marketplace/storefront-service.js';
import { createAcquisitionService } from '../services/marketplace/acquisition-service.js';
import { acquisitionLeadHooks, createContactMeService } from '../services/marketplace/lead-sources.js';
import type { LanternConfig } from './config.js';
import type { Services } from './services.js';

export interface ComposeOptions {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Marketplace operator settings (lead endpoints on private networks, certification policy). */
  readonly marketplace?: Partial<MarketplaceOptions>;
  /** Seconds a device waits between device-code polls (default 5, Entra's); tests shorten it. */
  readonly deviceCodeIntervalSeconds?: number;
}

const systemClock: Clock = { now: () => new Date() };
const randomIds: IdGenerator = { guid: () => randomUUID() };

/**
 * Makes sure the shipped built-in roles are in the store: a newer catalog (or one imported with
 * `lantern roles import`) wins per role by `updatedOn`.
 */
async function syncBuiltinRoles(store: Store): Promise<void> {
  const stored = new Map((await store.authorization.listRoleDefinitions()).map((r) => [r.id.toLowerCase(), r]));
  await store.transaction(async (tx) => {
    for (const role of BUILTIN_ROLES) {
      const current = stored.get(role.id.toLowerCase());
      if (!current || (current.updatedOn ?? '') < (role.updatedOn ?? '')) await tx.authorization.putRoleDefinition(role);
    }
  });
}

/** Builds every service over `store`. */
export async function composeServices(config: LanternConfig, store: Store, options: ComposeOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  await syncBuiltinRoles(store);
  const { engine, ...engineStart } = await startEngine(store);
  const access = createAccessService(engine, clock);
  const activity = createActivityService({ repos: store, clock, ids });
  const identity = await openIdentityPlane({
    store,
    baseUrl: config.publicUrl,
    clock,
    ids,
    lockout: config.signInLockout,
    secretsKey: loadSecretsKey(config.dataDir),
    ...(options.deviceCodeIntervalSeconds === undefined ? {} : { deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds }),
    onChange: (change) => {
      if (change.type === 'MembershipAdded') engine.putMembership(change.membership);
      if (change.type === 'MembershipRemoved') engine.removeMembership(change.membership.groupId, change.membership.memberId);
    },
  });
  const rbac = createRbacService({ store, access, clock });
  const directoryRoles = createDirectoryRoleService({ store, clock });
  const resources = createResourceService({
    store,
    access,
    clock,
    // A deleted scope takes its role assignments and its delegations with it.
    onScopeDeleted: async (scope) => {
      await rbac.removeAssignmentsUnder(scope);
      await delegation.removeAssignmentsUnder(systemContext(ids), scope);
    },
  });
  const storefront = createStorefrontService({ store, access });
  const publishedPlans = publishedPlanDefinitions(() => storefront.entries());
  const delegation = createDelegationService({ store, access, activity, clock, marketplace: publishedPlans });
  const activations = createActivationService({ store, access, activity, clock, ids });
  const deployments = createDeploymentService({ store, access, activity, clock, ids, resources, rbac, delegation, stepDelayMs: config.testDeploymentStepDelayMs });
  const leadCa = config.leadCaFile === undefined ? undefined : await readFile(config.leadCaFile, 'utf8');
  const operators = createOperatorRoleService({ store, access, clock });
  const marketplace = createMarketplace({
    store, clock, ids, isOperator: operators.isOperator, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom,
    options: { allowPrivateLeadEndpoints: config.allowPrivateLeadEndpoints, leadEndpoints: config.leadEndpoints, ...(leadCa === undefined ? {} : { leadCa }), ...options.marketplace },
    onPublicationChanged: (ref) => storefront.publicationChanged(ref.publisherId, ref.offerId),
  });
  // Each acquisition's lead row commits with its record.
  const acquisitions = createAcquisitionService({ store, access, clock, delegation, hooks: acquisitionLeadHooks(marketplace.leads) });
  return {
    config,
    store,
    clock,
    ids,
    access,
    engineStart,
    activity,
    identity,
    directoryRoles,
    operators,
    directoryAdmin: createDirectoryAdmin({ store, access, directory: identity.directory, rbac, ids }),
    elevateAccess: createElevateAccessService({ access, rbac, directoryRoles, ids }),
    authenticator: { verify: (token) => identity.tokens.verifyAccessToken(token) },
    resources,
    rbac,
    throttle: createThrottleService(config.throttle, clock),
    delegation,
    serviceProviders: createServiceProvidersService({ store, access, delegation, marketplace: publishedPlans }),
    myCustomers: createMyCustomersService({ store, access, marketplace: publishedPlans }),
    activations,
    explain: createExplainService({ store, access }),
    deployments,
    marketplace,
    storefront,
    acquisitions,
    contactMe: createContactMeService({ store, storefront, leads: marketplace.leads }),
  };
}
