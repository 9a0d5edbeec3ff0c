/**
 * The product-ingestion "configure" API over the offer services: a configure request runs as a
 * job (status persisted, re-run at start when it was interrupted), is read by the core's
 * ingestion mapping, applied to the publisher's draft, and may end in a submission to preview or
 * live. Resource trees and submissions are read back by durable id.
 */
import { DomainError, notFound } from '../../core/errors.js';
import { fromIngestionResources, toIngestionResources, validateIngestion, type ConfigureRequest } from '../../core/marketplace/ingestion.js';
import { DurableIds, MICROSOFT_SCHEMA_BASES, schemaUrl, type IngestionError, type TargetType } from '../../core/marketplace/ingestion-schema.js';
import type { Offer } from '../../core/marketplace/model.js';
import type { Store } from '../../storage/port.js';
import type { Clock, IdGenerator, RequestContext } from '../context.js';
import { publishedOffer, type OfferRef, type OfferService } from './offer-service.js';
import type { PublisherService } from './publisher-service.js';
import type { PublishingService } from './publishing-service.js';
import { restoreIngestionLeadSecrets, withMaskedLeadSecrets } from './lead-secrets.js';
import { COLLECTIONS, marketplaceDocs, type OfferRecord } from './records.js';
import { validationContext } from './validation-context.js';

/** `configure-status` as the ingestion API returns it. */
export interface ConfigureStatus {
  readonly $schema: string;
  readonly jobId: string;
  readonly jobStatus: 'notStarted' | 'running' | 'completed';
  readonly jobResult: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  readonly jobStart: string;
  readonly jobEnd: string;
  readonly resourceUri?: string;
  readonly errors: readonly IngestionError[];
}

interface ConfigureJob {
  readonly status: ConfigureStatus;
  readonly publisherId: string;
  /** The caller, so an interrupted job re-runs with the same rights. */
  readonly ctx: RequestContext;
  readonly body: unknown;
  /** Durable ids the job created or updated, and warnings that did not fail it. */
  readonly resources: readonly string[];
  readonly warnings: readonly IngestionError[];
  /** The publish job a submission started. */
  readonly publishJobId?: string;
}

export interface SubmissionView {
  readonly $schema: string;
  readonly id: string;
  readonly product: string;
  readonly target: { readonly targetType: TargetType };
  readonly status: 'notStarted' | 'running' | 'completed';
  readonly result: 'pending' | 'succeeded' | 'failed';
  readonly created: string;
  readonly lifecycleState: 'generallyAvailable';
}

export interface IngestionService {
  /** Starts a configure job for the publisher the caller acts for. */
  configure(ctx: RequestContext, body: unknown, publisherId?: string): Promise<ConfigureStatus>;
  status(ctx: RequestContext, jobId: string): Promise<ConfigureStatus>;
  /** `configure-detail`: the resources a finished job touched (fails while the job runs). */
  detail(ctx: RequestContext, jobId: string): Promise<ConfigureStatus & { readonly resources: readonly { readonly id: string }[]; readonly warnings: readonly IngestionError[]; readonly publishJobId?: string }>;
  cancel(ctx: RequestContext, jobId: string): Promise<ConfigureStatus>;
  resourceTree(ctx: RequestContext, durableId: string, targetType: TargetType): Promise<ConfigureRequest & { readonly root: string; readonly target: { readonly targetType: TargetType } }>;
  submissions(ctx: RequestContext, productDurableId: string, targetType?: TargetType): Promise<SubmissionView[]>;
  products(ctx: RequestContext, filter: { externalId?: string }): Promise<{ value: readonly Record<string, unknown>[] }>;
  /** Re-runs jobs a restart interrupted. */
  resumeAll(): Promise<void>;
  /** Resolves when no configure job is running. */
  idle(): Promise<void>;
}

const NEVER = '0001-01-01T00:00:00';
const STATUS_SCHEMA = `${MICROSOFT_SCHEMA_BASES[0]}/configure-status/2022-03-01-preview2`;
const TREE_SCHEMA = `${MICROSOFT_SCHEMA_BASES[0]}/resource-tree/2022-03-01-preview2`;

function ingestionError(kind: DomainError['kind'], code: string, message: string): DomainError {
  return new DomainError(kind, code, message);
}

