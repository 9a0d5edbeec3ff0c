/**
 * ARM template deployments at subscription and resource-group scope. A deployment is planned and
 * validated whole before anything is created (template faults are `InvalidTemplate`, a missing
 * permission for any resource is `AuthorizationFailed`); then its resources are put in order
 * through the same services as their HTTP routes. A resource the provider refuses fails the
 * deployment (`DeploymentFailed` with one detail per refusal, as ARM reports it); what was already
 * put stays, as in ARM. Everything completes within the request, so the answer already carries
 * the final `provisioningState` and outputs.
 *
 * `templateLink` and `parametersLink` are refused: Lantern makes no outbound calls to URLs a
 * caller supplies. Only `Incremental` mode is supported.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, invalid, notFound } from '../../core/errors.js';
import { armOperation } from '../../core/arm/request-action.js';
import { planDeployment, type DeploymentContext, type DeploymentPlan, type JsonObject, type PlanStep, type RuntimeFunctions, type TemplateOutput } from '../../core/templates/index.js';
import { parseScope } from '../../core/scope.js';
import type { ResourceGroup, Subscription } from '../../core/resources/model.js';
import type { Repositories, StoredDeployment } from '../../storage/port.js';
import { systemContext, type Clock, type IdGenerator, type RequestContext } from '../context.js';
import {
  DEPLOYMENTS_TYPE,
  deploymentFailed,
  deploymentInterrupted,
  echoOutputs,
  echoParameters,
  errorBodyOf,
  failureStatus,
  isoDuration,
  statusText,
  templateHash,
  type DeploymentDocument,
  type DeploymentOperation,
  type ErrorBody,
} from './deployment-record.js';
import { RG_READ } from '../resources/resource-service.js';
import { executeStep, preflight, type StepDeps } from './step-executor.js';

/** A resource reference() named that the evaluation has not read yet (by its lower-cased id). */
class UnreadReference extends Error {
  constructor(readonly key: string) {
    super(`reference() of '${key}' waits for the resource to be read`);
  }
}

/** ARM keeps this many deployments per scope and removes the oldest beyond it. */
export const DEPLOYMENTS_PER_SCOPE = 800;

const NAME = /^[-\w.()]{1,64}$/;

/**
 * The deployments being run, one document each from the moment a deployment starts until its
 * outcome is saved: what a restart finds here was interrupted (see `recoverInterrupted`).
 */
const RUNS = 'deploymentRuns';

interface DeploymentRun {
  readonly id: string;
  readonly scope: string;
  readonly startedAt: string;
}

export interface DeploymentServiceDeps extends StepDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Test knob (LANTERN_TEST_DEPLOYMENT_STEP_DELAY_MS): a pause before each step, so crash tests can kill mid-deployment. */
  readonly stepDelayMs?: number;
}

/** The body of `PUT …/deployments/{name}` as ARM takes it. */
export interface DeploymentRequestBody {
  readonly location?: unknown;
  readonly tags?: unknown;
  readonly properties?: unknown;
}

