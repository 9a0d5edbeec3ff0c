/**
 * ARM template evaluation, pure: parse a template (JSON with comments), validate it, evaluate its
 * expressions and produce the ordered plan of resource puts a deployment executes.
 *
 * - {@link planDeployment}: template + parameters + context → {@link DeploymentPlan}
 * - {@link parseTemplateJson} / {@link parseTemplateDocument}: the JSON-with-comments reader
 * - {@link armGuid} / {@link uniqueString}: the deterministic `guid()` and `uniqueString()` of ARM
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
