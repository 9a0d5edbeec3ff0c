import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { certifyOffer, DEFAULT_CERTIFICATION_POLICY } from './certification.js';
import { assertOfferDeletable, initialPublicationState, nextAction, type PipelineEvent, type PublicationState, transition } from './pipeline.js';
import { contosoOffer, contosoPublisher, context } from './test-fixtures.js';
import { validateOffer } from './validate-offer.js';

const T = (n: number): string => `2026-11-21T06:${String(n).padStart(2, '0')}:00Z`;

function run(state: PublicationState, ...events: PipelineEvent[]): PublicationState {
  return events.reduce(transition, state);
}

function conflict(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.kind === 'conflict' && e.code === 'invalidState' && e.target === 'status' && pattern.test(e.message));
}

const created = initialPublicationState('contoso-managed-ops', T(0), 'admin');

/** Submits version 1 and passes validation and certification with the real checks. */
function toPreview(state = created, version = 1): PublicationState {
  const offer = contosoOffer();
  return run(
    state,
    { type: 'submit', at: T(1), by: 'admin', version, notes: 'Sign in with the test subscription.' },
    { type: 'validationCompleted', at: T(2), violations: validateOffer(offer, context()).violations, leadCheck: { ok: true } },
    { type: 'certificationCompleted', at: T(3), findings: certifyOffer(offer, contosoPublisher, DEFAULT_CERTIFICATION_POLICY), manualApprovalRequired: false },
    { type: 'previewCreated', at: T(4), planIds: ['gold'] },
  );
}

