/**
 * Puts one planned resource through the service its HTTP route uses: Microsoft.ManagedServices
 * through the delegation service, role assignments through the RBAC service, resource groups and
 * every other type through the resource service. The deploying caller's right to each put is
 * checked first for the whole plan (`preflight`), then again as each step runs.
 */
import { sameId } from '../../core/guid.js';
import { normalizeDefinitionInput } from '../../core/delegation/definition-input.js';
import { invalid, notFound } from '../../core/errors.js';
import type { JsonObject, JsonValue, PlanStep } from '../../core/templates/index.js';
import { parseScope } from '../../core/scope.js';
import type { Store } from '../../storage/port.js';
import type { ActivityService } from '../activity/activity-service.js';
import type { AccessService } from '../authorization/access-service.js';
import type { RequestContext } from '../context.js';
import { ASSIGNMENTS_TYPE, DEFINITIONS_TYPE, type DelegationService } from '../delegation/delegation-service.js';
import { requireOnboarder } from '../delegation/onboarding-check.js';
import { ROLE_ASSIGNMENTS_TYPE, type RbacService } from '../rbac/rbac-service.js';
import type { ResourceService } from '../resources/resource-service.js';
import { DEPLOYMENTS_TYPE } from './deployment-record.js';

const RESOURCE_GROUPS_TYPE = 'Microsoft.Resources/resourceGroups';

export interface StepDeps {
  readonly store: Store;
  readonly access: AccessService;
  readonly activity: ActivityService;
  readonly resources: ResourceService;
  readonly rbac: RbacService;
  readonly delegation: DelegationService;
}

/** What a put left behind: whether it created the resource, and the resource for `reference()`. */
export interface StepResult {
  readonly created: boolean;
  readonly resource: JsonObject;
}


