/**
 * The publishing pipeline as a pure state machine: `transition(state, event) → state`. The state is plain
 * JSON, so a durable job runner persists it after every step and resumes from `nextAction(state)` after
 * a restart; the runner does the work (validation, certification, preview creation, final publish) and
 * feeds the outcome back as an event. Illegal events throw a `conflict` DomainError with code `invalidState`.
 *
 * Draft ─submit→ Publish in progress [automatedValidation → certification → (operatorReview) → previewCreation]
 *   → Preview [publisherSignOff] ─goLive→ Publish in progress [finalPublish] → Live
 * Any failure → Attention needed (resubmit any number of times); cancel is allowed until Go live.
 * Live ─stopDistribution→ Pending stop distribution → Not available ─submit…→ Live again.
 */
import { DomainError } from '../errors.js';
import type { CertificationFinding } from './certification.js';
import type { Violation } from './rules.js';

export type OfferStatus = 'Draft' | 'Publish in progress' | 'Attention needed' | 'Preview' | 'Live' | 'Pending stop distribution' | 'Not available';

export type PipelineStep = 'automatedValidation' | 'certification' | 'operatorReview' | 'previewCreation' | 'publisherSignOff' | 'finalPublish';

export type HistoryEventName =
  | 'Created offer'
  | 'Created plan'
  | 'Deleted plan'
  | 'Submitted offer to preview'
  | 'Automated validation failed'
  | 'Certification failed'
  | 'Approved by the platform operator'
  | 'Preview created'
  | 'Initiated submit-to-preview cancellation'
  | 'Canceled submission to preview'
  | 'Sign-off to go live'
  | 'Published to marketplace'
  | 'Publishing failed'
  | 'Initiated plan Stop distribution'
  | 'Resume distribution'
  | 'Sync private audience'
  | 'Stop distribution offer'
  | 'Distribution stopped';

export interface HistoryEvent {
  readonly at: string;
  /** The user who acted; undefined for the platform itself (the portal shows "Lantern"). */
  readonly by?: string;
  readonly event: HistoryEventName;
  readonly detail?: string;
}

export type LeadCheckResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Why the last submission stopped: e-mailed to the publisher as the failure report. */
export interface FailureReport {
  readonly submission: number;
  readonly step: PipelineStep;
  readonly at: string;
  readonly violations: readonly Violation[];
  readonly findings: readonly CertificationFinding[];
  readonly leadCheck?: LeadCheckResult;
  /** The operator's or the runner's words. */
  readonly report?: string;
}

export interface Submission {
  readonly number: number;
  /** The offer snapshot (version number) being published. */
  readonly version: number;
  readonly step: PipelineStep;
  readonly submittedAt: string;
  readonly submittedBy: string;
  readonly notes?: string;
}

export interface PublicationState {
  readonly offerId: string;
  readonly status: OfferStatus;
  readonly submission?: Submission;
  /** Version the preview audience sees; after Go live it is the live version too. */
  readonly previewVersion?: number;
  readonly liveVersion?: number;
  readonly distribution: 'active' | 'stopping' | 'stopped';
  /** Plans that ever reached preview: they can no longer be deleted. */
  readonly publishedPlanIds: readonly string[];
  readonly livePlanIds: readonly string[];
  readonly stoppedPlanIds: readonly string[];
  readonly lastFailure?: FailureReport;
  readonly nextSubmissionNumber: number;
  readonly history: readonly HistoryEvent[];
}

export type PipelineEvent =
  | { readonly type: 'submit'; readonly at: string; readonly by: string; readonly version: number; readonly notes?: string }
  | { readonly type: 'validationCompleted'; readonly at: string; readonly violations: readonly Violation[]; readonly leadCheck: LeadCheckResult }
  | { readonly type: 'certificationCompleted'; readonly at: string; readonly findings: readonly CertificationFinding[]; readonly manualApprovalRequired: boolean }
  | { readonly type: 'operatorApproved'; readonly at: string; readonly by: string }
  | { readonly type: 'operatorRejected'; readonly at: string; readonly by: string; readonly report: string }
  | { readonly type: 'previewCreated'; readonly at: string; readonly planIds: readonly string[] }
  | { readonly type: 'goLive'; readonly at: string; readonly by: string }
  | { readonly type: 'publishCompleted'; readonly at: string; readonly planIds: readonly string[] }
  | { readonly type: 'stepFailed'; readonly at: string; readonly report: string }
  | { readonly type: 'cancel'; readonly at: string; readonly by: string }
  | { readonly type: 'stopDistribution'; readonly at: string; readonly by: string }
  | { readonly type: 'distributionStopped'; readonly at: string }
  | { readonly type: 'stopPlanDistribution'; readonly at: string; readonly by: string; readonly planId: string }
  | { readonly type: 'resumePlanDistribution'; readonly at: string; readonly by: string; readonly planId: string }
  | { readonly type: 'syncPrivateAudience'; readonly at: string; readonly by: string }
  | { readonly type: 'planCreated'; readonly at: string; readonly by: string; readonly planId: string; readonly name: string }
  | { readonly type: 'planDeleted'; readonly at: string; readonly by: string; readonly planId: string };

