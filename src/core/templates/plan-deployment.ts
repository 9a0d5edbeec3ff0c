/**
 * Entry point of template planning: template text or object + parameters + deployment context
 * in, a fully evaluated and ordered `DeploymentPlan` out. Nothing is executed; every template
 * error surfaces here as `InvalidTemplate`.
 */
import type { JsonObject, JsonValue } from './json.js';
import { parseTemplateDocument } from './parse-template-json.js';
import type { SourcePosition } from './parse-template-json.js';
import { checkTemplateShape } from './template-schema.js';
import { readSuppliedParameters } from './parameters.js';
import { TemplateEnvironment } from './environment.js';
import { planTemplate } from './plan-template.js';
import { scopeId } from './resource-ids.js';
import { templateError } from './template-error.js';
import { validateTree } from './template-values.js';
import type { DeploymentContext, DeploymentPlan, StepScope } from './deployment-plan.js';

export interface PlanInput {
  /** The template as JSON text (comments allowed; line/column then appear in errors) or as a parsed object. */
  readonly template: string | JsonObject;
  /**
   * The parameter values: a plain `{ name: value }` object, or a parameters file
   * `{ "$schema", "contentVersion", "parameters": { "name": { "value": … } } }` (text or object).
   * To pass a REST body's `properties.parameters`, wrap it: `{ parameters: body.properties.parameters }`.
   */
  readonly parameters?: string | JsonObject;
  readonly context: DeploymentContext;
}

/** Validates and evaluates a template for a deployment into an ordered plan of resource puts. */
export function planDeployment(input: PlanInput): DeploymentPlan {
  const { context } = input;
  let templateValue: JsonValue;
  let positions: ReadonlyMap<string, SourcePosition> | undefined;
  if (typeof input.template === 'string') {
    const doc = parseTemplateDocument(input.template);
    templateValue = doc.value;
    positions = doc.positions;
  } else {
    templateValue = input.template;
  }
  const parameters = typeof input.parameters === 'string' ? parseTemplateDocument(input.parameters).value : input.parameters;
  const { template, resources, scope: schemaKind } = checkTemplateShape(templateValue, '');
  // Like ARM, reject unknown functions and malformed expressions anywhere, also in parts never evaluated.
  validateTree(template, '');
  const atResourceGroup = context.resourceGroup !== undefined;
  const expected = atResourceGroup ? 'resourceGroup' : 'subscription';
  if (schemaKind !== expected) {
    throw templateError(
      '$schema',
      `The template schema '${template.$schema as string}' is for ${schemaKind} deployments, but this is a ${atResourceGroup ? 'resource group' : 'subscription'}-level deployment.`,
    );
  }
  const evalScope = atResourceGroup
    ? { tenantId: context.tenantId, subscriptionId: context.subscriptionId, resourceGroup: context.resourceGroup }
    : { tenantId: context.tenantId, subscriptionId: context.subscriptionId };
  const env = new TemplateEnvironment({
    template,
    path: '',
    scope: evalScope,
    deploymentName: context.deploymentName,
    host: context,
    supplied: readSuppliedParameters(parameters),
    ...(positions ? { positions } : {}),
  });
  env.validate();
  const deploymentId = `${scopeId(context.subscriptionId, context.resourceGroup)}/providers/Microsoft.Resources/deployments/${context.deploymentName}`;
  const plan = planTemplate({ template, resources, path: '', env, outerCopies: [], target: evalScope, deploymentId, host: context });
  const scope: StepScope = atResourceGroup ? { subscriptionId: context.subscriptionId, resourceGroup: context.resourceGroup } : { subscriptionId: context.subscriptionId };
  return {
    deploymentName: context.deploymentName,
    deploymentId,
    scope,
    parameters: env.parameterRecord(),
    steps: plan.steps,
    evaluateOutputs: (runtime) => plan.outputs(runtime),
  };
}