/**
 * The offer a configure body is about: the one its product resource's durable `id` names (so a
 * different externalId beside it is refused as an id change, not made a second offer), else its
 * product resource's externalId, else a durable product reference.
 */
function targetOfferId(body: unknown, offers: readonly OfferRecord[]): string | undefined {
  const resources = Array.isArray(body) ? (body as unknown[]) : typeof body === 'object' && body !== null ? (body as { resources?: unknown }).resources : undefined;
  if (!Array.isArray(resources)) return undefined;
  const durable = (id: unknown) => (typeof id === 'string' ? offers.find((o) => new DurableIds(o.publisherId, o.offerId).product() === id.toLowerCase())?.offerId : undefined);
  for (const r of resources as Record<string, unknown>[]) {
    const identity = r?.identity as { externalId?: unknown } | undefined;
    if (typeof r?.$schema === 'string' && r.$schema.includes('/product/')) {
      const named = durable(r.id);
      if (named !== undefined) return named;
      if (typeof identity?.externalId === 'string') return identity.externalId;
    }
  }
  for (const r of resources as Record<string, unknown>[]) {
    const ref = r?.product as { externalId?: unknown } | undefined;
    if (typeof ref === 'object' && ref !== null && typeof ref.externalId === 'string') return ref.externalId;
    const product = typeof r?.product === 'string' ? r.product.toLowerCase() : typeof r?.id === 'string' && r.id.startsWith('product/') ? r.id.toLowerCase() : undefined;
    const match = offers.find((o) => new DurableIds(o.publisherId, o.offerId).product() === product);
    if (match !== undefined) return match.offerId;
  }
  return undefined;
}

