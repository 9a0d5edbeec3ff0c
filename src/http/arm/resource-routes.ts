/**
 * Microsoft.Resources over HTTP: tenants, subscriptions, resource groups, generic resources by id
 * (with child and extension resources) and resource provider registrations. Everything completes
 * within the request: resource group DELETE answers 200 (the SDK's poller accepts a final 200),
 * resource PUT 201/200, DELETE 200 or 204 when there was nothing to delete.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { parseResourceFilter } from '../../core/arm/resource-filter.js';
import { notFound } from '../../core/errors.js';
import { parseScope } from '../../core/scope.js';
import type { ResourceService } from '../../services/resources/resource-service.js';
import { requestPath } from './arm-guard.js';
import { armKeysetPage, armKeysetPageJson, armPage, keysetPageRequest } from './arm-paging.js';
import { expandedFields, expandsNothing, renderProvider, renderResource, renderResourceGroup, renderSubscription, renderTenant } from './arm-render.js';
import {
  ArmQuery,
  armErrors,
  GenericResourceBody,
  GenericResourceSchema,
  listOf,
  ProviderParams,
  ProviderSchema,
  ResourceGroupBody,
  ResourceGroupParams,
  ResourceGroupSchema,
  SubscriptionParams,
  SubscriptionSchema,
  TenantSchema,
} from './arm-schemas.js';

const SUB = '/subscriptions/:subscriptionId';
const RG = `${SUB}/resourceGroups/:resourceGroupName`;

type Query = Type.Static<typeof ArmQuery>;
type ResourceBody = Type.Static<typeof GenericResourceBody>;

/** Answers for requests under `…/resourceGroups/{rg}/providers/…` that another module serves (extension providers). */
export type ExtensionHandler = (request: FastifyRequest, reply: FastifyReply, path: string) => Promise<FastifyReply | undefined>;

