/** The public shapes of planning: what the caller supplies and the plan it gets back. */
import type { JsonObject, JsonValue } from './json.js';

/** What `subscription()` reports beyond ids. */
export interface SubscriptionInfo {
  readonly displayName: string;
  /** Tenants managing this subscription through delegations (`subscription().managedByTenants`). */
  readonly managedByTenants?: readonly { readonly tenantId: string }[];
}

/** What `resourceGroup()` reports beyond ids. */
export interface ResourceGroupInfo {
  readonly location: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly managedBy?: string;
}

/** What the deployment runs against. Lookups are synchronous: prefetch what the template may ask for. */
export interface DeploymentContext {
  /** The deployment's name, `deployment().name`. */
  readonly deploymentName: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** Set for a resource-group deployment; absent for a subscription-level one. */
  readonly resourceGroup?: string;
  /** The deployment location (required by ARM for subscription-level deployments), `deployment().location`. */
  readonly location?: string;
  /** Facts for `subscription()`; undefined when the subscription does not exist. */
  subscriptionInfo(subscriptionId: string): SubscriptionInfo | undefined;
  /** Facts for `resourceGroup()`; undefined when the group does not exist. */
  resourceGroupInfo(subscriptionId: string, resourceGroup: string): ResourceGroupInfo | undefined;
  /** The clock behind `utcNow()`. */
  now(): Date;
  /** The generator behind `newGuid()`. */
  newGuid(): string;
}

/** Answers to the functions that read deployed resources; only called at execution time. */
export interface RuntimeFunctions {
  /** `reference(id, apiVersion, 'Full')`: the resource (full) or its properties. */
  reference(resourceId: string, apiVersion: string | undefined, full: boolean): JsonValue;
  /** `listKeys(id, apiVersion)` and other `list*` actions; `action` is the function name, e.g. `listKeys`. */
  list(action: string, resourceId: string, apiVersion: string, body: JsonValue | undefined): JsonValue;
}

/** Where a step's resource lives. */
export interface StepScope {
  readonly subscriptionId: string;
  /** Absent for subscription-level resources. */
  readonly resourceGroup?: string;
}

/** How a nested deployment evaluates and where it deploys. */
export interface NestedDeploymentInfo {
  /** `outer` (the default): inner expressions use the parent's parameters, variables and scope. */
  readonly expressionScope: 'outer' | 'inner';
  readonly mode: string;
  /** Where the nested template's resources land. */
  readonly target: StepScope;
  /** The nested template's parameters as its deployment record shows them (none for outer scope). */
  readonly parameters: Readonly<Record<string, DeploymentParameter>>;
  /** The nested template's outputs (what `reference(nested).outputs` reads), after its steps ran. */
  evaluateOutputs(runtime: RuntimeFunctions): Readonly<Record<string, TemplateOutput>>;
}

/** A parameter as a deployment record shows it; secure values are left out. */
export interface DeploymentParameter {
  readonly type: string;
  readonly value?: JsonValue;
}

/** One resource to put, in execution order. */
export interface PlanStep {
  readonly kind: 'resource' | 'deployment';
  /** The full ARM id at its scope. */
  readonly resourceId: string;
  /** The type of the resource the id names (for `…/providers/roleAssignments` types, the extension's type). */
  readonly type: string;
  readonly apiVersion: string;
  /** The name as declared (`parent/child` for child resources). */
  readonly name: string;
  readonly scope: StepScope;
  /** Everything but type/apiVersion/name/copy/condition/dependsOn, evaluated; deferred leaves are `null`. */
  readonly body: JsonObject;
  /** True when the body uses `reference()`/`list*()`: call `resolveBody` once the dependencies exist. */
  readonly deferred: boolean;
  /** The body with execution-time functions answered by `runtime` (the same object as `body` when nothing is deferred). */
  resolveBody(runtime: RuntimeFunctions): JsonObject;
  /** Ids of the steps (of the same deployment) that must finish first. */
  readonly dependsOn: readonly string[];
  /** Where the resource is declared, e.g. `resources[1].properties.template.resources[0]`. */
  readonly templatePath: string;
  /** The id of the deployment this step belongs to (the root or a nested deployment). */
  readonly deploymentId: string;
  readonly copy?: { readonly name: string; readonly index: number; readonly mode: 'parallel' | 'serial'; readonly batchSize?: number };
  /** For `kind: 'deployment'`: the nested deployment's evaluation mode and target. */
  readonly nested?: NestedDeploymentInfo;
}

/** One evaluated template output. */
export interface TemplateOutput {
  readonly type: string;
  readonly value: JsonValue;
}

/** A template fully validated and evaluated, ready to execute in order. */
export interface DeploymentPlan {
  readonly deploymentName: string;
  /** `/subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.Resources/deployments/{name}`. */
  readonly deploymentId: string;
  readonly scope: StepScope;
  /** The resolved parameters (defaults applied), as a deployment record shows them. */
  readonly parameters: Readonly<Record<string, DeploymentParameter>>;
  /** Every resource and nested deployment; a nested deployment's own steps follow it directly. */
  readonly steps: readonly PlanStep[];
  /** The root template's outputs, evaluated after execution with `runtime` answering `reference()`. */
  evaluateOutputs(runtime: RuntimeFunctions): Readonly<Record<string, TemplateOutput>>;
}
