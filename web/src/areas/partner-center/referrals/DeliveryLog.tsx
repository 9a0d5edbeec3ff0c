/**
 * One lead's delivery log, shown under the list: every attempt with its time, outcome and the start
 * of the destination's answer.
 */
import {
  Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { LeadAttempt, LeadRecord } from '../../../../../src/core/marketplace/lead-records.ts';
import { getJson } from '../../../api.ts';
import { Empty, Loaded, useLoad } from '../../../states.tsx';

const useStyles = makeStyles({
  log: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
});

export function DeliveryLog({ path, lead, onClose }: { path: string; lead: LeadRecord; onClose: () => void }) {
  const styles = useStyles();
  const [load, retry] = useLoad((signal) => getJson<{ lead: LeadRecord; attempts: LeadAttempt[] }>(path, signal), path);
  return (
    <section className={styles.log} aria-labelledby="delivery-log">
      <Title3 as="h2" id="delivery-log">Delivery log</Title3>
      <Text>{lead.offerTitle} · {lead.customer.Email}{lead.lastError === undefined ? '' : ` · last error: ${lead.lastError}`}</Text>
      <Loaded load={load} what="the delivery log" retry={retry}>
        {({ attempts }) => attempts.length === 0 ? <Empty title="No delivery attempt yet" /> : (
          <Table aria-label="Delivery attempts">
            <TableHeader><TableRow><TableHeaderCell>Attempt</TableHeaderCell><TableHeaderCell>When</TableHeaderCell><TableHeaderCell>Outcome</TableHeaderCell></TableRow></TableHeader>
            <TableBody>
              {attempts.map((a) => (
                <TableRow key={a.attempt}>
                  <TableCell>{a.attempt}</TableCell>
                  <TableCell>{new Date(a.at).toLocaleString()}</TableCell>
                  <TableCell>{a.ok ? 'Delivered' : 'Failed'}{a.status === undefined ? '' : ` (${a.status})`}: {a.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Loaded>
      <Button onClick={onClose}>Close the delivery log</Button>
    </section>
  );
}
