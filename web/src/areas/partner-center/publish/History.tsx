/** Partner Center → an offer → History: every event of the offer (publishes, sign-offs, failures) and its versions, with who and when. */
import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { getJson } from '../../../api.ts';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { offerApi, type HistoryEvent, type OfferDetail, type OfferVersionView } from './offer-api.ts';
import { OfferPageFrame } from './OfferPageFrame.tsx';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

interface OfferHistory { readonly offer: OfferDetail; readonly events: readonly HistoryEvent[]; readonly versions: readonly Omit<OfferVersionView, 'offer'>[] }

async function loadHistory(base: string, signal: AbortSignal): Promise<OfferHistory> {
  const [offer, events, versions] = await Promise.all([
    getJson<OfferDetail>(base, signal), getJson<{ value: HistoryEvent[] }>(`${base}/history`, signal), getJson<{ value: OfferVersionView[] }>(`${base}/versions`, signal),
  ]);
  return { offer, events: [...events.value].reverse(), versions: [...versions.value].reverse() };
}

const when = (at: string) => new Date(at).toLocaleString();

export function History({ publisherId, offerId }: { publisherId: string; offerId: string }) {
  const styles = useStyles();
  const base = offerApi(publisherId, offerId);
  const [load, retry] = useLoad((signal) => loadHistory(base, signal), base);
  return (
    <OfferPageFrame publisherId={publisherId} offerId={offerId} page="history" title="History" intro={`What happened to ${offerId}, newest first`}>
      <Loaded load={load} what="the offer's history" retry={retry}>
        {({ offer, events, versions }) => (
          <>
            <section className={styles.section} aria-labelledby="events">
              <Title3 as="h2" id="events">Events</Title3>
              <Table aria-label="History events">
                <TableHeader><TableRow><TableHeaderCell>When</TableHeaderCell><TableHeaderCell>Event</TableHeaderCell><TableHeaderCell>By</TableHeaderCell><TableHeaderCell>Detail</TableHeaderCell></TableRow></TableHeader>
                <TableBody>
                  {events.map((e, i) => (
                    <TableRow key={i}>
                      <TableCell>{when(e.at)}</TableCell>
                      <TableCell>{e.event}</TableCell>
                      <TableCell>{e.by ?? 'Lantern'}</TableCell>
                      <TableCell>{e.detail ?? ''}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
            <section className={styles.section} aria-labelledby="versions">
              <Title3 as="h2" id="versions">Versions</Title3>
              {versions.length === 0 ? <Empty title="No versions yet">Each Publish makes an immutable version of the offer.</Empty> : (
                <Table aria-label="Versions">
                  <TableHeader><TableRow><TableHeaderCell>Version</TableHeaderCell><TableHeaderCell>Made</TableHeaderCell><TableHeaderCell>By</TableHeaderCell><TableHeaderCell>How</TableHeaderCell><TableHeaderCell>Where</TableHeaderCell></TableRow></TableHeader>
                  <TableBody>
                    {versions.map((v) => (
                      <TableRow key={v.number}>
                        <TableCell>{v.number}</TableCell>
                        <TableCell>{when(v.createdAt)}</TableCell>
                        <TableCell>{v.createdBy}</TableCell>
                        <TableCell>{v.origin === 'submission' ? 'Publish' : 'Sync private audience'}</TableCell>
                        <TableCell>
                          {v.number === offer.publication.liveVersion ? <Badge appearance="tint" color="success">Live</Badge>
                            : v.number === offer.publication.previewVersion ? <Badge appearance="tint" color="informative">Preview</Badge> : 'Earlier'}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </section>
          </>
        )}
      </Loaded>
    </OfferPageFrame>
  );
}
