/**
 * The publishing pipeline as a durable, resumable job. The core's state machine decides; this
 * runner does the work of each step (validation with a test lead, certification, preview,
 * final publish), feeds the outcome back as an event and persists the state after every step,
 * so a restart resumes where it stopped (`resumeAll` at start). Steps that wait for a person
 * (operator review, publisher sign-off) end the run; the person's action starts the next one.
 */
import { DomainError } from '../../core/errors.js';
import { certifyOffer, type CertificationPolicy } from '../../core/marketplace/certification.js';
import { nextAction, type FailureReport, type PipelineEvent, type PublicationState } from '../../core/marketplace/pipeline.js';
import { snapshotOffer } from '../../core/marketplace/versions.js';
import type { Repositories, Store } from '../../storage/port.js';
import { callerName, type Clock, type IdGenerator, type RequestContext } from '../context.js';
import type { ActionCenter } from './action-center.js';
import type { LeadService } from './lead-service.js';
import { offerView, type OfferRef, type OfferService, type OfferView } from './offer-service.js';
import type { PublisherService } from './publisher-service.js';
import { marketplaceDocs, offerKey, type OfferRecord, type PublishJob } from './records.js';

export interface PublishingOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly publishers: PublisherService;
  readonly offers: OfferService;
  readonly actionCenter: ActionCenter;
  readonly leads: LeadService;
  readonly policy: CertificationPolicy;
  /** Where a failed background step is reported (the server's logger). */
  readonly onError?: (error: unknown) => void;
  /** Told after each committed pipeline step (the storefront's index follows published versions). */
  readonly onPublicationChanged?: (ref: OfferRef) => void;
}

export interface PublishingService {
  /** Submits the draft: an immutable snapshot goes through validation, certification and preview. */
  submit(ctx: RequestContext, ref: OfferRef, options?: { notes?: string }): Promise<PublishJob>;
  /** Publisher sign-off: the preview goes live. */
  goLive(ctx: RequestContext, ref: OfferRef): Promise<PublishJob>;
  cancel(ctx: RequestContext, ref: OfferRef): Promise<OfferView>;
  approve(ctx: RequestContext, ref: OfferRef): Promise<OfferView>;
  reject(ctx: RequestContext, ref: OfferRef, report: string): Promise<OfferView>;
  stopDistribution(ctx: RequestContext, ref: OfferRef): Promise<OfferView>;
  getJob(ctx: RequestContext, jobId: string): Promise<PublishJob>;
  listJobs(ctx: RequestContext, ref: OfferRef): Promise<PublishJob[]>;
  /** The last failure report of the offer, if its last submission failed. */
  failureReport(ctx: RequestContext, ref: OfferRef): Promise<FailureReport | undefined>;
  /** Drives every offer whose pipeline has work to do (call once at start). */
  resumeAll(): Promise<void>;
  /** Resolves when no run is in progress (tests, shutdown). */
  idle(): Promise<void>;
}

function reportText(offerId: string, f: FailureReport): string {
  const lines = [`Submission ${f.submission} of offer ${offerId} stopped at step "${f.step}" on ${f.at}.`, ''];
  for (const v of f.violations) lines.push(`- [${v.section}] ${v.field}: ${v.message}`);
  for (const c of f.findings) lines.push(`- [policy ${c.policy}] ${c.field}: ${c.message}`);
  if (f.leadCheck !== undefined && !f.leadCheck.ok) lines.push(`- [lead destination] ${f.leadCheck.message}`);
  if (f.report !== undefined) lines.push(`- ${f.report}`);
  lines.push('', 'Fix the draft and submit again; you can resubmit any number of times.');
  return lines.join('\n');
}

