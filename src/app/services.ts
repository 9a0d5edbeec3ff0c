/**
 * Everything the HTTP server, the CLI and the web UI call: built once by the composition root.
 */
import type { Store } from '../storage/port.js';
import type { AccessService } from '../services/authorization/access-service.js';
import type { ActivityService } from '../services/activity/activity-service.js';
import type { IdentityPlane } from '../services/identity/identity-plane.js';
import type { DirectoryRoleService } from '../services/identity/directory-roles.js';
import type { OperatorRoleService } from '../services/operator/operator-role.js';
import type { DirectoryAdmin } from '../services/operator/directory-admin.js';
import type { ElevateAccessService } from '../services/authorization/elevate-access.js';
import type { DelegationService } from '../services/delegation/delegation-service.js';
import type { ActivationService } from '../services/delegation/activation-service.js';
import type { ServiceProvidersService } from '../services/delegation/service-providers.js';
import type { MyCustomersService } from '../services/delegation/my-customers.js';
import type { ExplainService } from '../services/authorization/explain-service.js';
import type { DeploymentService } from '../services/deployments/deployment-service.js';
import type { ResourceService } from '../services/resources/resource-service.js';
import type { RbacService } from '../services/rbac/rbac-service.js';
import type { ThrottleService } from '../services/resources/throttle-service.js';
import type { Clock, IdGenerator } from '../services/context.js';
import type { Authenticator } from '../http/request-context.js';
import type { Marketplace } from '../services/marketplace/marketplace.js';
import type { StorefrontService } from '../services/marketplace/storefront-service.js';
import type { AcquisitionService } from '../services/marketplace/acquisition-service.js';
import type { ContactMeService } from '../services/marketplace/lead-sources.js';
import type { LanternConfig } from './config.js';
import type { EngineStart } from '../services/authorization/engine-start.js';

export interface Services {
  readonly config: LanternConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly access: AccessService;
  /** How the decision engine was built at start (checkpoint or tables), for the start-up line. */
  readonly engineStart: Omit<EngineStart, 'engine'>;
  readonly activity: ActivityService;
  readonly identity: IdentityPlane;
  /** Entra directory roles (Global Administrator). */
  readonly directoryRoles: DirectoryRoleService;
  /** The platform operator role: grant, revoke, list (the engine holds it). */
  readonly operators: OperatorRoleService;
  /** The operator plane's directory and subscription administration. */
  readonly directoryAdmin: DirectoryAdmin;
  /** `elevateAccess`: a Global Administrator to User Access Administrator at `/`. */
  readonly elevateAccess: ElevateAccessService;
  readonly authenticator: Authenticator;
  readonly resources: ResourceService;
  readonly rbac: RbacService;
  /** ARM request throttling, shared by the HTTP and HTTPS listeners. */
  readonly throttle: ThrottleService;
  readonly delegation: DelegationService;
  /** Service providers: the customer's view of the offers it delegated with. */
  readonly serviceProviders: ServiceProvidersService;
  /** My customers: the managing tenant's view of its customers. */
  readonly myCustomers: MyCustomersService;
  readonly activations: ActivationService;
  /** "May P do A at S, and why?" for callers, customer Owners and tenant administrators. */
  readonly explain: ExplainService;
  readonly deployments: DeploymentService;
  readonly marketplace: Marketplace;
  /** The customer side of the marketplace: browse and search published offers. */
  readonly storefront: StorefrontService;
  /** Legal terms accepted and plans delegated, kept as acquisition records. */
  readonly acquisitions: AcquisitionService;
  /** "Contact me" on the storefront: a lead for the publisher. */
  readonly contactMe: ContactMeService;
}
