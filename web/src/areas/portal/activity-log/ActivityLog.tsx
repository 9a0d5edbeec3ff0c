/**
 * Portal → Activity log: the events the user may read — each subscription's log (the header's
 * directory narrows them) or the user's directory-level log — for a time range and status (asked of
 * the API), then by operation (among the events loaded), newest first, a page at a time; each
 * event's details in words.
 */
import { useState, type ReactNode } from 'react';
import { Button, Link, MessageBar, MessageBarBody, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens, useId } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { inDirectory, useSession, type Session } from '../../../session.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { listSubscriptions, type Subscription } from '../arm.ts';
import { TIME_RANGES, listEvents, type ActivityEvent, type TimeRangeId } from './activity.ts';
import { EventDetails } from './EventDetails.tsx';

const PAGE = 20;

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, marginBottom: tokens.spacingVerticalL },
  filter: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  problems: { marginBottom: tokens.spacingVerticalM },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalM },
});

interface Log {
  readonly subscriptions: Subscription[];
  readonly events: ActivityEvent[];
  readonly failures: { source: string; message: string }[];
}

/** `source` is `all` (every subscription shown), `directory`, or a subscription id. */
async function loadLog(session: Session, source: string, minutes: number, status: string | undefined, signal: AbortSignal): Promise<Log> {
  const subscriptions = (await listSubscriptions(signal)).filter((s) => inDirectory(session, s.tenantId));
  const sources = source === 'directory' ? ['directory' as const] : subscriptions.filter((s) => source === 'all' || s.subscriptionId === source).map((s) => ({ subscriptionId: s.subscriptionId }));
  const results = await Promise.allSettled(sources.map((s) => listEvents(s, minutes, status, signal)));
  const out: Log = { subscriptions, events: [], failures: [] };
  results.forEach((result, i) => {
    const s = sources[i]!;
    const name = s === 'directory' ? 'your directory' : subscriptions.find((x) => x.subscriptionId === s.subscriptionId)?.displayName ?? s.subscriptionId;
    if (result.status === 'fulfilled') out.events.push(...result.value);
    else out.failures.push({ source: name, message: result.reason instanceof Error ? result.reason.message : 'The log could not be read.' });
  });
  out.events.sort((a, b) => b.eventTimestamp.localeCompare(a.eventTimestamp));
  return out;
}

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const styles = useStyles();
  const id = useId('filter');
  return (
    <div className={styles.filter}>
      <label htmlFor={id}>{label}</label>
      <Select id={id} value={value} onChange={(_e, data) => onChange(data.value)}>{children}</Select>
    </div>
  );
}

export function ActivityLog() {
  const styles = useStyles();
  const session = useSession();
  const [source, setSource] = useState('all');
  const [range, setRange] = useState<TimeRangeId>('24h');
  const [status, setStatus] = useState('all');
  const [operation, setOperation] = useState('all');
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string | undefined>();
  const minutes = TIME_RANGES.find((r) => r.id === range)!.minutes;
  const [load, retry] = useLoad((signal) => loadLog(session, source, minutes, status === 'all' ? undefined : status, signal), `${session.directory}|${source}|${range}|${status}`);
  const refilter = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPage(0);
    setSelected(undefined);
  };
  return (
    <>
      <PageHeading title="Activity log">What was done in your subscriptions, in those customers delegated to you, and in your directory: who did what, where, and whether it worked.</PageHeading>
      <Loaded load={load} what="the activity log" retry={retry}>
        {({ subscriptions, events, failures }) => {
          const operations = [...new Map(events.map((e) => [e.operationName.value, e.operationName.localizedValue])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
          const shown = events.filter((e) => operation === 'all' || e.operationName.value === operation);
          const pageCount = Math.max(1, Math.ceil(shown.length / PAGE));
          const current = Math.min(page, pageCount - 1);
          const rows = shown.slice(current * PAGE, (current + 1) * PAGE);
          const subscriptionName = (id: string) => subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase())?.displayName ?? id;
          const event = events.find((e) => e.eventDataId === selected);
          return (
            <>
              <div className={styles.filters}>
                <FilterSelect label="Time range" value={range} onChange={refilter((v: string) => setRange(v as TimeRangeId))}>
                  {TIME_RANGES.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
                </FilterSelect>
                <FilterSelect label="Subscription" value={source} onChange={refilter(setSource)}>
                  <option value="all">All subscriptions</option>
                  {subscriptions.map((s) => <option key={s.subscriptionId} value={s.subscriptionId}>{s.displayName}</option>)}
                  <option value="directory">Directory-level log (your directory)</option>
                </FilterSelect>
                <FilterSelect label="Operation" value={operation} onChange={refilter(setOperation)}>
                  <option value="all">All operations</option>
                  {operations.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                </FilterSelect>
                <FilterSelect label="Status" value={status} onChange={refilter(setStatus)}>
                  <option value="all">All statuses</option>
                  <option value="Succeeded">Succeeded</option>
                  <option value="Failed">Failed</option>
                </FilterSelect>
              </div>
              {failures.map(({ source: name, message }) => (
                <MessageBar key={name} intent="warning" className={styles.problems}>
                  <MessageBarBody>The log of {name} could not be read: {message}</MessageBarBody>
                </MessageBar>
              ))}
              {rows.length === 0 ? <Empty title="No events">Nothing matches these filters in this time range. Try a longer range or another subscription.</Empty> : (
                <>
                  <Table aria-label="Events">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Operation</TableHeaderCell>
                        <TableHeaderCell>Status</TableHeaderCell>
                        <TableHeaderCell>Time</TableHeaderCell>
                        <TableHeaderCell>Caller</TableHeaderCell>
                        <TableHeaderCell>Subscription</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {rows.map((e) => (
                        <TableRow key={e.eventDataId}>
                          <TableCell><Link as="button" onClick={() => setSelected(e.eventDataId)}>{e.operationName.localizedValue}</Link></TableCell>
                          <TableCell>{e.status.value}</TableCell>
                          <TableCell>{new Date(e.eventTimestamp).toLocaleString()}</TableCell>
                          <TableCell>{e.caller ?? '—'}</TableCell>
                          <TableCell>{e.subscriptionId === undefined ? 'Directory' : subscriptionName(e.subscriptionId)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                  <div className={styles.pager}>
                    <Button disabled={current === 0} onClick={() => setPage(current - 1)}>Previous</Button>
                    <span aria-live="polite">Events {current * PAGE + 1}–{current * PAGE + rows.length} of {shown.length}</span>
                    <Button disabled={current >= pageCount - 1} onClick={() => setPage(current + 1)}>Next</Button>
                  </div>
                </>
              )}
              {event === undefined ? null : <EventDetails event={event} subscriptionName={subscriptionName} onClose={() => setSelected(undefined)} />}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
