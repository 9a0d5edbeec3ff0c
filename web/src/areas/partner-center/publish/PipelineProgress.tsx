/** The pipeline's steps with their state, the failure in words, and the publish job's log. */
import { Badge, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens, type BadgeProps } from '@fluentui/react-components';
import { failedStepName, failureReasons, pipelineSteps, type StepState } from './pipeline-steps.ts';
import type { OfferDetail, PublishJob } from './offer-api.ts';

const STATE_COLOR: Record<StepState, BadgeProps['color']> = { done: 'success', running: 'brand', waiting: 'warning', failed: 'danger', 'not started': 'subtle' };
const STATE_WORDS: Record<StepState, string> = { done: 'Done', running: 'In progress', waiting: 'Waiting', failed: 'Failed', 'not started': 'Not started' };

const useStyles = makeStyles({
  steps: { listStyleType: 'none', padding: 0, margin: 0, display: 'grid', gridTemplateColumns: 'repeat(5, minmax(0, 1fr))', gap: tokens.spacingHorizontalS },
  step: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, padding: tokens.spacingVerticalM, borderTop: `4px solid ${tokens.colorNeutralStroke2}` },
  done: { borderTopColor: tokens.colorPaletteGreenBorder2 },
  running: { borderTopColor: tokens.colorBrandStroke1 },
  waiting: { borderTopColor: tokens.colorPaletteYellowBorder2 },
  failed: { borderTopColor: tokens.colorPaletteRedBorder2 },
  log: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export function PipelineProgress({ offer, job }: { offer: OfferDetail; job: PublishJob | undefined }) {
  const styles = useStyles();
  const steps = pipelineSteps(offer);
  const reasons = failureReasons(offer);
  const stateClass = { done: styles.done, running: styles.running, waiting: styles.waiting, failed: styles.failed, 'not started': undefined };
  return (
    <>
      <ol className={styles.steps} aria-label="Publishing steps">
        {steps.map((s) => (
          <li key={s.name} className={`${styles.step} ${stateClass[s.state] ?? ''}`} aria-current={s.state === 'running' || s.state === 'waiting' ? 'step' : undefined}>
            <Text weight="semibold">{s.name}</Text>
            <span>{s.state === 'running' ? <Spinner size="extra-tiny" label="In progress" labelPosition="after" /> : <Badge appearance="tint" color={STATE_COLOR[s.state]}>{STATE_WORDS[s.state]}</Badge>}</span>
            {s.note === undefined ? null : <Text size={200}>{s.note}</Text>}
          </li>
        ))}
      </ol>
      {offer.status === 'Live' && offer.publication.submission === undefined ? (
        <MessageBar intent="success"><MessageBarBody><MessageBarTitle>Live</MessageBarTitle>Version {offer.publication.liveVersion} is live in the marketplace.</MessageBarBody></MessageBar>
      ) : null}
      {reasons.length === 0 || offer.status !== 'Attention needed' ? null : (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Publishing stopped at {failedStepName(offer)}</MessageBarTitle>
            Fix what follows, then select Publish again.
            <ul>{reasons.map((r) => <li key={r}>{r}</li>)}</ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {job === undefined || job.progress.length === 0 ? null : (
        <section aria-label="What the pipeline did">
          <Text weight="semibold">Submission {job.submission}, to {job.target}</Text>
          <ul className={styles.log}>{job.progress.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
        </section>
      )}
    </>
  );
}
