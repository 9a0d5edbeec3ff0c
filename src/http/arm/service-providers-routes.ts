/**
 * Lantern.Lighthouse: the Service providers blade (customer side) and the My customers blade
 * (managing tenant) as tenant-level resources of the caller's own directory
 * (docs/lighthouse-views.md). The services authorize every item; removing a delegation is
 * Microsoft.ManagedServices' own registration assignment DELETE.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { definitionResourceId } from '../../services/delegation/delegation-service.js';
import type { MyCustomer, MyCustomersService } from '../../services/delegation/my-customers.js';
import type { ServiceProviderOffer, ServiceProvidersService } from '../../services/delegation/service-providers.js';
import { armPage } from './arm-paging.js';
import { ErrorResponseSchema, ManagedServicesQuery, listOf } from './managed-services-schemas.js';
import { AcceptUpdateBodySchema, CUSTOMERS_TYPE, MyCustomerSchema, OFFERS_TYPE, ServiceProviderOfferSchema } from './service-providers-schemas.js';

const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema };
const OFFERS = `/providers/${OFFERS_TYPE}`;
const CUSTOMERS = `/providers/${CUSTOMERS_TYPE}`;

// The wire types are mutable; the model's lists are read-only, so they are copied on the way out.
type Wire<T> = T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { -readonly [K in keyof T]: Wire<T[K]> } : T;
const copy = <T>(value: T): Wire<T> => structuredClone(value) as Wire<T>;

function renderOffer(o: ServiceProviderOffer) {
  const { updateAvailable } = o;
  return {
    id: `${OFFERS}/${o.name}`,
    type: OFFERS_TYPE,
    name: o.name,
    properties: {
      state: o.state,
      customerTenantId: o.customerTenantId,
      managedByTenantId: o.managedByTenantId,
      ...(o.managedByTenantName !== undefined ? { managedByTenantName: o.managedByTenantName } : {}),
      ...(o.plan ? { plan: copy(o.plan) } : {}),
      ...(o.offerDisplayName !== undefined ? { offerDisplayName: o.offerDisplayName } : {}),
      ...(o.publisherDisplayName !== undefined ? { publisherDisplayName: o.publisherDisplayName } : {}),
      ...(o.planDisplayName !== undefined ? { planDisplayName: o.planDisplayName } : {}),
      ...(o.registrationDefinitionName !== undefined ? { registrationDefinitionName: o.registrationDefinitionName } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
      authorizations: copy(o.authorizations),
      eligibleAuthorizations: copy(o.eligibleAuthorizations),
      registrationDefinitionIds: o.registrationDefinitions.map((d) => definitionResourceId(d.subscriptionId, d.id)),
      delegations: o.delegations.map(({ registrationAssignmentId, scope, registrationDefinitionId, subscriptionId }) => ({ registrationAssignmentId, scope, registrationDefinitionId, subscriptionId })),
      acquisitions: copy(o.acquisitions),
      ...(updateAvailable ? { updateAvailable: { version: updateAvailable.version, marketplaceIdentifier: updateAvailable.marketplaceIdentifier, ...copy(updateAvailable.diff) } } : {}),
    },
  };
}

function renderCustomer(c: MyCustomer) {
  return {
    id: `${CUSTOMERS}/${c.customerTenantId}`,
    type: CUSTOMERS_TYPE,
    name: c.customerTenantId,
    properties: {
      customerTenantId: c.customerTenantId,
      ...(c.customerName !== undefined ? { customerName: c.customerName } : {}),
      offers: c.offers.map(({ pendingUpdate, ...o }) => ({
        ...copy(o),
        ...(pendingUpdate ? { pendingUpdate: { version: pendingUpdate.version, marketplaceIdentifier: pendingUpdate.marketplaceIdentifier, ...copy(pendingUpdate.diff) } } : {}),
      })),
    },
  };
}

/** Registers the Service providers and My customers routes. */
export function registerServiceProvidersRoutes(scoped: FastifyInstance, deps: { serviceProviders: ServiceProvidersService; myCustomers: MyCustomersService }): void {
  const app = scoped.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Lantern.Lighthouse'];
  const offerParams = Type.Object({ offerName: Type.String() });

  app.get(OFFERS, {
    schema: { tags, operationId: 'ServiceProviderOffers_List', querystring: ManagedServicesQuery, response: { 200: listOf(ServiceProviderOfferSchema), ...errors } },
  }, async (request) => {
    return armPage(request, await deps.serviceProviders.list(request.ctx), (o) => o.name, renderOffer);
  });

  app.get(`${OFFERS}/:offerName`, {
    schema: { tags, operationId: 'ServiceProviderOffers_Get', params: offerParams, querystring: ManagedServicesQuery, response: { 200: ServiceProviderOfferSchema, ...errors } },
  }, async (request) => {
    return renderOffer(await deps.serviceProviders.get(request.ctx, request.params.offerName));
  });

  app.post(`${OFFERS}/:offerName/acceptUpdate`, {
    schema: {
      tags, operationId: 'ServiceProviderOffers_AcceptUpdate', params: offerParams, querystring: ManagedServicesQuery, body: AcceptUpdateBodySchema,
      description: 'Moves every delegated scope of the offer to the newest live manifest version, in one transaction. Needs `Microsoft.Authorization/roleAssignments/write` (Owner) on each delegated subscription.',
      response: { 200: ServiceProviderOfferSchema, ...errors },
    },
  }, async (request) => {
    return renderOffer(await deps.serviceProviders.acceptUpdate(request.ctx, request.params.offerName, request.body.version));
  });

  app.get(CUSTOMERS, {
    schema: { tags, operationId: 'MyCustomers_List', querystring: ManagedServicesQuery, response: { 200: listOf(MyCustomerSchema), ...errors } },
  }, async (request) => {
    return armPage(request, await deps.myCustomers.list(request.ctx), (c) => c.customerTenantId, renderCustomer);
  });
}