/** What the job runner must do next to move the pipeline on. */
export type NextAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'runAutomatedValidation'; readonly version: number }
  | { readonly kind: 'runCertification'; readonly version: number }
  | { readonly kind: 'awaitOperator'; readonly version: number }
  | { readonly kind: 'createPreview'; readonly version: number }
  | { readonly kind: 'awaitSignOff'; readonly version: number }
  | { readonly kind: 'finalPublish'; readonly version: number }
  | { readonly kind: 'stopDistribution' };

/** A new offer's publication state, with the "Created offer" history event. */
export function initialPublicationState(offerId: string, at: string, by: string): PublicationState {
  return {
    offerId,
    status: 'Draft',
    distribution: 'active',
    publishedPlanIds: [],
    livePlanIds: [],
    stoppedPlanIds: [],
    nextSubmissionNumber: 1,
    history: [{ at, by, event: 'Created offer' }],
  };
}

function illegal(state: PublicationState, what: string): DomainError {
  const step = state.submission === undefined ? '' : ` (step ${state.submission.step})`;
  return new DomainError('conflict', 'invalidState', `Can't ${what} while offer ${state.offerId} is ${state.status}${step}.`, { target: 'status' });
}

/** The status an offer rests in when nothing is being published. */
function restingStatus(s: PublicationState): OfferStatus {
  if (s.liveVersion === undefined) return 'Draft';
  if (s.distribution === 'stopped') return 'Not available';
  if (s.distribution === 'stopping') return 'Pending stop distribution';
  return 'Live';
}

function log(s: PublicationState, ...events: HistoryEvent[]): readonly HistoryEvent[] {
  return [...s.history, ...events];
}

function atStep(s: PublicationState, step: PipelineStep, what: string): Submission {
  if (s.submission?.step !== step) throw illegal(s, what);
  return s.submission;
}

function fail(s: PublicationState, sub: Submission, at: string, event: HistoryEventName, report: Omit<FailureReport, 'submission' | 'step' | 'at'>): PublicationState {
  const { submission: _dropped, ...rest } = s;
  return {
    ...rest,
    status: 'Attention needed',
    lastFailure: { submission: sub.number, step: sub.step, at, ...report },
    history: log(s, { at, event, ...(report.report === undefined ? {} : { detail: report.report }) }),
  };
}