/** Registers the Microsoft.Resources routes; `extension` gets the first look at resource-level provider paths. */
export function registerResourceRoutes(scope: FastifyInstance, resources: ResourceService, extension: ExtensionHandler): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const list = { armAuthorization: 'list' as const };

  app.get('/tenants', { config: list, schema: { tags: ['Tenants'], operationId: 'Tenants_List', querystring: ArmQuery, response: { 200: listOf(TenantSchema), ...armErrors } } },
    async (request) => armPage(request, await resources.listTenants(request.ctx), (t) => t.tenant.id, renderTenant));

  app.get('/subscriptions', { config: list, schema: { tags: ['Subscriptions'], operationId: 'Subscriptions_List', querystring: ArmQuery, response: { 200: listOf(SubscriptionSchema), ...armErrors } } },
    async (request) => armPage(request, await resources.listSubscriptions(request.ctx), (s) => s.subscription.subscriptionId, renderSubscription));

  app.get(SUB, { schema: { tags: ['Subscriptions'], operationId: 'Subscriptions_Get', params: SubscriptionParams, querystring: ArmQuery, response: { 200: SubscriptionSchema, ...armErrors } } },
    async (request) => renderSubscription(await resources.getSubscription(request.params.subscriptionId)));

  // Resource groups.
  app.get(`${SUB}/resourceGroups`, {
    config: list,
    schema: { tags: ['ResourceGroups'], operationId: 'ResourceGroups_List', params: SubscriptionParams, querystring: ArmQuery, response: { 200: listOf(ResourceGroupSchema), ...armErrors } },
  }, async (request) => {
    const matches = parseResourceFilter(request.query.$filter);
    const groups = (await resources.listResourceGroups(request.ctx, request.params.subscriptionId)).filter((g) => matches({ name: g.name, location: g.location, tags: g.tags }));
    return armPage(request, groups, (g) => g.name, renderResourceGroup);
  });

  app.get(RG, {
    exposeHeadRoute: false,
    schema: { tags: ['ResourceGroups'], operationId: 'ResourceGroups_Get', params: ResourceGroupParams, querystring: ArmQuery, response: { 200: ResourceGroupSchema, ...armErrors } },
  }, async (request) => renderResourceGroup(await resources.getResourceGroup(request.params.subscriptionId, request.params.resourceGroupName)));

  app.head(RG, { schema: { tags: ['ResourceGroups'], operationId: 'ResourceGroups_CheckExistence', params: ResourceGroupParams, querystring: ArmQuery } },
    async (request, reply) => {
      const exists = await resources.scopeExists(`/subscriptions/${request.params.subscriptionId}/resourceGroups/${request.params.resourceGroupName}`);
      return empty(reply, exists ? 204 : 404);
    });

  app.put(RG, {
    schema: {
      tags: ['ResourceGroups'], operationId: 'ResourceGroups_CreateOrUpdate', params: ResourceGroupParams, querystring: ArmQuery, body: ResourceGroupBody,
      response: { 200: ResourceGroupSchema, 201: ResourceGroupSchema, ...armErrors },
    },
  }, async (request, reply) => {
    const { group, created } = await resources.putResourceGroup(request.params.subscriptionId, request.params.resourceGroupName, request.body);
    return reply.status(created ? 201 : 200).send(renderResourceGroup(group));
  });

  app.patch(RG, {
    schema: { tags: ['ResourceGroups'], operationId: 'ResourceGroups_Update', params: ResourceGroupParams, querystring: ArmQuery, body: ResourceGroupBody, response: { 200: ResourceGroupSchema, ...armErrors } },
  }, async (request) => renderResourceGroup(await resources.patchResourceGroup(request.params.subscriptionId, request.params.resourceGroupName, request.body)));

  app.delete(RG, {
    schema: { tags: ['ResourceGroups'], operationId: 'ResourceGroups_Delete', params: ResourceGroupParams, querystring: ArmQuery, response: { 200: Type.Null(), ...armErrors } },
  }, async (request, reply) => {
    await resources.deleteResourceGroup(request.params.subscriptionId, request.params.resourceGroupName);
    return empty(reply, 200);
  });

  // Resource lists.
  const listResources = async (request: FastifyRequest<{ Params: { subscriptionId: string; resourceGroupName?: string }; Querystring: Query }>, reply: FastifyReply) => {
    const { subscriptionId, resourceGroupName } = request.params;
    const expand = expandedFields(request.query.$expand);
    if (request.query.$filter === undefined && expandsNothing(expand)) {
      // Each item is its resource's stored listing, answered as stored.
      const listed = await resources.pageResourceListings(request.ctx, subscriptionId, resourceGroupName, keysetPageRequest(request));
      return reply.type('application/json; charset=utf-8').send(armKeysetPageJson(request, listed));
    }
    const page = await resources.pageResources(request.ctx, subscriptionId, resourceGroupName, parseResourceFilter(request.query.$filter), keysetPageRequest(request));
    return armKeysetPage(request, page, (r) => renderResource(r, { full: false, expand }));
  };
  app.get(`${SUB}/resources`, {
    config: list,
    schema: { tags: ['Resources'], operationId: 'Resources_List', params: SubscriptionParams, querystring: ArmQuery, response: { 200: listOf(GenericResourceSchema), ...armErrors } },
  }, listResources);
  app.get(`${RG}/resources`, {
    schema: { tags: ['Resources'], operationId: 'Resources_ListByResourceGroup', params: ResourceGroupParams, querystring: ArmQuery, response: { 200: listOf(GenericResourceSchema), ...armErrors } },
  }, listResources);

  // Resource providers.
  app.get(`${SUB}/providers`, {
    schema: { tags: ['Providers'], operationId: 'Providers_List', params: SubscriptionParams, querystring: ArmQuery, response: { 200: listOf(ProviderSchema), ...armErrors } },
  }, async (request) => armPage(request, await resources.listProviders(request.params.subscriptionId), (p) => p.namespace, renderProvider));
  app.get(`${SUB}/providers/:resourceProviderNamespace`, {
    schema: { tags: ['Providers'], operationId: 'Providers_Get', params: ProviderParams, querystring: ArmQuery, response: { 200: ProviderSchema, ...armErrors } },
  }, async (request) => renderProvider(await resources.getProvider(request.params.subscriptionId, request.params.resourceProviderNamespace)));
  app.post(`${SUB}/providers/:resourceProviderNamespace/register`, {
    schema: { tags: ['Providers'], operationId: 'Providers_Register', params: ProviderParams, querystring: ArmQuery, response: { 200: ProviderSchema, ...armErrors } },
  }, async (request) => renderProvider(await resources.registerProvider(request.params.subscriptionId, request.params.resourceProviderNamespace)));
  app.post(`${SUB}/providers/:resourceProviderNamespace/unregister`, {
    schema: { tags: ['Providers'], operationId: 'Providers_Unregister', params: ProviderParams, querystring: ArmQuery, response: { 200: ProviderSchema, ...armErrors } },
  }, async (request) => renderProvider(await resources.unregisterProvider(request.params.subscriptionId, request.params.resourceProviderNamespace)));

  // Generic resources by id: `…/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{child}/{name}…]`.
  const WildcardParams = Type.Object({
    subscriptionId: Type.String({ description: 'The subscription id (a GUID).' }),
    resourceGroupName: Type.String({ description: 'The resource group name (case-insensitive).' }),
    '*': Type.String({ description: RESOURCE_PATH }),
  });
  const byId = `${RG}/providers/*`;
  const resourceTag = ['Resources'];
  const generic = (summary: string, description: string) => ({ tags: resourceTag, summary, description: `${description}\n\n${GENERIC_PATH}`, params: WildcardParams, querystring: ArmQuery });
  // Also answers for extension resources (role assignments on a resource) and child collections, so the shape is open.
  const AnyResource = Type.Object({}, { additionalProperties: true, description: 'A generic resource (id, name, type, location, tags, kind, sku, properties), a list of them, or an extension resource.' });
  app.get(byId, {
    exposeHeadRoute: false,
    schema: {
      ...generic('Get a resource, list a collection, or get an extension resource', 'A resource (`…/{namespace}/{type}/{name}`), the resources of a child collection (`…/{name}/{childType}`), or a role assignment or other extension resource under a resource.'),
      operationId: 'Resources_Get', response: { 200: AnyResource, ...armErrors },
    },
  }, async (request, reply) => {
    const path = requestPath(request);
    const handled = await extension(request, reply, path);
    if (handled) return handled;
    const collection = collectionOf(path);
    if (collection) {
      const listed = await resources.pageChildren(request.ctx, path, collection.parent, collection.type, keysetPageRequest(request));
      return armKeysetPage(request, listed, (r) => renderResource(r, { full: false }));
    }
    return renderResource(await resources.getResource(path), { full: true });
  });
  app.head(byId, { schema: { ...generic('Does the resource exist?', '204 if it does, 404 if not; no body.'), operationId: 'Resources_CheckExistence' } },
    async (request, reply) => empty(reply, (await resources.scopeExists(requestPath(request))) ? 204 : 404));
  app.put(byId, {
    schema: {
      ...generic('Create or replace a resource', 'Lantern stores the resource as given (location, tags, kind, sku, properties) and answers 201 when it is new, 200 when it replaced one; a role assignment or other extension resource under a resource is created by its own provider.'),
      operationId: 'Resources_CreateOrUpdate', body: GenericResourceBody,
      response: { 200: AnyResource, 201: AnyResource, ...armErrors },
    },
  }, async (request, reply) => {
    const path = requestPath(request);
    const handled = await extension(request, reply, path);
    if (handled) return handled;
    const { resource, created } = await resources.putResource(path, resourceInput(request.body));
    return reply.status(created ? 201 : 200).send(renderResource(resource, { full: true }));
  });
  app.patch(byId, {
    schema: {
      ...generic('Update a resource', 'Merges the given tags, properties, kind and sku into the stored resource.'),
      operationId: 'Resources_Update', body: GenericResourceBody, response: { 200: GenericResourceSchema, ...armErrors },
    },
  }, async (request) => renderResource(await resources.patchResource(requestPath(request), resourceInput(request.body)), { full: true }));
  app.delete(byId, {
    schema: {
      ...generic('Delete a resource', '200 when it was deleted (with its child resources), 204 when there was nothing to delete.'),
      operationId: 'Resources_Delete', response: { 200: AnyResource, 204: Type.Null(), ...armErrors },
    },
  }, async (request, reply) => {
    const path = requestPath(request);
    const handled = await extension(request, reply, path);
    if (handled) return handled;
    return empty(reply, (await resources.deleteResource(path)) ? 200 : 204);
  });
  // POST `…/{name}/{verb}`: Lantern runs no resource provider, so an action on an existing resource is
  // authorized, logged and answered 200 without effect.
  app.post(byId, {
    schema: {
      ...generic('Run an action on a resource', 'The last segment is the action (`…/{name}/restart`). Lantern runs no resource provider: an action on an existing resource is authorized (`{type}/{action}/action`), logged and answered 200 without effect.'),
      operationId: 'Resources_Action', response: { 200: Type.Null(), ...armErrors },
    },
  }, async (request, reply) => {
    const path = requestPath(request);
    const target = path.slice(0, path.lastIndexOf('/'));
    if (parseScope(target).level !== 'resource' || !(await resources.scopeExists(target))) {
      throw notFound('ResourceNotFound', `The Resource '${target}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    return empty(reply, 200);
  });
}

// How /openapi.json describes the generic resource path (Fastify's `*`, documented as `{resourcePath}`).
const RESOURCE_PATH = 'The rest of the resource id after `providers/`: `{namespace}/{type}/{name}`, then `{childType}/{childName}` for each child level '
  + '(`Microsoft.Web/sites/web-1/slots/staging`); an odd number of segments after the namespace names a collection (`Microsoft.Web/sites/web-1/slots`); '
  + 'an extension resource follows a resource id (`Microsoft.Web/sites/web-1/providers/Microsoft.Authorization/roleAssignments/{guid}`). '
  + 'Its slashes are path separators: an escaped one (%2F, which Swagger UI sends) is refused, so call these with curl or an SDK.';
const GENERIC_PATH = 'One route serves every resource type: `resourcePath` is the part of the resource id after `…/resourceGroups/{resourceGroupName}/providers/`, '
  + 'and `api-version` is a version of its type: for the types Lantern serves itself one of those docs/api.md lists, for the types it only stores any dated version (2023-01-01, 2023-01-01-preview).';

/** Ends an answer without a body (DELETE, HEAD, provider-less POST actions). */
export function empty(reply: FastifyReply, status: number): FastifyReply {
  return reply.status(status).send();
}

function resourceInput(body: ResourceBody) {
  return {
    ...(body.location !== undefined ? { location: body.location } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    ...(body.properties !== undefined ? { properties: body.properties as Record<string, unknown> } : {}),
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.sku !== undefined ? { sku: body.sku as Record<string, unknown> } : {}),
  };
}

// `…/providers/{ns}/{type}[/{name}/{child}]` names a collection: an odd number of segments after the namespace.
function collectionOf(path: string): { parent: string; type: string } | undefined {
  const seg = path.split('/').filter((s) => s.length > 0);
  const last = seg.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const rest = seg.slice(last + 2);
  if (rest.length % 2 === 0) return undefined;
  const parent = '/' + seg.slice(0, -1).join('/');
  const namespace = seg[last + 1] ?? '';
  const types = rest.filter((_, i) => i % 2 === 0);
  return { parent: rest.length === 1 ? '/' + seg.slice(0, last).join('/') : parent, type: [namespace, ...types].join('/') };
}
