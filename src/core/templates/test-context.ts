/** Shared fixtures for the template tests: a deployment context and a one-expression evaluator. */
import type { DeploymentContext } from './deployment-plan.js';
import type { JsonObject, JsonValue } from './json.js';
import { planDeployment } from './plan-deployment.js';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const TENANT = '22222222-2222-2222-2222-222222222222';

/** A context for a deployment named `dep1` in subscription SUB (and resource group `rg`, if given). */
export function testContext(overrides: Partial<DeploymentContext> = {}): DeploymentContext {
  return {
    deploymentName: 'dep1',
    tenantId: TENANT,
    subscriptionId: SUB,
    location: 'westeurope',
    subscriptionInfo: (id) => (id === SUB ? { displayName: 'Contoso Prod', managedByTenants: [{ tenantId: 'mt-1' }] } : undefined),
    resourceGroupInfo: (_s, name) => (name.startsWith('missing') ? undefined : { location: name === 'rg-east' ? 'eastus' : 'westeurope', tags: { env: 'test' } }),
    now: () => new Date('2026-03-04T05:06:07.089Z'),
    newGuid: () => '99999999-9999-4999-8999-999999999999',
    ...overrides,
  };
}

/** The value of one template expression string, evaluated as an output of a subscription-level template. */
export function evalExpression(expression: string, extra: { parameters?: JsonObject; variables?: JsonObject; context?: Partial<DeploymentContext> } = {}): JsonValue {
  const params: JsonObject = {};
  for (const [k, v] of Object.entries(extra.parameters ?? {})) params[k] = { type: typeName(v) };
  const plan = planDeployment({
    template: {
      $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: params,
      variables: extra.variables ?? {},
      resources: [],
      outputs: { result: { type: 'object', value: { v: expression } } },
    },
    parameters: extra.parameters ?? {},
    context: testContext(extra.context),
  });
  const out = plan.evaluateOutputs({ reference: () => null, list: () => null }).result?.value as JsonObject;
  return out.v ?? null;
}

function typeName(v: JsonValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}