interface ReadRequest {
  readonly template: JsonObject;
  readonly parameters: JsonObject;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** What `validate` answers: the deployment as it would be, with the resources it would put. */
export interface ValidationResult {
  readonly document: Omit<DeploymentDocument, 'operations'>;
  readonly validatedResources: readonly { readonly id: string }[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The full id of a deployment at `scope`. */
export function deploymentId(scope: string, name: string): string {
  return `${parseScope(scope).id}/providers/${DEPLOYMENTS_TYPE}/${name}`;
}

function readRequest(body: DeploymentRequestBody, atSubscription: boolean): ReadRequest {
  const props = body.properties;
  if (!isObject(props)) throw invalid('InvalidRequestContent', 'properties is required: the deployment needs properties.template and properties.mode.', 'properties');
  if (props.templateLink !== undefined || props.parametersLink !== undefined) {
    const field = props.templateLink !== undefined ? 'templateLink' : 'parametersLink';
    throw invalid(
      'LinkedTemplatesNotSupported',
      `properties.${field} is not supported: Lantern makes no outbound calls to URLs supplied in a request. Send the template in properties.template and the values in properties.parameters.`,
      `properties.${field}`,
    );
  }
  if (!isObject(props.template)) throw invalid('InvalidRequestContent', 'properties.template is required and must be the template as a JSON object.', 'properties.template');
  const mode = props.mode ?? 'Incremental';
  if (typeof mode !== 'string' || mode.toLowerCase() !== 'incremental') {
    throw invalid('InvalidDeploymentMode', `The deployment mode '${JSON.stringify(mode)}' is not supported: Lantern deploys in 'Incremental' mode only.`, 'properties.mode');
  }
  if (props.parameters !== undefined && props.parameters !== null && !isObject(props.parameters)) {
    throw invalid('InvalidRequestContent', 'properties.parameters must be an object of { "name": { "value": … } }.', 'properties.parameters');
  }
  const location = body.location;
  if (location !== undefined && typeof location !== 'string') throw invalid('InvalidRequestContent', 'location must be a string.', 'location');
  if (atSubscription && !location) {
    throw invalid('LocationRequired', "The location property is required for this definition: a subscription-level deployment needs 'location' to store its data.", 'location');
  }
  if (body.tags !== undefined && (!isObject(body.tags) || Object.values(body.tags).some((v) => typeof v !== 'string'))) {
    throw invalid('InvalidRequestContent', 'tags must be an object of string values.', 'tags');
  }
  return {
    template: props.template,
    parameters: isObject(props.parameters) ? props.parameters : {},
    ...(location ? { location } : {}),
    ...(isObject(body.tags) ? { tags: body.tags as Record<string, string> } : {}),
  };
}

/** Creates the deployment service. */
export function createDeploymentService(deps: DeploymentServiceDeps) {
  const { store, access, activity, clock, ids } = deps;

  async function target(scope: string, name: string): Promise<{ subscription: Subscription; resourceGroup?: ResourceGroup; id: string }> {
    const p = parseScope(scope);
    if (!NAME.test(name)) {
      throw invalid('InvalidDeploymentName', `The deployment name '${name}' is invalid: use 1 to 64 letters, digits, '-', '_', '.', '(' and ')'.`, 'name');
    }
    const subscription = p.subscriptionId === undefined ? undefined : await store.resources.getSubscription(p.subscriptionId);
    if (!subscription) throw notFound('SubscriptionNotFound', `The subscription '${p.subscriptionId ?? scope}' could not be found.`);
    return { subscription, id: deploymentId(scope, name) };
  }

  async function requireGroup(scope: string): Promise<ResourceGroup | undefined> {
    const p = parseScope(scope);
    if (p.level !== 'resourceGroup' || !p.subscriptionId || !p.resourceGroup) return undefined;
    const rg = await store.resources.getResourceGroup(p.subscriptionId, p.resourceGroup);
    if (!rg) throw notFound('ResourceGroupNotFound', `Resource group '${p.resourceGroup}' could not be found.`);
    return rg;
  }

  // Template functions look things up synchronously: load what `subscription()` and `resourceGroup()` may ask.
  async function contextFor(ctx: RequestContext, subscription: Subscription, name: string, resourceGroup: ResourceGroup | undefined, location: string | undefined): Promise<DeploymentContext> {
    // `subscription()` in a nested deployment names any subscription id: it knows only those the
    // caller may list (GET /subscriptions), so no template reads another's name, even into an error.
    const [own, readable] = await Promise.all([deps.resources.getSubscription(subscription.subscriptionId), deps.resources.listSubscriptions(ctx)]);
    const subscriptions = new Map<string, { displayName: string; managedByTenants: { tenantId: string }[] }>();
    for (const { subscription: s } of [...readable, own]) {
      const managedBy = s.subscriptionId.toLowerCase() === subscription.subscriptionId.toLowerCase() ? own.managedByTenants : [];
      subscriptions.set(s.subscriptionId.toLowerCase(), { displayName: s.displayName, managedByTenants: managedBy.map((tenantId) => ({ tenantId })) });
    }
    const groups = new Map((await store.resources.listResourceGroups(subscription.subscriptionId)).map((g) => [g.name.toLowerCase(), g]));
    const deploymentLocation = location ?? resourceGroup?.location;
    return {
      deploymentName: name,
      tenantId: subscription.tenantId,
      subscriptionId: subscription.subscriptionId,
      ...(resourceGroup ? { resourceGroup: resourceGroup.name } : {}),
      ...(deploymentLocation !== undefined ? { location: deploymentLocation } : {}),
      subscriptionInfo: (id) => subscriptions.get(id.toLowerCase()),
      resourceGroupInfo: (subId, rg) => {
        if (subId.toLowerCase() !== subscription.subscriptionId.toLowerCase()) return undefined;
        const g = groups.get(rg.toLowerCase());
        // Another group than the deployment's is known only to a caller who may read it.
        if (!g || (g.name.toLowerCase() !== resourceGroup?.name.toLowerCase() && !access.allows(ctx, RG_READ, `/subscriptions/${subId}/resourceGroups/${g.name}`))) return undefined;
        return { location: g.location, tags: g.tags, ...(g.managedBy !== undefined ? { managedBy: g.managedBy } : {}) };
      },
      now: () => clock.now(),
      newGuid: () => ids.guid(),
    };
  }

  async function plan(ctx: RequestContext, scope: string, name: string, body: DeploymentRequestBody, action: string) {
    const t = await target(scope, name);
    access.authorize(ctx, action, t.id);
    const resourceGroup = await requireGroup(scope);
    const request = readRequest(body, resourceGroup === undefined);
    const context = await contextFor(ctx, t.subscription, name, resourceGroup, request.location);
    const planned = planDeployment({ template: request.template, parameters: { parameters: request.parameters }, context });
    await preflight(ctx, planned.steps, deps);
    return { ...t, request, planned };
  }

  function baseDocument(id: string, name: string, request: ReadRequest, started: Date, correlationId: string): Omit<DeploymentDocument, 'properties' | 'operations'> & { properties: Omit<DeploymentDocument['properties'], 'provisioningState' | 'duration' | 'outputResources'> } {
    return {
      id,
      name,
      type: DEPLOYMENTS_TYPE,
      ...(request.location !== undefined ? { location: request.location } : {}),
      ...(request.tags !== undefined ? { tags: request.tags } : {}),
      properties: {
        mode: 'Incremental',
        correlationId,
        timestamp: started.toISOString(),
        templateHash: templateHash(request.template),
        parameters: echoParameters(request.template, request.parameters),
      },
    };
  }

  async function save(doc: DeploymentDocument, scope: string, repos: Repositories = store): Promise<void> {
    const stored: StoredDeployment = { id: doc.id, scope: parseScope(scope).id, name: doc.name, body: JSON.stringify(doc), updatedAt: clock.now().toISOString() };
    await repos.deployments.put(stored);
  }

  // Deployments beyond the per-scope limit go, oldest first.
  async function trim(scope: string): Promise<void> {
    const all = await store.deployments.listAt(scope);
    const excess = all.length - DEPLOYMENTS_PER_SCOPE;
    if (excess <= 0) return;
    for (const old of [...all].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).slice(0, excess)) await store.deployments.delete(old.id);
  }

  // reference() answers from what this deployment put and from the store, one resource at a time as
  // the template names it (a subscription of 10^5 resources is not read whole for one reference).
  // Evaluation is synchronous and pure: a resource not read yet stops it with UnreadReference, and
  // `evaluate` reads that resource and runs the evaluation again.
  function referencesFor(ctx: RequestContext, deployed: Map<string, JsonObject>) {
    const read = new Map<string, JsonObject | null>();
    const runtime: RuntimeFunctions = {
      reference(resourceId, _apiVersion, full) {
        // reference() is a GET as the caller, authorized before the resource is looked for: a deployment
        // reads nothing the caller could not read itself, nor learns whether it exists.
        const get = armOperation('GET', resourceId);
        access.authorize(ctx, get.action, get.scope);
        const key = resourceId.toLowerCase();
        const found = deployed.get(key) ?? read.get(key);
        if (found === undefined) throw new UnreadReference(key);
        if (found === null) throw notFound('ResourceNotFound', `The Resource '${resourceId}' was not found; reference() can only read resources that exist.`);
        return full ? found : (found.properties ?? {});
      },
      // Lantern runs no resource provider, so list actions (listKeys …) have nothing to list.
      list: () => ({}),
    };
    return async function evaluate<T>(evaluation: (runtime: RuntimeFunctions) => T): Promise<T> {
      for (;;) {
        try {
          return evaluation(runtime);
        } catch (error) {
          if (!(error instanceof UnreadReference)) throw error;
          const r = await store.resources.getResource(error.key);
          read.set(error.key, r ? { id: r.id, name: r.name, type: r.type, ...(r.location !== undefined ? { location: r.location } : {}), tags: { ...r.tags }, properties: r.properties as JsonObject } : null);
        }
      }
    };
  }

  // `progress` is told the operations so far before each step (the step itself as `Running`) and after it: a crash leaves them stored.
  async function execute(ctx: RequestContext, planned: DeploymentPlan, started: Date, progress: (operations: DeploymentOperation[]) => Promise<void>) {
    const operations: { step: PlanStep; op: DeploymentOperation }[] = [];
    const failures: DomainError[] = [];
    const deployed = new Map<string, JsonObject>();
    const evaluate = referencesFor(ctx, deployed);
    const operation = (step: PlanStep, at: Date, outcome: { created: boolean } | { error: DomainError } | 'running'): DeploymentOperation => {
      const operationId = ids.guid().replace(/-/g, '').slice(0, 16).toUpperCase();
      const failed = typeof outcome === 'object' && 'error' in outcome;
      return {
        id: `${planned.deploymentId}/operations/${operationId}`,
        operationId,
        properties: {
          provisioningOperation: 'Create',
          provisioningState: outcome === 'running' ? 'Running' : failed ? 'Failed' : 'Succeeded',
          timestamp: clock.now().toISOString(),
          duration: isoDuration(at, clock.now()),
          trackingId: ids.guid(),
          statusCode: outcome === 'running' ? 'Accepted' : 'error' in outcome ? failureStatus(outcome.error) : statusText(outcome.created),
          ...(typeof outcome === 'object' && 'error' in outcome ? { statusMessage: { status: 'Failed' as const, error: errorBodyOf(outcome.error) } } : {}),
          targetResource: { id: step.resourceId, resourceType: step.type, resourceName: step.name, apiVersion: step.apiVersion },
        },
      };
    };
    for (const step of planned.steps) {
      if (deps.stepDelayMs) await sleep(deps.stepDelayMs);
      const at = clock.now();
      await progress([...operations.map((o) => o.op), operation(step, at, 'running')]);
      try {
        const body = step.deferred ? await evaluate((runtime) => step.resolveBody(runtime)) : step.body;
        const result = await executeStep(ctx, step, body, deps);
        deployed.set(step.resourceId.toLowerCase(), result.resource);
        operations.push({ step, op: operation(step, at, result) });
        // Stored at once: a crash from here on reports this resource as put, not as in flight.
        await progress(operations.map((o) => o.op));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failures.push(error);
        operations.push({ step, op: operation(step, at, { error }) });
        // Later steps may depend on this one; ARM would stop them too.
        break;
      }
    }
    let outputs: Readonly<Record<string, TemplateOutput>> | undefined;
    if (failures.length === 0) {
      try {
        outputs = await evaluate((runtime) => planned.evaluateOutputs(runtime));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failures.push(error);
      }
    }
    return { operations, failures, outputs, duration: isoDuration(started, clock.now()) };
  }

  return {
    /**
     * Deploys a template at `scope` (`/subscriptions/{s}` or `…/resourceGroups/{rg}`); `created`
     * tells 201 from 200. Refusals found while planning throw; a failed resource gives a document
     * with `provisioningState: Failed` and the `DeploymentFailed` error.
     */
    async createOrUpdate(ctx: RequestContext, scope: string, name: string, body: DeploymentRequestBody): Promise<{ document: DeploymentDocument; created: boolean }> {
      const { id, request, planned } = await plan(ctx, scope, name, body, `${DEPLOYMENTS_TYPE}/write`);
      const started = clock.now();
      const base = baseDocument(id, name, request, started, ctx.correlationId);
      const running = (operations: DeploymentOperation[]): DeploymentDocument => ({ ...base, properties: { ...base.properties, provisioningState: 'Running', duration: isoDuration(started, clock.now()), outputResources: [] }, operations });
      // The run is journaled with its first state, so a restart finds it if this process dies before the end.
      const created = await store.transaction(async (tx) => {
        const isNew = (await tx.deployments.get(id)) === undefined;
        await save(running([]), scope, tx);
        await tx.documents.put(RUNS, id, RUNS, { id, scope: parseScope(scope).id, startedAt: started.toISOString() } satisfies DeploymentRun);
        return isNew;
      });

      const run = await execute(ctx, planned, started, (operations) => save(running(operations), scope));
      const failed = run.failures.length > 0;
      const error: ErrorBody | undefined = failed ? deploymentFailed(run.failures) : undefined;
      const own = run.operations.filter((o) => o.step.deploymentId.toLowerCase() === id.toLowerCase());
      const document: DeploymentDocument = {
        ...base,
        properties: {
          ...base.properties,
          provisioningState: failed ? 'Failed' : 'Succeeded',
          duration: run.duration,
          ...(run.outputs ? { outputs: echoOutputs(run.outputs) } : {}),
          outputResources: run.operations.filter((o) => o.op.properties.provisioningState === 'Succeeded' && o.step.kind === 'resource').map((o) => ({ id: o.step.resourceId })),
          ...(error ? { error } : {}),
        },
        operations: own.map((o) => o.op),
      };
      await store.transaction(async (tx) => {
        await save(document, scope, tx);
        await tx.documents.delete(RUNS, id);
      });
      // Nested deployments are deployments of their own, at their target scope.
      for (const nested of run.operations.filter((o) => o.step.kind === 'deployment')) {
        const inner = run.operations.filter((o) => o.step.deploymentId.toLowerCase() === nested.step.resourceId.toLowerCase());
        const innerFailed = nested.op.properties.provisioningState === 'Failed' || inner.some((o) => o.op.properties.provisioningState === 'Failed');
        const innerScope = parseScope(nested.step.resourceId).parent ?? scope;
        await save({
          id: nested.step.resourceId,
          name: nested.step.name,
          type: DEPLOYMENTS_TYPE,
          properties: {
            ...base.properties,
            parameters: {},
            templateHash: templateHash(nested.step.body),
            provisioningState: innerFailed ? 'Failed' : 'Succeeded',
            duration: nested.op.properties.duration,
            outputResources: inner.filter((o) => o.op.properties.provisioningState === 'Succeeded').map((o) => ({ id: o.step.resourceId })),
            ...(innerFailed && error ? { error } : {}),
          },
          operations: inner.map((o) => o.op),
        }, innerScope);
      }
      await trim(scope);
      await activity.recordOperation(ctx, { operationName: `${DEPLOYMENTS_TYPE}/write`, scope: id, status: failed ? 'Failed' : 'Succeeded', httpMethod: 'PUT', statusCode: created ? 201 : 200 });
      return { document, created };
    },

    /**
     * At start, before serving: every deployment whose run was interrupted (the process died while
     * it ran) is marked `Failed` with `DeploymentInterrupted`. Its operations report what it had put;
     * the one that was running is failed with the same error (it may or may not have been applied).
     * A new PUT of the deployment is the repair: resource puts are idempotent. Returns their ids.
     */
    async recoverInterrupted(): Promise<string[]> {
      const recovered: string[] = [];
      for (const run of await store.documents.list<DeploymentRun>(RUNS)) {
        const failed = await store.transaction(async (tx) => {
          const stored = await tx.deployments.get(run.id);
          await tx.documents.delete(RUNS, run.id);
          const doc = stored === undefined ? undefined : (JSON.parse(stored.body) as DeploymentDocument);
          if (doc?.properties.provisioningState !== 'Running') return undefined;
          const error = deploymentInterrupted(run.startedAt);
          const operations = doc.operations.map((op): DeploymentOperation => op.properties.provisioningState !== 'Running' ? op : {
            ...op,
            properties: { ...op.properties, provisioningState: 'Failed', statusCode: 'InternalServerError', statusMessage: { status: 'Failed', error } },
          });
          const succeeded = operations.filter((op) => op.properties.provisioningState === 'Succeeded' && !op.properties.targetResource.resourceType.toLowerCase().startsWith(DEPLOYMENTS_TYPE.toLowerCase()));
          await save({
            ...doc,
            properties: { ...doc.properties, provisioningState: 'Failed', duration: isoDuration(new Date(run.startedAt), clock.now()), outputResources: succeeded.map((op) => ({ id: op.properties.targetResource.id })), error },
            operations,
          }, run.scope, tx);
          await activity.recordOperation(systemContext(ids), { operationName: `${DEPLOYMENTS_TYPE}/write`, scope: run.id, status: 'Failed', description: error.message }, tx);
          return run.id;
        });
        if (failed !== undefined) recovered.push(failed);
      }
      return recovered;
    },

    /** Plans and preflights without creating anything; throws what a deployment would refuse with. */
    async validate(ctx: RequestContext, scope: string, name: string, body: DeploymentRequestBody): Promise<ValidationResult> {
      const { id, request, planned } = await plan(ctx, scope, name, body, `${DEPLOYMENTS_TYPE}/validate/action`);
      const base = baseDocument(id, name, request, clock.now(), ctx.correlationId);
      return {
        document: { ...base, properties: { ...base.properties, provisioningState: 'Succeeded', duration: 'PT0S', outputResources: [] } },
        validatedResources: planned.steps.map((s) => ({ id: s.resourceId })),
      };
    },

    async get(ctx: RequestContext, scope: string, name: string): Promise<DeploymentDocument> {
      const { id } = await target(scope, name);
      access.authorize(ctx, `${DEPLOYMENTS_TYPE}/read`, id);
      const stored = await store.deployments.get(id);
      if (!stored) throw notFound('DeploymentNotFound', `Deployment '${name}' could not be found.`);
      return JSON.parse(stored.body) as DeploymentDocument;
    },

    /** The deployments kept at exactly `scope`. */
    async list(ctx: RequestContext, scope: string): Promise<DeploymentDocument[]> {
      const p = parseScope(scope);
      const subscription = p.subscriptionId === undefined ? undefined : await store.resources.getSubscription(p.subscriptionId);
      if (!subscription) throw notFound('SubscriptionNotFound', `The subscription '${p.subscriptionId ?? scope}' could not be found.`);
      access.authorize(ctx, `${DEPLOYMENTS_TYPE}/read`, p.id);
      await requireGroup(scope);
      return (await store.deployments.listAt(scope)).map((s) => JSON.parse(s.body) as DeploymentDocument);
    },

    /** Forgets a deployment (its resources stay, as in ARM); false when there was none. */
    async delete(ctx: RequestContext, scope: string, name: string): Promise<boolean> {
      const { id } = await target(scope, name);
      access.authorize(ctx, `${DEPLOYMENTS_TYPE}/delete`, id);
      const deleted = await store.deployments.delete(id);
      if (deleted) await activity.recordOperation(ctx, { operationName: `${DEPLOYMENTS_TYPE}/delete`, scope: id, status: 'Succeeded', httpMethod: 'DELETE', statusCode: 200 });
      return deleted;
    },

    /** The operations of a deployment, one per resource it put. */
    async operations(ctx: RequestContext, scope: string, name: string): Promise<readonly DeploymentOperation[]> {
      const { id } = await target(scope, name);
      access.authorize(ctx, `${DEPLOYMENTS_TYPE}/operations/read`, id);
      const stored = await store.deployments.get(id);
      if (!stored) throw notFound('DeploymentNotFound', `Deployment '${name}' could not be found.`);
      return (JSON.parse(stored.body) as DeploymentDocument).operations;
    },
  };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;