function objectAt(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function stringAt(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The RBAC action a step needs and the scope it is checked at. */
export function stepAction(step: PlanStep): { action: string; scope: string } {
  if (step.kind === 'deployment') return { action: `${DEPLOYMENTS_TYPE}/write`, scope: step.resourceId };
  if (sameId(step.type, RESOURCE_GROUPS_TYPE)) return { action: 'Microsoft.Resources/subscriptions/resourceGroups/write', scope: step.resourceId };
  return { action: `${step.type}/write`, scope: step.resourceId };
}

// The scope a resource or extension resource lives at: everything before its last `/providers/…`.
function parentScope(resourceId: string): string {
  return parseScope(resourceId).parent ?? '/';
}

function isDelegation(step: PlanStep): boolean {
  return sameId(step.type, DEFINITIONS_TYPE) || sameId(step.type, ASSIGNMENTS_TYPE);
}

/** Checks the caller may put every step, and the onboarding rule for delegations; throws the first refusal. */
export async function preflight(ctx: RequestContext, steps: readonly PlanStep[], deps: StepDeps): Promise<void> {
  const onboarded = new Set<string>();
  for (const step of steps) {
    const { action, scope } = stepAction(step);
    deps.access.authorize(ctx, action, scope);
    if (isDelegation(step) && !onboarded.has(step.scope.subscriptionId.toLowerCase())) {
      const sub = await deps.store.resources.getSubscription(step.scope.subscriptionId);
      if (!sub) throw notFound('SubscriptionNotFound', `The subscription '${step.scope.subscriptionId}' could not be found.`);
      await requireOnboarder(ctx, sub, deps.access, deps.store.identity);
      onboarded.add(step.scope.subscriptionId.toLowerCase());
    }
  }
}

/** Puts one step with its (resolved) body. */
export async function executeStep(ctx: RequestContext, step: PlanStep, body: JsonObject, deps: StepDeps): Promise<StepResult> {
  const { action, scope } = stepAction(step);
  deps.access.authorize(ctx, action, scope);
  if (sameId(step.type, DEFINITIONS_TYPE)) {
    const { view, created } = await deps.delegation.putDefinition(ctx, parentScope(step.resourceId), step.name, normalizeDefinitionInput(body, step.apiVersion));
    return { created, resource: provisioned(step, body, view.id) };
  }
  if (sameId(step.type, ASSIGNMENTS_TYPE)) {
    const definitionId = stringAt(objectAt(body.properties).registrationDefinitionId);
    if (!definitionId) {
      throw invalid('InvalidRegistrationAssignmentCreateRequest', 'properties.registrationDefinitionId is required: the full id of the registration definition to delegate.', 'properties.registrationDefinitionId');
    }
    const { view, created } = await deps.delegation.putAssignment(ctx, parentScope(step.resourceId), parseScope(step.resourceId).name ?? step.name, definitionId);
    return { created, resource: provisioned(step, body, view.id) };
  }
  return logged(ctx, step, deps, () => putThroughResourcePlane(ctx, step, body, deps));
}

// ManagedServices resources are shown to `reference()` as the template put them, provisioned.
function provisioned(step: PlanStep, body: JsonObject, id: string): JsonObject {
  return { ...body, id, name: step.name, type: step.type, apiVersion: step.apiVersion, properties: { ...objectAt(body.properties), provisioningState: 'Succeeded' } };
}

// The resource and RBAC services leave the activity log to their caller (the HTTP guard, or this).
async function logged(ctx: RequestContext, step: PlanStep, deps: StepDeps, put: () => Promise<StepResult>): Promise<StepResult> {
  const { action, scope } = stepAction(step);
  try {
    const result = await put();
    await deps.activity.recordOperation(ctx, { operationName: action, scope, status: 'Succeeded', httpMethod: 'PUT', statusCode: result.created ? 201 : 200 });
    return result;
  } catch (error) {
    await deps.activity.recordOperation(ctx, { operationName: action, scope, status: 'Failed', httpMethod: 'PUT' });
    throw error;
  }
}

async function putThroughResourcePlane(ctx: RequestContext, step: PlanStep, body: JsonObject, deps: StepDeps): Promise<StepResult> {
  const { subscriptionId } = step.scope;
  const tags = objectAt(body.tags) as Record<string, string>;
  const location = stringAt(body.location);
  if (step.kind === 'deployment') {
    // The nested deployment's own record is written by the deployment service; its target must exist.
    if (step.scope.resourceGroup !== undefined) await deps.resources.getResourceGroup(subscriptionId, step.scope.resourceGroup);
    else await deps.resources.getSubscription(subscriptionId);
    return { created: true, resource: { id: step.resourceId, name: step.name, type: DEPLOYMENTS_TYPE, properties: { provisioningState: 'Succeeded', outputs: {} } } };
  }
  if (sameId(step.type, RESOURCE_GROUPS_TYPE)) {
    const managedBy = stringAt(body.managedBy);
    const { group, created } = await deps.resources.putResourceGroup(subscriptionId, step.name, { ...(location !== undefined ? { location } : {}), tags, ...(managedBy !== undefined ? { managedBy } : {}) });
    return { created, resource: { id: step.resourceId, name: group.name, type: RESOURCE_GROUPS_TYPE, location: group.location, tags: group.tags, properties: { provisioningState: 'Succeeded' } } };
  }
  if (sameId(step.type, ROLE_ASSIGNMENTS_TYPE)) {
    const props = objectAt(body.properties);
    const roleDefinitionId = stringAt(props.roleDefinitionId) ?? '';
    const principalId = stringAt(props.principalId) ?? '';
    const principalType = stringAt(props.principalType);
    const delegatedManagedIdentityResourceId = stringAt(props.delegatedManagedIdentityResourceId);
    const description = stringAt(props.description);
    const { assignment, created } = await deps.rbac.putRoleAssignment(ctx, {
      name: parseScope(step.resourceId).name ?? step.name,
      scope: parentScope(step.resourceId),
      roleDefinitionId,
      principalId,
      ...(principalType !== undefined ? { principalType } : {}),
      ...(delegatedManagedIdentityResourceId !== undefined ? { delegatedManagedIdentityResourceId } : {}),
      ...(description !== undefined ? { description } : {}),
    });
    return { created, resource: { id: step.resourceId, name: assignment.id, type: ROLE_ASSIGNMENTS_TYPE, properties: { ...props, provisioningState: 'Succeeded' } } };
  }
  // A template deployment registers the providers its resources need, as ARM does, when the caller may
  // register them (`{namespace}/register/action` on the subscription, as `POST …/providers/{ns}/register` asks):
  // otherwise the put fails with MissingSubscriptionRegistration, and a resource group's Contributor changes
  // nothing of the subscription.
  const namespace = parseScope(step.resourceId).namespace;
  if (namespace && deps.access.allows(ctx, `${namespace}/register/action`, `/subscriptions/${subscriptionId}`)
    && (await deps.resources.getProvider(subscriptionId, namespace)).registrationState !== 'Registered') {
    await deps.resources.registerProvider(subscriptionId, namespace);
  }
  const kind = stringAt(body.kind);
  const { resource, created } = await deps.resources.putResource(step.resourceId, {
    ...(location !== undefined ? { location } : {}),
    tags,
    properties: objectAt(body.properties),
    ...(kind !== undefined ? { kind } : {}),
    ...(body.sku !== undefined ? { sku: objectAt(body.sku) } : {}),
  });
  return {
    created,
    resource: {
      id: resource.id,
      name: resource.name,
      type: resource.type,
      apiVersion: step.apiVersion,
      ...(resource.location !== undefined ? { location: resource.location } : {}),
      tags: { ...resource.tags },
      properties: { ...(resource.properties as JsonObject), provisioningState: 'Succeeded' },
    },
  };
}
