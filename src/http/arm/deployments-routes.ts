/**
 * `Microsoft.Resources/deployments` at subscription and resource-group scope: create (PUT),
 * validate (POST …/validate), get, check existence, list, delete, operations. A deployment
 * completes within its PUT, which answers 201 (new name) or 200 with the final
 * `provisioningState` (`Succeeded`, or `Failed` with the `DeploymentFailed` error); pollers stop
 * at once on that terminal state. Resource-group paths are served under both `resourceGroups` and
 * the `resourcegroups` spelling the deployment clients (az, the SDK) send.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../../core/errors.js';
import { registerJsonBodyParser } from '../json-body.js';
import { DEPLOYMENTS_TYPE, type DeploymentDocument } from '../../services/deployments/deployment-record.js';
import type { DeploymentService } from '../../services/deployments/deployment-service.js';
import { armPage } from './arm-paging.js';
import { empty } from './resource-routes.js';
import { DeploymentBodySchema, DeploymentErrorSchema, DeploymentOperationSchema, DeploymentSchema, DeploymentsQuery } from './deployments-schemas.js';

const errors = { 400: DeploymentErrorSchema, 401: DeploymentErrorSchema, 403: DeploymentErrorSchema, 404: DeploymentErrorSchema, 409: DeploymentErrorSchema };
const tags = ['Deployments'];

interface ScopeParams {
  readonly subscriptionId: string;
  readonly resourceGroupName?: string;
}

const SCOPES = [
  { prefix: '/subscriptions/:subscriptionId', suffix: 'AtSubscriptionScope' },
  { prefix: '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName', suffix: '' },
] as const;

function scopeOf(params: ScopeParams): string {
  return params.resourceGroupName === undefined
    ? `/subscriptions/${params.subscriptionId}`
    : `/subscriptions/${params.subscriptionId}/resourceGroups/${params.resourceGroupName}`;
}

// The stored document without its operations, which have their own endpoint.
function render({ operations: _operations, ...deployment }: DeploymentDocument) {
  return deployment;
}

/** Registers the deployment routes. */
export function registerDeploymentRoutes(scoped: FastifyInstance, deployments: DeploymentService): void {
  void scoped.register((child, _options, done) => {
    registerJsonBodyParser(child, { emptyIsUndefined: true, jsonc: true });
    routes(child, deployments);
    done();
  });
}

function routes(scoped: FastifyInstance, deployments: DeploymentService): void {
  const app = scoped.withTypeProvider<TypeBoxTypeProvider>();

  for (const { prefix, suffix } of SCOPES) {
    const collection = `${prefix}/providers/${DEPLOYMENTS_TYPE}`;
    const item = `${collection}/:deploymentName`;
    const params = prefix.includes(':resourceGroupName')
      ? Type.Object({ subscriptionId: Type.String(), resourceGroupName: Type.String() })
      : Type.Object({ subscriptionId: Type.String() });
    const itemParams = Type.Object({ ...params.properties, deploymentName: Type.String() });
    const op = (name: string) => ({ tags, operationId: `Deployments_${name}${suffix}` });

    app.put(item, {
      schema: { ...op('CreateOrUpdate'), params: itemParams, querystring: DeploymentsQuery, body: DeploymentBodySchema, response: { 200: DeploymentSchema, 201: DeploymentSchema, ...errors } },
    }, async (request, reply) => {
      const { document, created } = await deployments.createOrUpdate(request.ctx, scopeOf(request.params), request.params.deploymentName, request.body);
      return reply.status(created ? 201 : 200).send(render(document));
    });

    app.get(item, {
      exposeHeadRoute: false,
      schema: { ...op('Get'), params: itemParams, querystring: DeploymentsQuery, response: { 200: DeploymentSchema, ...errors } },
    }, async (request) => {
      return render(await deployments.get(request.ctx, scopeOf(request.params), request.params.deploymentName));
    });

    app.head(item, { schema: { ...op('CheckExistence'), params: itemParams, querystring: DeploymentsQuery } }, async (request, reply) => {
      const exists = await deployments.get(request.ctx, scopeOf(request.params), request.params.deploymentName).then(() => true, (error: unknown) => {
        if (error instanceof Error && 'kind' in error && error.kind === 'not_found') return false;
        throw error;
      });
      return empty(reply, exists ? 204 : 404);
    });

    app.delete(item, {
      schema: { ...op('Delete'), params: itemParams, querystring: DeploymentsQuery, response: { 200: Type.Null(), 204: Type.Null(), ...errors } },
    }, async (request, reply) => {
      const deleted = await deployments.delete(request.ctx, scopeOf(request.params), request.params.deploymentName);
      return empty(reply, deleted ? 200 : 204);
    });

    app.get(collection, {
      schema: { ...op('List'), params, querystring: DeploymentsQuery, response: { 200: Type.Object({ value: Type.Array(DeploymentSchema), nextLink: Type.Optional(Type.String()) }), ...errors } },
    }, async (request) => {
      return armPage(request, await deployments.list(request.ctx, scopeOf(request.params)), (d) => d.id, render);
    });

    app.post(`${item}/validate`, {
      schema: { ...op('Validate'), params: itemParams, querystring: DeploymentsQuery, body: DeploymentBodySchema, response: { 200: DeploymentSchema, ...errors } },
    }, async (request) => {
      const { document, validatedResources } = await deployments.validate(request.ctx, scopeOf(request.params), request.params.deploymentName, request.body);
      return { ...document, properties: { ...document.properties, validatedResources: [...validatedResources] } };
    });

    const operationsPath = `${item}/operations`;
    app.get(operationsPath, {
      schema: { ...op('Operations_List'), params: itemParams, querystring: DeploymentsQuery, response: { 200: Type.Object({ value: Type.Array(DeploymentOperationSchema), nextLink: Type.Optional(Type.String()) }), ...errors } },
    }, async (request) => {
      const operations = await deployments.operations(request.ctx, scopeOf(request.params), request.params.deploymentName);
      return armPage(request, operations, (o) => o.properties.timestamp + o.operationId, (o) => o);
    });

    app.get(`${operationsPath}/:operationId`, {
      schema: { ...op('Operations_Get'), params: Type.Object({ ...itemParams.properties, operationId: Type.String() }), querystring: DeploymentsQuery, response: { 200: DeploymentOperationSchema, ...errors } },
    }, async (request) => {
      const operations = await deployments.operations(request.ctx, scopeOf(request.params), request.params.deploymentName);
      const found = operations.find((o) => o.operationId.toLowerCase() === request.params.operationId.toLowerCase());
      if (!found) throw notFound('DeploymentOperationNotFound', `Deployment operation '${request.params.operationId}' of deployment '${request.params.deploymentName}' could not be found.`);
      return found;
    });
  }
}
