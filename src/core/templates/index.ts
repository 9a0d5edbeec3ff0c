/**
 * ARM template evaluation, pure: parse a template (JSON with comments), validate it, evaluate its
 * expressions and produce the ordered plan of resource puts a deployment executes.
 *
 * - {@link planDeployment}: template + parameters + context → {@link DeploymentPlan}
 * - {@link parseTemplateJson} / {@link parseTemplateDocument}: the JSON-with-comments reader
 * - {@link armGuid} / {@link uniqueString}: the deterministic `guid()` and `uniqueString()` of ARM
 *
 * Semantics worth knowing:
 * - Every template error is a `DomainError('invalid', 'InvalidTemplate')` naming the JSON path
 *   (also its `target`) and the expression at fault; all of them surface while planning.
 * - `reference()`/`list*()` are answered at execution time: such a step has `deferred: true`, its
 *   `body` holds `null` at those leaves, and `resolveBody(runtime)` gives the final body. A
 *   reference to a resource of the template adds an implicit dependency.
 * - Nested `Microsoft.Resources/deployments` need an inline template. Default (`outer`) scope
 *   evaluates the inner template with the parent's parameters, variables, copy index, scope
 *   (`resourceId()`, `resourceGroup()`) and `deployment()`; `inner` scope gives it its own.
 * - Subscription and resource-group deployments only; management-group and tenant templates and
 *   linked templates are rejected.
 * - `guid(a, b)` hashes `'a-b'`; `uniqueString` is ARM's Murmur-based 13-character hash.
 */
export { planDeployment } from './plan-deployment.js';
export type { PlanInput } from './plan-deployment.js';
export { parseTemplateJson, parseTemplateDocument } from './parse-template-json.js';
export type { ParsedJsonDocument, SourcePosition } from './parse-template-json.js';
export { armGuid } from './arm-guid.js';
export { uniqueString } from './unique-string.js';
export type { JsonObject, JsonValue } from './json.js';
export type {
  DeploymentContext,
  DeploymentPlan,
  NestedDeploymentInfo,
  PlanStep,
  ResourceGroupInfo,
  RuntimeFunctions,
  StepScope,
  SubscriptionInfo,
  TemplateOutput,
} from './deployment-plan.js';