describe('publishing pipeline', () => {
  it('takes the Publish story from Draft through validation, certification, preview and sign-off to Live', () => {
    assert.equal(created.status, 'Draft');
    assert.deepEqual(nextAction(created), { kind: 'none' });
    const submitted = transition(created, { type: 'submit', at: T(1), by: 'admin', version: 1 });
    assert.equal(submitted.status, 'Publish in progress');
    assert.deepEqual(nextAction(submitted), { kind: 'runAutomatedValidation', version: 1 });

    const preview = toPreview();
    assert.equal(preview.status, 'Preview');
    assert.equal(preview.previewVersion, 1);
    assert.deepEqual(nextAction(preview), { kind: 'awaitSignOff', version: 1 });
    assert.equal(preview.liveVersion, undefined, 'only the preview audience sees it (visibility.test.ts)');

    const signed = transition(preview, { type: 'goLive', at: T(5), by: 'admin' });
    assert.equal(signed.status, 'Publish in progress');
    assert.deepEqual(nextAction(signed), { kind: 'finalPublish', version: 1 });
    const live = transition(signed, { type: 'publishCompleted', at: T(6), planIds: ['gold'] });
    assert.equal(live.status, 'Live');
    assert.equal(live.liveVersion, 1);
    assert.equal(live.submission, undefined);
    assert.equal(live.distribution, 'active');
    assert.deepEqual(
      live.history.map((h) => h.event),
      ['Created offer', 'Submitted offer to preview', 'Preview created', 'Sign-off to go live', 'Published to marketplace'],
    );
  });

  it('survives a restart: the persisted JSON state resumes at the same step', () => {
    const preview = toPreview();
    const restored = JSON.parse(JSON.stringify(preview)) as PublicationState;
    assert.deepEqual(nextAction(restored), nextAction(preview));
    assert.equal(transition(restored, { type: 'goLive', at: T(5), by: 'admin' }).status, 'Publish in progress');
  });

  it('stops at Attention needed when automated validation finds errors, and accepts a resubmission', () => {
    const broken = { ...contosoOffer(), alias: '' };
    const failed = run(
      created,
      { type: 'submit', at: T(1), by: 'admin', version: 1 },
      { type: 'validationCompleted', at: T(2), violations: validateOffer(broken, context()).violations, leadCheck: { ok: true } },
    );
    assert.equal(failed.status, 'Attention needed');
    assert.equal(failed.lastFailure?.step, 'automatedValidation');
    assert.deepEqual(failed.lastFailure?.violations.map((v) => v.rule), ['offer.alias.required']);
    assert.deepEqual(nextAction(failed), { kind: 'none' });

    const again = toPreview(failed, 2);
    assert.equal(again.status, 'Preview');
    assert.equal(again.submission?.number, 2);
    assert.equal(again.lastFailure, undefined);
  });

  it('fails validation when the lead destination check fails, even without rule violations', () => {
    const failed = run(created, { type: 'submit', at: T(1), by: 'admin', version: 1 }, { type: 'validationCompleted', at: T(2), violations: [], leadCheck: { ok: false, message: 'HTTP 404 from https://crm.contoso.example/leads' } });
    assert.equal(failed.status, 'Attention needed');
    assert.deepEqual(failed.lastFailure?.leadCheck, { ok: false, message: 'HTTP 404 from https://crm.contoso.example/leads' });
  });

  it('ignores warnings in automated validation', () => {
    const warning = { severity: 'warning', section: 'Plans/gold/Technical configuration', field: 'x', rule: 'auth.delete-role.missing', message: 'm' } as const;
    const s = run(created, { type: 'submit', at: T(1), by: 'admin', version: 1 }, { type: 'validationCompleted', at: T(2), violations: [warning], leadCheck: { ok: true } });
    assert.equal(s.submission?.step, 'certification');
  });

  it('fails certification for an ineligible publisher with a failure report', () => {
    const findings = certifyOffer(contosoOffer(), { ...contosoPublisher, eligibility: [] }, DEFAULT_CERTIFICATION_POLICY);
    const failed = run(
      created,
      { type: 'submit', at: T(1), by: 'admin', version: 1 },
      { type: 'validationCompleted', at: T(2), violations: [], leadCheck: { ok: true } },
      { type: 'certificationCompleted', at: T(3), findings, manualApprovalRequired: false },
    );
    assert.equal(failed.status, 'Attention needed');
    assert.equal(failed.lastFailure?.findings[0]?.policy, '700.4');
    assert.equal(failed.history.at(-1)?.event, 'Certification failed');
  });

  it('waits for the platform operator when manual approval is on; a rejection carries the report', () => {
    const waiting = run(
      created,
      { type: 'submit', at: T(1), by: 'admin', version: 1 },
      { type: 'validationCompleted', at: T(2), violations: [], leadCheck: { ok: true } },
      { type: 'certificationCompleted', at: T(3), findings: [], manualApprovalRequired: true },
    );
    assert.deepEqual(nextAction(waiting), { kind: 'awaitOperator', version: 1 });
    const approved = transition(waiting, { type: 'operatorApproved', at: T(4), by: 'operator' });
    assert.equal(approved.submission?.step, 'previewCreation');
    const rejected = transition(waiting, { type: 'operatorRejected', at: T(4), by: 'operator', report: 'Screenshots show another company.' });
    assert.equal(rejected.status, 'Attention needed');
    assert.equal(rejected.lastFailure?.report, 'Screenshots show another company.');
    assert.equal(rejected.history.at(-1)?.detail, 'Screenshots show another company.');
  });

  it('cancels before Go live, back to Draft (or to Live for an update), but not after', () => {
    const preview = toPreview();
    const canceled = transition(preview, { type: 'cancel', at: T(5), by: 'admin' });
    assert.equal(canceled.status, 'Draft');
    assert.equal(canceled.previewVersion, undefined);
    assert.deepEqual(canceled.history.slice(-2).map((h) => h.event), ['Initiated submit-to-preview cancellation', 'Canceled submission to preview']);

    const live = run(preview, { type: 'goLive', at: T(5), by: 'admin' }, { type: 'publishCompleted', at: T(6), planIds: ['gold'] });
    const update = run(live, { type: 'submit', at: T(7), by: 'admin', version: 2 }, { type: 'cancel', at: T(8), by: 'admin' });
    assert.equal(update.status, 'Live');
    assert.equal(update.previewVersion, 1);
    conflict(() => run(preview, { type: 'goLive', at: T(5), by: 'admin' }, { type: 'cancel', at: T(6), by: 'admin' }), /only possible before Go live/);
  });

  it('refuses illegal events with a clear invalidState error', () => {
    conflict(() => transition(created, { type: 'goLive', at: T(1), by: 'admin' }), /Can't go live while offer contoso-managed-ops is Draft/);
    conflict(() => transition(toPreview(), { type: 'submit', at: T(5), by: 'admin', version: 2 }), /submit the offer.*Preview/);
    conflict(() => transition(created, { type: 'validationCompleted', at: T(1), violations: [], leadCheck: { ok: true } }), /automated validation/);
    conflict(() => transition(created, { type: 'cancel', at: T(1), by: 'admin' }), /cancel/);
    conflict(() => transition(created, { type: 'stopDistribution', at: T(1), by: 'admin' }), /stop distribution/);
    conflict(() => transition(created, { type: 'syncPrivateAudience', at: T(1), by: 'admin' }), /nothing is published/);
  });

  it('stops and re-lists the offer; a runner failure lands in Attention needed', () => {
    const live = run(toPreview(), { type: 'goLive', at: T(5), by: 'admin' }, { type: 'publishCompleted', at: T(6), planIds: ['gold', 'silver'] });
    const stopping = transition(live, { type: 'stopDistribution', at: T(7), by: 'admin' });
    assert.equal(stopping.status, 'Pending stop distribution');
    assert.deepEqual(nextAction(stopping), { kind: 'stopDistribution' });
    conflict(() => transition(stopping, { type: 'submit', at: T(8), by: 'admin', version: 2 }), /submit/);
    const stopped = transition(stopping, { type: 'distributionStopped', at: T(8) });
    assert.equal(stopped.status, 'Not available');
    assert.equal(stopped.distribution, 'stopped');
    const relisting = run(stopped, { type: 'submit', at: T(9), by: 'admin', version: 1 }, { type: 'validationCompleted', at: T(10), violations: [], leadCheck: { ok: true } });
    const failed = transition(relisting, { type: 'stepFailed', at: T(11), report: 'storage unavailable' });
    assert.equal(failed.status, 'Attention needed');
    assert.equal(failed.lastFailure?.step, 'certification');
  });

  it('stops a plan only while another plan stays on sale, and resumes it', () => {
    const live = run(toPreview(), { type: 'goLive', at: T(5), by: 'admin' }, { type: 'publishCompleted', at: T(6), planIds: ['gold', 'silver'] });
    const stopped = transition(live, { type: 'stopPlanDistribution', at: T(7), by: 'admin', planId: 'silver' });
    assert.deepEqual(stopped.stoppedPlanIds, ['silver']);
    conflict(() => transition(stopped, { type: 'stopPlanDistribution', at: T(8), by: 'admin', planId: 'gold' }), /only plan on sale/);
    const resumed = transition(stopped, { type: 'resumePlanDistribution', at: T(8), by: 'admin', planId: 'silver' });
    assert.deepEqual(resumed.stoppedPlanIds, []);
    assert.equal(resumed.history.at(-1)?.event, 'Resume distribution');
    conflict(() => transition(resumed, { type: 'resumePlanDistribution', at: T(9), by: 'admin', planId: 'silver' }), /not stopped/);
  });

  it('deletes only never-published offers and plans', () => {
    assert.doesNotThrow(() => assertOfferDeletable(created));
    const withPlan = transition(created, { type: 'planCreated', at: T(1), by: 'admin', planId: 'gold', name: 'Gold' });
    assert.equal(transition(withPlan, { type: 'planDeleted', at: T(2), by: 'admin', planId: 'gold' }).history.at(-1)?.event, 'Deleted plan');
    const preview = toPreview();
    assert.throws(() => assertOfferDeletable(preview), (e: unknown) => e instanceof DomainError && e.code === 'invalidState');
    conflict(() => transition(preview, { type: 'planDeleted', at: T(5), by: 'admin', planId: 'gold' }), /was published/);
  });

  it('records Sync private audience for a published offer', () => {
    const live = run(toPreview(), { type: 'goLive', at: T(5), by: 'admin' }, { type: 'publishCompleted', at: T(6), planIds: ['gold'] });
    assert.equal(transition(live, { type: 'syncPrivateAudience', at: T(7), by: 'admin' }).history.at(-1)?.event, 'Sync private audience');
  });
});