/** Where a job stands, read off the publication state (the state is the truth, the job a view of it). */
function jobOutcome(job: PublishJob, s: PublicationState): Pick<PublishJob, 'state' | 'result'> {
  const sub = s.submission;
  if (sub?.number === job.submission) {
    if (job.target === 'preview' && sub.step === 'publisherSignOff') return { state: 'completed', result: 'succeeded' };
    if (sub.step === 'operatorReview') return { state: 'waiting', result: 'pending' };
    return { state: 'running', result: 'pending' };
  }
  if (s.lastFailure?.submission === job.submission) return { state: 'completed', result: 'failed' };
  const version = job.version;
  if (job.target === 'live' && s.liveVersion !== undefined && s.liveVersion === version) return { state: 'completed', result: 'succeeded' };
  if (job.target === 'preview' && version !== undefined && (s.previewVersion === version || s.liveVersion === version)) return { state: 'completed', result: 'succeeded' };
  return { state: 'completed', result: 'cancelled' };
}

const STEP_WORDS: Record<string, string> = {
  automatedValidation: 'Automated validation',
  certification: 'Certification',
  operatorReview: 'Waiting for the platform operator to review',
  previewCreation: 'Preview creation',
  publisherSignOff: 'Preview ready: waiting for publisher sign-off (Go live)',
  finalPublish: 'Final publish',
};