function advance(s: PublicationState, sub: Submission, step: PipelineStep, status: OfferStatus, ...events: HistoryEvent[]): PublicationState {
  return { ...s, status, submission: { ...sub, step }, history: log(s, ...events) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Applies one event to the publication state, or throws when the event is illegal now. */
export function transition(s: PublicationState, e: PipelineEvent): PublicationState {
  switch (e.type) {
    case 'submit': {
      if (s.submission !== undefined || s.distribution === 'stopping') throw illegal(s, 'submit the offer');
      const { lastFailure: _cleared, ...rest } = s;
      const submission: Submission = {
        number: s.nextSubmissionNumber,
        version: e.version,
        step: 'automatedValidation',
        submittedAt: e.at,
        submittedBy: e.by,
        ...(e.notes === undefined ? {} : { notes: e.notes }),
      };
      return { ...rest, status: 'Publish in progress', submission, nextSubmissionNumber: s.nextSubmissionNumber + 1, history: log(s, { at: e.at, by: e.by, event: 'Submitted offer to preview' }) };
    }
    case 'validationCompleted': {
      const sub = atStep(s, 'automatedValidation', 'complete automated validation');
      const errors = e.violations.filter((v) => v.severity === 'error');
      if (errors.length > 0 || !e.leadCheck.ok) {
        return fail(s, sub, e.at, 'Automated validation failed', { violations: errors, findings: [], leadCheck: e.leadCheck });
      }
      return advance(s, sub, 'certification', 'Publish in progress');
    }
    case 'certificationCompleted': {
      const sub = atStep(s, 'certification', 'complete certification');
      if (e.findings.length > 0) return fail(s, sub, e.at, 'Certification failed', { violations: [], findings: e.findings });
      return advance(s, sub, e.manualApprovalRequired ? 'operatorReview' : 'previewCreation', 'Publish in progress');
    }
    case 'operatorApproved': {
      const sub = atStep(s, 'operatorReview', 'approve the submission');
      return advance(s, sub, 'previewCreation', 'Publish in progress', { at: e.at, by: e.by, event: 'Approved by the platform operator' });
    }
    case 'operatorRejected': {
      const sub = atStep(s, 'operatorReview', 'reject the submission');
      return fail(s, sub, e.at, 'Certification failed', { violations: [], findings: [], report: e.report });
    }
    case 'previewCreated': {
      const sub = atStep(s, 'previewCreation', 'create the preview');
      return {
        ...advance(s, sub, 'publisherSignOff', 'Preview', { at: e.at, event: 'Preview created' }),
        previewVersion: sub.version,
        publishedPlanIds: union(s.publishedPlanIds, e.planIds),
      };
    }
    case 'goLive': {
      const sub = atStep(s, 'publisherSignOff', 'go live');
      return advance(s, sub, 'finalPublish', 'Publish in progress', { at: e.at, by: e.by, event: 'Sign-off to go live' });
    }
    case 'publishCompleted': {
      const sub = atStep(s, 'finalPublish', 'complete publishing');
      const { submission: _done, ...rest } = s;
      return {
        ...rest,
        status: 'Live',
        liveVersion: sub.version,
        previewVersion: sub.version,
        distribution: 'active',
        livePlanIds: [...e.planIds],
        stoppedPlanIds: s.stoppedPlanIds.filter((id) => e.planIds.includes(id)),
        history: log(s, { at: e.at, event: 'Published to marketplace' }),
      };
    }
    case 'stepFailed': {
      const sub = s.submission;
      if (sub === undefined || sub.step === 'publisherSignOff' || sub.step === 'operatorReview') throw illegal(s, 'report a failed step');
      return fail(s, sub, e.at, 'Publishing failed', { violations: [], findings: [], report: e.report });
    }
    case 'cancel': {
      if (s.submission === undefined || s.submission.step === 'finalPublish') throw illegal(s, 'cancel publishing (only possible before Go live)');
      const { submission: _canceled, previewVersion: _withdrawn, ...rest } = s;
      const next: PublicationState = {
        ...rest,
        ...(s.liveVersion === undefined ? {} : { previewVersion: s.liveVersion }),
        history: log(s, { at: e.at, by: e.by, event: 'Initiated submit-to-preview cancellation' }, { at: e.at, event: 'Canceled submission to preview' }),
      };
      return { ...next, status: restingStatus(next) };
    }
    case 'stopDistribution': {
      if (s.submission !== undefined || s.liveVersion === undefined || s.distribution !== 'active') throw illegal(s, 'stop distribution');
      return { ...s, distribution: 'stopping', status: 'Pending stop distribution', history: log(s, { at: e.at, by: e.by, event: 'Stop distribution offer' }) };
    }
    case 'distributionStopped': {
      if (s.distribution !== 'stopping') throw illegal(s, 'finish stopping distribution');
      return { ...s, distribution: 'stopped', status: s.submission === undefined ? 'Not available' : s.status, history: log(s, { at: e.at, event: 'Distribution stopped' }) };
    }
    case 'stopPlanDistribution': {
      const active = s.livePlanIds.filter((id) => !s.stoppedPlanIds.includes(id));
      if (!active.includes(e.planId)) throw illegal(s, `stop distribution of plan "${e.planId}" (it is not live)`);
      if (active.length < 2) throw illegal(s, `stop distribution of plan "${e.planId}", the only plan on sale (stop distribution of the offer instead)`);
      return { ...s, stoppedPlanIds: [...s.stoppedPlanIds, e.planId], history: log(s, { at: e.at, by: e.by, event: 'Initiated plan Stop distribution', detail: e.planId }) };
    }
    case 'resumePlanDistribution': {
      if (!s.stoppedPlanIds.includes(e.planId)) throw illegal(s, `resume distribution of plan "${e.planId}" (it is not stopped)`);
      return { ...s, stoppedPlanIds: s.stoppedPlanIds.filter((id) => id !== e.planId), history: log(s, { at: e.at, by: e.by, event: 'Resume distribution', detail: e.planId }) };
    }
    case 'syncPrivateAudience': {
      if (s.previewVersion === undefined && s.liveVersion === undefined) throw illegal(s, 'sync private audiences (nothing is published yet)');
      return { ...s, history: log(s, { at: e.at, by: e.by, event: 'Sync private audience' }) };
    }
    case 'planCreated':
      return { ...s, history: log(s, { at: e.at, by: e.by, event: 'Created plan', detail: e.name }) };
    case 'planDeleted': {
      if (s.publishedPlanIds.includes(e.planId)) throw illegal(s, `delete plan "${e.planId}", which was published (stop its distribution instead)`);
      return { ...s, history: log(s, { at: e.at, by: e.by, event: 'Deleted plan', detail: e.planId }) };
    }
  }
}

/** The work a durable runner must do now; `awaitOperator` and `awaitSignOff` wait for a person. */
export function nextAction(s: PublicationState): NextAction {
  const sub = s.submission;
  if (sub === undefined) return s.distribution === 'stopping' ? { kind: 'stopDistribution' } : { kind: 'none' };
  const kinds = {
    automatedValidation: 'runAutomatedValidation',
    certification: 'runCertification',
    operatorReview: 'awaitOperator',
    previewCreation: 'createPreview',
    publisherSignOff: 'awaitSignOff',
    finalPublish: 'finalPublish',
  } as const;
  return { kind: kinds[sub.step], version: sub.version };
}

/** Throws unless the offer was never published (only never-published drafts can be deleted). */
export function assertOfferDeletable(s: PublicationState): void {
  if (s.submission !== undefined || s.previewVersion !== undefined || s.liveVersion !== undefined || s.publishedPlanIds.length > 0) {
    throw new DomainError('conflict', 'invalidState', `Offer ${s.offerId} has been submitted or published and can't be deleted; stop its distribution instead.`, { target: 'status' });
  }
}
