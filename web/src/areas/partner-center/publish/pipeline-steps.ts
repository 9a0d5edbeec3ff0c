/**
 * The publishing pipeline as the Review and publish page draws it: five steps, each done, running,
 * waiting (on the operator or on you), failed or not started, read from the offer's publication
 * state (the core's `PipelineStep`s folded into what a publisher sees).
 */
import type { PipelineStep } from '../../../../../src/core/marketplace/pipeline.ts';
import type { OfferDetail } from './offer-api.ts';

export type StepState = 'done' | 'running' | 'waiting' | 'failed' | 'not started';

export interface StepView {
  readonly name: string;
  readonly state: StepState;
  /** What is happening at this step, in words. */
  readonly note?: string;
}

const STEPS = ['Automated validation', 'Certification', 'Preview', 'Go live', 'Live'] as const;

const INDEX: Record<PipelineStep, number> = {
  automatedValidation: 0, certification: 1, operatorReview: 1, previewCreation: 2, publisherSignOff: 3, finalPublish: 4,
};

const WAITING: Partial<Record<PipelineStep, string>> = {
  operatorReview: 'Waiting for the platform operator to review the offer.',
  publisherSignOff: 'The preview is ready: check it, then select Go live.',
};

function steps(at: number, state: (i: number) => StepState, note?: string): StepView[] {
  return STEPS.map((name, i) => ({ name, state: state(i), ...(i === at && note !== undefined ? { note } : {}) }));
}

/** The five steps of the offer's current (or last) submission. */
export function pipelineSteps(offer: OfferDetail): StepView[] {
  const { submission, lastFailure, liveVersion } = offer.publication;
  if (submission !== undefined) {
    const at = INDEX[submission.step];
    const waiting = WAITING[submission.step];
    return steps(at, (i) => (i < at ? 'done' : i > at ? 'not started' : waiting === undefined ? 'running' : 'waiting'), waiting);
  }
  if (offer.status === 'Attention needed' && lastFailure !== undefined) {
    const at = INDEX[lastFailure.step];
    return steps(at, (i) => (i < at ? 'done' : i > at ? 'not started' : 'failed'));
  }
  if (liveVersion !== undefined) return steps(-1, () => 'done');
  return steps(-1, () => 'not started');
}

/** Why the last submission stopped, sentence by sentence, from the failure report. */
export function failureReasons(offer: OfferDetail): string[] {
  const report = offer.publication.lastFailure;
  if (report === undefined) return [];
  return [
    ...report.violations.map((v) => `${v.section}: ${v.message}`),
    ...report.findings.map((f) => `Certification policy ${f.policy}: ${f.message}`),
    ...(report.leadCheck !== undefined && !report.leadCheck.ok ? [`Lead destination: ${report.leadCheck.message}`] : []),
    ...(report.report === undefined ? [] : [report.report]),
  ];
}

/** The step the last failure stopped at, as the page names it. */
export function failedStepName(offer: OfferDetail): string | undefined {
  const step = offer.publication.lastFailure?.step;
  return step === undefined ? undefined : STEPS[INDEX[step]];
}