/** The publishing service and its runner. */
export function createPublishingService(options: PublishingOptions): PublishingService {
  const { store, clock, ids, publishers, offers, actionCenter } = options;
  const now = () => clock.now().toISOString();
  const running = new Map<string, Promise<void>>();

  async function openJobs(repos: Repositories, ref: OfferRef): Promise<PublishJob[]> {
    return (await marketplaceDocs(repos).listJobs(ref.publisherId, ref.offerId)).filter((j) => j.state !== 'completed');
  }

  /** Brings the open jobs of the offer up to date with its state, noting `message` as progress. */
  async function syncJobs(repos: Repositories, record: OfferRecord, message?: string): Promise<PublishJob[]> {
    const done: PublishJob[] = [];
    for (const job of await openJobs(repos, record)) {
      const outcome = jobOutcome(job, record.publication);
      const step = record.publication.submission?.step ?? record.publication.status;
      const progress = message === undefined ? job.progress : [...job.progress, { at: now(), step, message }];
      const next = { ...job, ...outcome, progress, updatedAt: now() };
      await marketplaceDocs(repos).putJob(next);
      if (outcome.state === 'completed') done.push(next);
    }
    return done;
  }

  async function afterStep(before: PublicationState, record: OfferRecord): Promise<void> {
    options.onPublicationChanged?.(record);
    const after = record.publication;
    const publisher = await marketplaceDocs(store).getPublisher(record.publisherId);
    if (publisher === undefined) return;
    const name = record.draft.listing.name || record.draft.alias;
    if (after.lastFailure !== undefined && after.lastFailure !== before.lastFailure && after.status === 'Attention needed') {
      await actionCenter.notify(publisher, {
        offerId: record.offerId,
        subject: `Action needed: ${name} (${record.offerId}) did not pass ${after.lastFailure.step === 'automatedValidation' ? 'automated validation' : 'certification'}`,
        body: reportText(record.offerId, after.lastFailure),
      });
    } else if (after.status === 'Preview' && before.status !== 'Preview') {
      await actionCenter.notify(publisher, {
        offerId: record.offerId,
        subject: `Preview ready: ${name} (${record.offerId})`,
        body: `The preview of ${record.offerId} is ready for its preview audience. Review it, then select Go live to publish it to the marketplace.`,
      });
    } else if (after.status === 'Live' && before.status !== 'Live') {
      await actionCenter.notify(publisher, { offerId: record.offerId, subject: `Live: ${name} (${record.offerId})`, body: `${record.offerId} is live in the marketplace.` });
    }
  }

  /** Commits `event` unless the state moved on meanwhile (a cancel, another runner). */
  async function commit(ref: OfferRef, expected: PublicationState, event: PipelineEvent, message: string): Promise<boolean> {
    const result = await store.transaction(async (tx) => {
      const current = await offers.load(ref, tx);
      if (JSON.stringify(current.publication.submission) !== JSON.stringify(expected.submission) || current.publication.distribution !== expected.distribution) return undefined;
      const record = await offers.applyEvent(tx, ref, event);
      await syncJobs(tx, record, message);
      return record;
    });
    if (result === undefined) return false;
    await afterStep(expected, result);
    return true;
  }

  /** Does one step; false when the pipeline waits for a person or has nothing to do. */
  async function step(ref: OfferRef): Promise<boolean> {
    const record = await offers.load(ref);
    const state = record.publication;
    const action = nextAction(state);
    const at = now();
    const snapshot = async (version: number) => {
      const v = await marketplaceDocs(store).getVersion(ref.publisherId, ref.offerId, version);
      if (v === undefined) throw new Error(`version ${version} of ${ref.offerId} is missing`);
      return v.offer;
    };
    try {
      switch (action.kind) {
        case 'none':
        case 'awaitOperator':
        case 'awaitSignOff':
          return false;
        case 'runAutomatedValidation': {
          const offer = await snapshot(action.version);
          const validation = await offers.check(store, record, offer);
          const setupBroken = validation.violations.some((v) => v.severity === 'error' && v.section === 'Offer setup');
          const lead = setupBroken ? { ok: false, delivered: false, message: 'The lead destination was not contacted: fix Offer setup first.' } : await options.leads.sendSubmissionTestLead(record, offer, state.submission?.number ?? 0);
          const errors = validation.violations.filter((v) => v.severity === 'error').length;
          return commit(ref, state, { type: 'validationCompleted', at, violations: validation.violations, leadCheck: lead.ok ? { ok: true } : { ok: false, message: lead.message } },
            `Automated validation: ${errors} error(s); lead destination: ${lead.message}`);
        }
        case 'runCertification': {
          const offer = await snapshot(action.version);
          const publisher = await marketplaceDocs(store).getPublisher(ref.publisherId);
          if (publisher === undefined) throw new Error(`publisher ${ref.publisherId} is missing`);
          const findings = certifyOffer(offer, publisher.account, options.policy);
          return commit(ref, state, { type: 'certificationCompleted', at, findings, manualApprovalRequired: options.policy.requireManualApproval },
            findings.length === 0 ? 'Certification: the managed-services policy checks passed.' : `Certification: ${findings.length} finding(s).`);
        }
        case 'createPreview': {
          const offer = await snapshot(action.version);
          return commit(ref, state, { type: 'previewCreated', at, planIds: offer.plans.map((p) => p.id) }, 'Preview created: visible to the preview audience only.');
        }
        case 'finalPublish': {
          const offer = await snapshot(action.version);
          return commit(ref, state, { type: 'publishCompleted', at, planIds: offer.plans.map((p) => p.id) }, 'Published to the marketplace.');
        }
        case 'stopDistribution':
          return commit(ref, state, { type: 'distributionStopped', at }, 'Distribution stopped.');
      }
    } catch (error) {
      // A rule refusal is a bug in the runner; anything else (network, storage) fails the step for the publisher to retry.
      if (error instanceof DomainError || state.submission === undefined) throw error;
      options.onError?.(error);
      return commit(ref, state, { type: 'stepFailed', at, report: `Lantern could not complete this step: ${error instanceof Error ? error.message : String(error)}` }, 'The step failed.');
    }
  }

  /** Runs steps until the pipeline waits; one run per offer at a time. */
  function drive(ref: OfferRef): Promise<void> {
    const key = offerKey(ref.publisherId, ref.offerId);
    const previous = running.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      while (await step(ref));
    }).catch((error: unknown) => options.onError?.(error));
    running.set(key, run);
    void run.finally(() => {
      if (running.get(key) === run) running.delete(key);
    });
    return run;
  }

  async function newJob(tx: Repositories, record: OfferRecord, target: PublishJob['target']): Promise<PublishJob> {
    const sub = record.publication.submission;
    const job: PublishJob = {
      id: ids.guid(),
      publisherId: record.publisherId,
      offerId: record.offerId,
      target,
      submission: sub?.number ?? 0,
      ...(sub === undefined ? {} : { version: sub.version }),
      createdAt: now(),
      updatedAt: now(),
      progress: [{ at: now(), step: sub?.step ?? '', message: target === 'preview' ? 'Submitted for preview.' : 'Signed off: going live.' }],
      state: 'running',
      result: 'pending',
    };
    await marketplaceDocs(tx).putJob(job);
    return job;
  }

  async function transitionOnly(ctx: RequestContext, ref: OfferRef, action: 'publish', make: (by: string, at: string) => PipelineEvent, operatorOnly = false): Promise<OfferView> {
    if (operatorOnly && !publishers.isOperator(ctx)) throw new DomainError('forbidden', 'forbidden', 'Only the platform operator reviews certification.');
    const before = (await offers.load(ref)).publication;
    const record = await store.transaction(async (tx) => {
      if (!operatorOnly) await publishers.authorize(ctx, ref.publisherId, action, tx);
      const next = await offers.applyEvent(tx, ref, make(callerName(ctx), now()));
      await syncJobs(tx, next, STEP_WORDS[next.publication.submission?.step ?? ''] ?? `Offer is ${next.publication.status}.`);
      return next;
    });
    await afterStep(before, record);
    void drive(ref);
    return offerView(record);
  }

  return {
    async submit(ctx, ref, submitOptions) {
      const job = await store.transaction(async (tx) => {
        await publishers.authorize(ctx, ref.publisherId, 'publish', tx);
        const record = await offers.load(ref, tx);
        const docs = marketplaceDocs(tx);
        const number = ((await docs.listVersions(ref.publisherId, ref.offerId)).at(-1)?.number ?? 0) + 1;
        const notes = submitOptions?.notes ?? record.draft.certificationNotes;
        const next = await offers.applyEvent(tx, ref, { type: 'submit', at: now(), by: callerName(ctx), version: number, ...(notes === undefined ? {} : { notes }) });
        await docs.putVersion({ ...snapshotOffer(record.draft, number, now()), publisherId: ref.publisherId, createdBy: callerName(ctx), origin: 'submission' });
        return newJob(tx, next, 'preview');
      });
      void drive(ref);
      return job;
    },

    async goLive(ctx, ref) {
      const job = await store.transaction(async (tx) => {
        await publishers.authorize(ctx, ref.publisherId, 'publish', tx);
        const next = await offers.applyEvent(tx, ref, { type: 'goLive', at: now(), by: callerName(ctx) });
        return newJob(tx, next, 'live');
      });
      void drive(ref);
      return job;
    },

    cancel: (ctx, ref) => transitionOnly(ctx, ref, 'publish', (by, at) => ({ type: 'cancel', at, by })),
    approve: (ctx, ref) => transitionOnly(ctx, ref, 'publish', (by, at) => ({ type: 'operatorApproved', at, by }), true),
    reject: (ctx, ref, report) => transitionOnly(ctx, ref, 'publish', (by, at) => ({ type: 'operatorRejected', at, by, report }), true),
    stopDistribution: (ctx, ref) => transitionOnly(ctx, ref, 'publish', (by, at) => ({ type: 'stopDistribution', at, by })),

    async getJob(ctx, jobId) {
      const job = await marketplaceDocs(store).getJob(jobId);
      if (job === undefined) throw new DomainError('not_found', 'resourceNotFound', `Publish job ${jobId} does not exist.`);
      await publishers.authorize(ctx, job.publisherId, 'edit');
      return job;
    },

    async listJobs(ctx, ref) {
      await publishers.authorize(ctx, ref.publisherId, 'edit');
      return (await marketplaceDocs(store).listJobs(ref.publisherId, ref.offerId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async failureReport(ctx, ref) {
      await publishers.authorize(ctx, ref.publisherId, 'edit');
      return (await offers.load(ref)).publication.lastFailure;
    },

    async resumeAll() {
      for (const record of await marketplaceDocs(store).listOffers()) {
        const kind = nextAction(record.publication).kind;
        if (kind !== 'none' && kind !== 'awaitOperator' && kind !== 'awaitSignOff') void drive(record);
      }
      await this.idle();
    },

    async idle() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