/** The ingestion service. */
export function createIngestionService(deps: {
  store: Store; clock: Clock; ids: IdGenerator; publishers: PublisherService; offers: OfferService; publishing: PublishingService;
  requireLeadDestination: boolean; onError?: (error: unknown) => void;
}): IngestionService {
  const { store, clock, ids, publishers, offers, publishing } = deps;
  const running = new Set<Promise<void>>();
  const now = () => clock.now().toISOString();

  const getJob = (id: string) => store.documents.get<ConfigureJob>(COLLECTIONS.configureJobs, id);
  const putJob = (job: ConfigureJob) => store.documents.put(COLLECTIONS.configureJobs, job.status.jobId, job.publisherId, job);

  async function visibleJob(ctx: RequestContext, jobId: string): Promise<ConfigureJob> {
    const job = await getJob(jobId);
    if (job === undefined) throw notFound('resourceNotFound', `Configure job ${jobId} does not exist.`);
    await publishers.authorize(ctx, job.publisherId, 'edit');
    return job;
  }

  async function actingPublisher(ctx: RequestContext, publisherId: string | undefined): Promise<string> {
    if (publisherId !== undefined) return publisherId;
    const mine = await publishers.list(ctx);
    if (mine.length === 1 && mine[0] !== undefined) return mine[0].account.publisherId;
    throw ingestionError('invalid', 'invalidRequest', mine.length === 0
      ? 'The caller is not a member of any publisher account: enroll one in Partner Center first.'
      : `The caller belongs to ${mine.length} publishers: name one with ?publisherId=.`);
  }

  async function finish(job: ConfigureJob, change: Partial<ConfigureJob> & { result: ConfigureStatus['jobResult']; errors?: readonly IngestionError[] }): Promise<void> {
    const { result, errors, ...rest } = change;
    await putJob({ ...job, ...rest, status: { ...job.status, jobStatus: 'completed', jobResult: result, jobEnd: now(), errors: errors ?? [] } });
  }

  async function run(job: ConfigureJob): Promise<void> {
    const { ctx, publisherId } = job;
    await putJob({ ...job, status: { ...job.status, jobStatus: 'running' } });
    const all = await marketplaceDocs(store).listOffers(publisherId);
    const offerId = targetOfferId(job.body, all);
    const existingRecord = offerId === undefined ? undefined : all.find((o) => o.offerId === offerId);
    const existing = existingRecord?.draft;
    const published = existingRecord === undefined ? undefined : await publishedOffer(store, existingRecord);
    // An exported tree carries placeholders for secrets: read them as the secrets the draft (else the published version) holds.
    const body = restoreIngestionLeadSecrets(job.body, [existing?.setup.customerLeads, published?.setup.customerLeads]);
    const parsed = fromIngestionResources(body, { publisherId, existing });
    // Checked against what was last published too, so a change the live offer forbids is a warning now, not a pipeline failure later.
    const context = await validationContext(store, parsed.offer ?? ({ plans: [] } as unknown as Offer), {
      otherOfferIds: all.map((o) => o.offerId).filter((id) => id !== offerId),
      published,
      requireLeadDestination: deps.requireLeadDestination,
    });
    const result = validateIngestion(body, { publisherId, existing, ...context });
    // A draft may be pushed unfinished: only schema and reference errors fail the job; rule violations
    // are reported as warnings and stop a submission in the pipeline, with the same messages.
    const blocking = result.errors.filter((e) => e.code !== 'businessValidationError');
    const business = result.errors.filter((e) => e.code === 'businessValidationError');
    if (blocking.length > 0 || result.offer === undefined) {
      await finish(job, { result: 'failed', errors: blocking, warnings: [...business, ...result.warnings] });
      return;
    }
    const offer = result.offer;
    const ref: OfferRef = { publisherId, offerId: offer.id };
    if (existingRecord === undefined) await offers.create(ctx, publisherId, { offerId: offer.id, alias: offer.alias });
    await offers.replaceDraft(ctx, ref, offer);
    if (result.privateAudienceUpdates.length > 0) await offers.syncPrivateAudience(ctx, ref);
    let publishJobId: string | undefined;
    if (result.submission?.targetType === 'preview') publishJobId = (await publishing.submit(ctx, ref)).id;
    if (result.submission?.targetType === 'live') publishJobId = (await publishing.goLive(ctx, ref)).id;
    const touched = toIngestionResources(offer).resources.map((r) => r.id).filter((id): id is string => typeof id === 'string');
    await finish(job, {
      result: 'succeeded',
      resources: touched,
      warnings: [...business, ...result.warnings],
      ...(publishJobId === undefined ? {} : { publishJobId }),
      status: { ...job.status, resourceUri: `resource-tree/${new DurableIds(publisherId, offer.id).product()}` },
    });
  }

  function start(job: ConfigureJob): void {
    const p = run(job)
      .catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof DomainError)) deps.onError?.(error);
        const code = error instanceof DomainError && error.kind === 'forbidden' ? 'invalidRequest' : 'invalidState';
        await finish(job, { result: 'failed', errors: [{ code, message, resource: 'configure' }] });
      })
      .catch((error: unknown) => deps.onError?.(error));
    running.add(p);
    void p.finally(() => running.delete(p));
  }

  async function recordFor(ctx: RequestContext, durableId: string): Promise<OfferRecord> {
    const product = /^product\/([0-9a-f-]{36})$/i.exec(durableId.trim());
    if (product === null) throw ingestionError('invalid', 'invalidId', `"${durableId}" is not a product durable id (product/<guid>).`);
    const all = await marketplaceDocs(store).listOffers();
    const record = all.find((o) => new DurableIds(o.publisherId, o.offerId).product() === durableId.trim().toLowerCase());
    if (record === undefined) throw notFound('resourceNotFound', `Product ${durableId} does not exist.`);
    await publishers.authorize(ctx, record.publisherId, 'edit');
    return record;
  }

  async function offerAt(record: OfferRecord, target: TargetType): Promise<Offer | undefined> {
    if (target === 'draft') return record.draft;
    const n = target === 'preview' ? record.publication.previewVersion : record.publication.liveVersion;
    return n === undefined ? undefined : (await marketplaceDocs(store).getVersion(record.publisherId, record.offerId, n))?.offer;
  }

  return {
    async configure(ctx, body, publisherId) {
      const pid = await actingPublisher(ctx, publisherId);
      await publishers.authorize(ctx, pid, 'edit');
      const job: ConfigureJob = {
        status: { $schema: STATUS_SCHEMA, jobId: ids.guid(), jobStatus: 'notStarted', jobResult: 'pending', jobStart: now(), jobEnd: NEVER, errors: [] },
        publisherId: pid,
        ctx,
        body,
        resources: [],
        warnings: [],
      };
      await putJob(job);
      start(job);
      return job.status;
    },

    async status(ctx, jobId) {
      return (await visibleJob(ctx, jobId)).status;
    },

    async detail(ctx, jobId) {
      const job = await visibleJob(ctx, jobId);
      if (job.status.jobStatus !== 'completed') throw ingestionError('invalid', 'invalidState', `Configure job ${jobId} has not completed yet; poll configure/${jobId}/status.`);
      return { ...job.status, resources: job.resources.map((id) => ({ id })), warnings: job.warnings, ...(job.publishJobId === undefined ? {} : { publishJobId: job.publishJobId }) };
    },

    async cancel(ctx, jobId) {
      const job = await visibleJob(ctx, jobId);
      if (job.status.jobStatus === 'completed') throw ingestionError('invalid', 'invalidState', 'Cannot cancel job, job has already completed.');
      // A job starts the moment it is accepted and runs in one pass, so there is nothing left to cancel.
      throw ingestionError('conflict', 'invalidState', `Configure job ${jobId} is ${job.status.jobStatus} and can no longer be cancelled.`);
    },

    async resourceTree(ctx, durableId, targetType) {
      const record = await recordFor(ctx, durableId);
      const offer = await offerAt(record, targetType);
      if (offer === undefined) throw notFound('notDeployed', `Product ${durableId} has no ${targetType} version yet${targetType === 'live' ? ' (it was never published live)' : ''}.`);
      // Lead-destination secrets are never echoed; pushing the tree back keeps the stored ones (see run).
      const tree = toIngestionResources(withMaskedLeadSecrets(offer));
      return { ...tree, $schema: TREE_SCHEMA, root: durableId, target: { targetType } };
    },

    async submissions(ctx, productDurableId, targetType) {
      const record = await recordFor(ctx, productDurableId);
      const p = record.publication;
      const product = new DurableIds(record.publisherId, record.offerId).product();
      const guid = product.slice('product/'.length);
      const schema = schemaUrl('submission');
      const out: SubmissionView[] = [{ $schema: schema, id: `submission/${guid}/0`, product, target: { targetType: 'draft' }, status: 'completed', result: 'succeeded', created: record.updatedAt, lifecycleState: 'generallyAvailable' }];
      const sub = p.submission;
      const failed = p.lastFailure;
      if (sub !== undefined) {
        const done = sub.step === 'publisherSignOff';
        out.push({ $schema: schema, id: `submission/${guid}/${sub.number}`, product, target: { targetType: sub.step === 'finalPublish' ? 'live' : 'preview' }, status: done ? 'completed' : 'running', result: done ? 'succeeded' : 'pending', created: sub.submittedAt, lifecycleState: 'generallyAvailable' });
      } else if (failed !== undefined) {
        out.push({ $schema: schema, id: `submission/${guid}/${failed.submission}`, product, target: { targetType: 'preview' }, status: 'completed', result: 'failed', created: failed.at, lifecycleState: 'generallyAvailable' });
      }
      const versions = await marketplaceDocs(store).listVersions(record.publisherId, record.offerId);
      for (const [target, n] of [['preview', p.previewVersion], ['live', p.liveVersion]] as const) {
        if (n === undefined || (sub !== undefined && target === 'preview')) continue;
        const created = versions.find((v) => v.number === n)?.createdAt ?? record.updatedAt;
        out.push({ $schema: schema, id: `submission/${guid}/${n}`, product, target: { targetType: target }, status: 'completed', result: 'succeeded', created, lifecycleState: 'generallyAvailable' });
      }
      return targetType === undefined ? out : out.filter((s) => s.target.targetType === targetType);
    },

    async products(ctx, filter) {
      const mine = await publishers.list(ctx);
      const value: Record<string, unknown>[] = [];
      for (const pub of mine) {
        for (const o of await marketplaceDocs(store).listOffers(pub.account.publisherId)) {
          if (filter.externalId !== undefined && filter.externalId !== o.offerId) continue;
          const product = toIngestionResources(o.draft).resources[0];
          if (product !== undefined) value.push(product);
        }
      }
      return { value };
    },

    async resumeAll() {
      for (const job of await store.documents.list<ConfigureJob>(COLLECTIONS.configureJobs)) {
        if (job.status.jobStatus !== 'completed') start(job);
      }
      await this.idle();
    },

    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
