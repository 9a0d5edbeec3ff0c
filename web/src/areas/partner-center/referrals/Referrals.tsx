/**
 * Partner Center → Referrals: the publisher's leads (acquisitions, "Contact me", test leads) with their
 * delivery status, filtered by kind and status; one lead's delivery log; redelivery of one lead or of
 * every dead-lettered one; the CSV export. Owners and Managers only (the API says so to others). The
 * list is virtualised: a publisher may have thousands of leads.
 */
import { useState } from 'react';
import {
  Badge, Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Text, makeStyles, tokens, type BadgeProps,
} from '@fluentui/react-components';
import type { LeadRecord } from '../../../../../src/core/marketplace/lead-records.ts';
import { getAll, getObjectUrl, sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { Empty, Loaded } from '../../../states.tsx';
import { VirtualRows, type VirtualColumn } from '../../../VirtualRows.tsx';
import { usePolled } from '../publish/use-polled.ts';
import { WithPublisher, type PublisherAccountView } from '../PublisherPicker.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';

export const LEAD_STATUS: Record<LeadRecord['status'], { words: string; color: BadgeProps['color'] }> = {
  pending: { words: 'Waiting to be delivered', color: 'warning' },
  delivered: { words: 'Delivered', color: 'success' },
  deadLettered: { words: 'Delivery failed', color: 'danger' },
  notConnected: { words: 'No destination', color: 'subtle' },
};
const KIND_WORDS: Record<LeadRecord['kind'], string> = { acquisition: 'Acquisition', contactMe: 'Contact me', test: 'Test lead' };

const useStyles = makeStyles({
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: tokens.spacingVerticalM },
  filter: { minWidth: '200px' },
  message: { marginBottom: tokens.spacingVerticalM },
});

/** Asked again every 2 s while the outbox will try a lead within the minute; later retries are not polled for. */
const waitingSoon = (leads: readonly LeadRecord[]) =>
  leads.some((l) => l.status === 'pending' && (l.nextAttemptAt === undefined || Date.parse(l.nextAttemptAt) - Date.now() < 60_000)) ? 2000 : undefined;

export function Referrals() {
  return (
    <>
      <PageHeading title="Referrals">Leads from your offers and where each one was delivered. Redeliver a lead that failed, or export them as CSV.</PageHeading>
      <WithPublisher>{(publisher) => <PublisherReferrals key={publisher.publisherId} publisher={publisher} />}</WithPublisher>
    </>
  );
}

function PublisherReferrals({ publisher }: { publisher: PublisherAccountView }) {
  const styles = useStyles();
  const base = `/partner-center/publishers/${encodeURIComponent(publisher.publisherId)}/referrals`;
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const query = new URLSearchParams({ ...(kind === '' ? {} : { kind }), ...(status === '' ? {} : { status }) }).toString();
  // Asked again while a lead waits for delivery, so its status moves on by itself.
  const [load, reload] = usePolled((signal) => getAll<LeadRecord>(`${base}${query === '' ? '' : `?${query}`}`, signal), `${base}?${query}`, waitingSoon);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [open, setOpen] = useState<LeadRecord>();
  const act = async (what: () => Promise<string>) => {
    setOutcome(undefined);
    try {
      setOutcome({ ok: true, text: await what() });
    } catch (error) {
      setOutcome({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
    reload();
  };
  const redeliver = (lead: LeadRecord) => act(async () => {
    await sendJson('POST', `${base}/${encodeURIComponent(lead.id)}/redeliver`);
    return `The lead from ${lead.customer.Company || lead.customer.Email} is queued for delivery again.`;
  });
  const redeliverDead = () => act(async () => {
    const requeued = (await sendJson<{ requeued: number }>('POST', `${base}/redeliver-dead`, {}))?.requeued ?? 0;
    return requeued === 0 ? 'No lead was waiting for redelivery.' : `${requeued} lead${requeued === 1 ? ' is' : 's are'} queued for delivery again.`;
  });
  const exportCsv = () => act(async () => {
    const url = await getObjectUrl(`${base}/export${query === '' ? '' : `?${query}`}`);
    const link = Object.assign(document.createElement('a'), { href: url, download: `referrals-${publisher.publisherId}.csv` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return 'The CSV file is downloaded.';
  });
  const columns: VirtualColumn<LeadRecord>[] = [
    { name: 'Received', width: '170px', render: (l) => new Date(l.createdAt).toLocaleString() },
    { name: 'Kind', width: '110px', render: (l) => KIND_WORDS[l.kind] },
    { name: 'Offer', render: (l) => l.offerTitle },
    { name: 'Customer', render: (l) => [l.customer.FirstName, l.customer.LastName].filter(Boolean).join(' ') + (l.customer.Company ? ` · ${l.customer.Company}` : '') },
    { name: 'Delivery', width: '190px', render: (l) => <Badge appearance="tint" color={LEAD_STATUS[l.status].color}>{LEAD_STATUS[l.status].words}</Badge> },
    { name: 'Actions', width: '220px', render: (l) => (
      <>
        <Button size="small" appearance="subtle" onClick={() => setOpen(l)} aria-label={`Delivery log of the lead from ${l.customer.Email}`}>Delivery log</Button>
        {l.status === 'pending' ? null : <Button size="small" onClick={() => void redeliver(l)} aria-label={`Redeliver the lead from ${l.customer.Email}`}>Redeliver</Button>}
      </>
    ) },
  ];
  return (
    <>
      <div className={styles.bar}>
        <Field label="Kind" className={styles.filter}>
          <Select value={kind} onChange={(_, d) => setKind(d.value)}>
            <option value="">All kinds</option>
            {Object.entries(KIND_WORDS).map(([k, words]) => <option key={k} value={k}>{words}</option>)}
          </Select>
        </Field>
        <Field label="Delivery status" className={styles.filter}>
          <Select value={status} onChange={(_, d) => setStatus(d.value)}>
            <option value="">All statuses</option>
            {Object.entries(LEAD_STATUS).map(([s, { words }]) => <option key={s} value={s}>{words}</option>)}
          </Select>
        </Field>
        <Button onClick={() => void exportCsv()}>Export CSV</Button>
        <Button onClick={() => void redeliverDead()}>Redeliver every failed lead</Button>
      </div>
      {outcome === undefined ? null : (
        <MessageBar intent={outcome.ok ? 'success' : 'error'} className={styles.message}>
          <MessageBarBody>{outcome.ok ? null : <MessageBarTitle>Lantern refused</MessageBarTitle>}{outcome.text}</MessageBarBody>
        </MessageBar>
      )}
      <Loaded load={load} what="referrals" retry={reload}>
        {(leads) => leads.length === 0 ? <Empty title={query === '' ? 'No leads yet' : 'No leads match these filters'}>Leads appear here when customers acquire an offer or ask to be contacted, and when a submission sends its test lead.</Empty> : (
          <>
            <Text>{leads.length} lead{leads.length === 1 ? '' : 's'}</Text>
            <VirtualRows label="Leads" items={leads} columns={columns} rowKey={(l) => l.id} rowHeight={44} />
          </>
        )}
      </Loaded>
      {open === undefined ? null : <DeliveryLog key={open.id} path={`${base}/${encodeURIComponent(open.id)}`} lead={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
