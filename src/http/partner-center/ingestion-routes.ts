/**
 * The product-ingestion "configure" API (marketplace.md part B) at /rp/product-ingestion: configure
 * jobs and their status, resource trees by target, submissions and products. Errors answer in the
 * ingestion API's shape: `{"error": {"code": "badRequest"|"notFound"|…, "message", "details": [{"code": <inner code>, "message", "target"}]}}`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError, invalid } from '../../core/errors.js';
import { parseTargetType, type TargetType } from '../../core/marketplace/ingestion-schema.js';
import type { Marketplace } from '../../services/marketplace/marketplace.js';
import { toArmError } from '../arm-errors.js';
import { ConfigureBody, GuidParams, INGESTION_TAGS, IngestionVersionQuery, JobParams, ProductQuery, TargetQuery } from './schemas.js';

const OUTER: Record<number, string> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'notFound', 405: 'methodNotAllowed', 408: 'requestTimeout',
  409: 'conflict', 423: 'locked', 429: 'badRequest', 500: 'internalServerError', 501: 'notImplemented', 503: 'serviceUnavailable',
};

/** The ingestion API's error body for any thrown value. */
export function ingestionErrorBody(error: unknown): { status: number; body: { error: { code: string; message: string; details: { code: string; message: string; target?: string }[] } } } {
  const { status, body } = toArmError(error);
  const inner = error instanceof DomainError ? error.code : (error as Partial<FastifyError>).validation ? 'schemaValidationError' : body.error.code;
  const details = error instanceof DomainError && error.details.length > 0
    ? error.details.map((d) => ({ ...d }))
    : [{ code: inner, message: body.error.message, ...(body.error.target === undefined ? {} : { target: body.error.target }) }];
  return { status, body: { error: { code: OUTER[status] ?? 'badRequest', message: body.error.message, details } } };
}

function ingestionErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = ingestionErrorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'ingestion request failed');
  return reply.status(status).send(body);
}

function target(value: string | undefined): TargetType {
  if (value === undefined) return 'draft';
  const parsed = parseTargetType(value);
  if (parsed === undefined) throw invalid('schemaValidationError', `targetType "${value}" must be draft, preview or live.`, 'targetType');
  return parsed;
}

/** Registers the ingestion routes on an authenticated scope, with the ingestion error shape. */
export async function registerIngestionRoutes(scope: FastifyInstance, mp: Marketplace): Promise<void> {
  await scope.register((plugin, _options, done) => {
    plugin.setErrorHandler(ingestionErrorHandler);
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const doc = <T extends object = object>(summary: string, extra?: T) => ({ tags: INGESTION_TAGS, summary, ...(extra as T) });
    const prefix = '/rp/product-ingestion';

    app.post(`${prefix}/configure`, { schema: doc('Submit a configure request (runs as a job)', { querystring: IngestionVersionQuery, body: ConfigureBody }) }, async (req, reply) =>
      reply.status(202).send(await mp.ingestion.configure(req.ctx, req.body, req.query.publisherId)));
    app.get(`${prefix}/configure/:jobId/status`, { schema: doc('Status of a configure job', { params: JobParams, querystring: IngestionVersionQuery }) }, (req) => mp.ingestion.status(req.ctx, req.params.jobId));
    app.get(`${prefix}/configure/:jobId`, { schema: doc('Detail of a completed configure job', { params: JobParams, querystring: IngestionVersionQuery }) }, (req) => mp.ingestion.detail(req.ctx, req.params.jobId));
    app.post(`${prefix}/configure/:jobId/cancel`, { schema: doc('Cancel a configure job', { params: JobParams, querystring: IngestionVersionQuery }) }, (req) => mp.ingestion.cancel(req.ctx, req.params.jobId));
    app.get(`${prefix}/resource-tree/product/:guid`, { schema: doc('The whole product as a configure body, at a target', { params: GuidParams, querystring: TargetQuery }) }, (req) =>
      mp.ingestion.resourceTree(req.ctx, `product/${req.params.guid}`, target(req.query.targetType)));
    for (const path of [`${prefix}/submission/:guid`, `${prefix}/submission/product/:guid`]) {
      app.get(path, { schema: doc('Active submissions of a product (draft, preview, live)', { params: GuidParams, querystring: TargetQuery }) }, async (req) => ({
        value: await mp.ingestion.submissions(req.ctx, `product/${req.params.guid}`, req.query.targetType === undefined ? undefined : target(req.query.targetType)),
      }));
    }
    app.get(`${prefix}/product`, { schema: doc('Products of the caller\'s publishers, by external id', { querystring: ProductQuery }) }, (req) => {
      const externalId = req.query.externalId ?? req.query.externalID;
      return mp.ingestion.products(req.ctx, externalId === undefined ? {} : { externalId });
    });
    done();
  });
}
