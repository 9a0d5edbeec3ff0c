/**
 * Partner Center → an offer → Review and publish: what will be published (each section's status, the
 * errors that block with a link to their section), Publish, then the pipeline's live progress
 * (automated validation → certification → preview → Go live → live), polled from the API, with a
 * failure explained in words.
 */
import { useState } from 'react';
import {
  Badge, Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, Title3,
  makeStyles, tokens,
} from '@fluentui/react-components';
import type { OfferValidation } from '../../../../../src/core/marketplace/validate-offer.ts';
import { getJson, sendJson } from '../../../api.ts';
import { RouteLink } from '../../../router.tsx';
import { Empty, Loaded } from '../../../states.tsx';
import { STATUS_COLOR } from '../offers.ts';
import { offerApi, offerName, sectionPage, type OfferDetail, type PublishJob } from './offer-api.ts';
import { OfferPageFrame } from './OfferPageFrame.tsx';
import { PipelineProgress } from './PipelineProgress.tsx';
import { usePolled } from './use-polled.ts';

const SECTION_COLOR = { Complete: 'success', Incomplete: 'warning', 'Not started': 'subtle' } as const;

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  notes: { maxWidth: '640px' },
});

interface Review { readonly offer: OfferDetail; readonly validation: OfferValidation; readonly jobs: readonly PublishJob[] }

async function loadReview(base: string, signal: AbortSignal): Promise<Review> {
  const [offer, validation, jobs] = await Promise.all([
    getJson<OfferDetail>(base, signal), getJson<OfferValidation>(`${base}/validation`, signal), getJson<{ value: PublishJob[] }>(`${base}/jobs`, signal),
  ]);
  return { offer, validation, jobs: jobs.value };
}

/** Asked again every second while the pipeline moves on its own, every 10 s while the operator reviews, not while it waits for Go live or is done. */
function nextLook({ offer }: Review): number | undefined {
  if (offer.status !== 'Publish in progress') return undefined;
  return offer.publication.submission?.step === 'operatorReview' ? 10_000 : 1000;
}

export function ReviewPublish({ publisherId, offerId }: { publisherId: string; offerId: string }) {
  const base = offerApi(publisherId, offerId);
  const [load, refresh] = usePolled((signal) => loadReview(base, signal), base, nextLook);
  return (
    <OfferPageFrame publisherId={publisherId} offerId={offerId} page="review" title="Review and publish"
      intro={load.state === 'loaded' ? `${offerName(load.data.offer)} · ${offerId}` : offerId}>
      <Loaded load={load} what="the offer's review" retry={refresh}>
        {(review) => <ReviewBody review={review} base={base} publisherId={publisherId} offerId={offerId} refresh={refresh} />}
      </Loaded>
    </OfferPageFrame>
  );
}

function ReviewBody({ review, base, publisherId, offerId, refresh }: { review: Review; base: string; publisherId: string; offerId: string; refresh: () => void }) {
  const styles = useStyles();
  const { offer, validation, jobs } = review;
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      await sendJson('POST', `${base}/${path}`, body);
    } catch (error) {
      setRefusal(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const errors = validation.violations.filter((v) => v.severity === 'error');
  const warnings = validation.violations.filter((v) => v.severity === 'warning');
  const inFlight = offer.publication.submission !== undefined;
  const why = inFlight ? 'A submission is in progress: Go live or cancel it before publishing again.'
    : errors.length > 0 ? `${errors.length} ${errors.length === 1 ? 'problem blocks' : 'problems block'} publishing: fix ${errors.length === 1 ? 'it' : 'them'} first.` : undefined;
  return (
    <>
      <div className={styles.actions}>
        <Badge appearance="tint" color={STATUS_COLOR[offer.status] ?? 'informative'}>{offer.status}</Badge>
        {offer.publication.liveVersion === undefined ? null : <span>Live version {offer.publication.liveVersion}</span>}
        {offer.publication.previewVersion === undefined ? null : <span>Preview version {offer.publication.previewVersion}</span>}
      </div>
      {refusal === undefined ? null : (
        <MessageBar intent="error" layout="multiline"><MessageBarBody><MessageBarTitle>Lantern refused</MessageBarTitle>{refusal}</MessageBarBody></MessageBar>
      )}

      <section className={styles.section} aria-labelledby="progress">
        <Title3 as="h2" id="progress">Publishing progress</Title3>
        <PipelineProgress offer={offer} job={jobs.at(-1)} />
        <div className={styles.actions}>
          {offer.publication.submission?.step === 'publisherSignOff' ? <Button appearance="primary" disabled={busy} onClick={() => void act('go-live')}>Go live</Button> : null}
          {inFlight && offer.publication.submission?.step !== 'finalPublish' ? <Button disabled={busy} onClick={() => void act('cancel')}>Cancel publishing</Button> : null}
        </div>
      </section>

      <section className={styles.section} aria-labelledby="what">
        <Title3 as="h2" id="what">What will be published</Title3>
        <Table aria-label="Sections to publish">
          <TableHeader><TableRow><TableHeaderCell>Section</TableHeaderCell><TableHeaderCell>Status</TableHeaderCell></TableRow></TableHeader>
          <TableBody>
            {validation.sections.map((s) => (
              <TableRow key={s.section}>
                <TableCell><RouteLink to={sectionPage(publisherId, offerId, s.section)}>{s.section}</RouteLink></TableCell>
                <TableCell><Badge appearance="tint" color={SECTION_COLOR[s.status]}>{s.status}</Badge></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>

      <section className={styles.section} aria-labelledby="blocking">
        <Title3 as="h2" id="blocking">Problems that block publishing</Title3>
        {errors.length === 0 ? <Empty title="None: every section is ready">{warnings.length === 0 ? undefined : `${warnings.length} warning${warnings.length === 1 ? '' : 's'} below won't stop publishing.`}</Empty> : (
          <ViolationTable label="Problems that block publishing" violations={errors} publisherId={publisherId} offerId={offerId} />
        )}
        {warnings.length === 0 ? null : (
          <>
            <Text weight="semibold">Warnings: worth fixing, they don't stop publishing</Text>
            <ViolationTable label="Warnings" violations={warnings} publisherId={publisherId} offerId={offerId} />
          </>
        )}
      </section>

      <section className={styles.section} aria-labelledby="publish">
        <Title3 as="h2" id="publish">Publish</Title3>
        <Field label="Notes for certification (optional)" className={styles.notes} hint="What the certification team should know to test the offer.">
          <Textarea value={notes} onChange={(_, d) => setNotes(d.value)} resize="vertical" />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" disabled={busy || why !== undefined} onClick={() => void act('submit', notes.trim() === '' ? {} : { notes: notes.trim() })}>Publish</Button>
          {why === undefined ? <span>Publishing sends the offer through automated validation and certification to a preview; you then select Go live.</span> : <span>{why}</span>}
        </div>
      </section>
    </>
  );
}

function ViolationTable({ label, violations, publisherId, offerId }: { label: string; violations: OfferValidation['violations']; publisherId: string; offerId: string }) {
  return (
    <Table aria-label={label}>
      <TableHeader><TableRow><TableHeaderCell>Section</TableHeaderCell><TableHeaderCell>What to fix</TableHeaderCell></TableRow></TableHeader>
      <TableBody>
        {violations.map((v) => (
          <TableRow key={`${v.section}/${v.field}/${v.rule}`}>
            <TableCell><RouteLink to={sectionPage(publisherId, offerId, v.section)}>{v.section}</RouteLink></TableCell>
            <TableCell>{v.message}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
