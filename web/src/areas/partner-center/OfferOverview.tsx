/** Partner Center → an offer's overview: its status, versions, and each section's status with what still needs work. */
import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { OfferValidation } from '../../../../src/core/marketplace/validate-offer.ts';
import { getJson } from '../../api.ts';
import { PageHeading } from '../../page.tsx';
import { RouteLink } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { STATUS_COLOR, type OfferView } from './offers.ts';

const SECTION_COLOR = { Complete: 'success', Incomplete: 'warning', 'Not started': 'subtle' } as const;

const useStyles = makeStyles({
  back: { display: 'inline-block', marginBottom: tokens.spacingVerticalM },
  facts: { display: 'flex', gap: tokens.spacingHorizontalXL, alignItems: 'center', marginBottom: tokens.spacingVerticalL },
  section: { marginTop: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

async function loadOverview(base: string, signal: AbortSignal): Promise<{ offer: OfferView; validation: OfferValidation }> {
  const [offer, validation] = await Promise.all([getJson<OfferView>(base, signal), getJson<OfferValidation>(`${base}/validation`, signal)]);
  return { offer, validation };
}

export function OfferOverview({ publisherId, offerId }: { publisherId: string; offerId: string }) {
  const styles = useStyles();
  const base = `/partner-center/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}`;
  const [load, retry] = useLoad((signal) => loadOverview(base, signal), base);
  return (
    <>
      <RouteLink to="/portal/partner-center" className={styles.back}>← Marketplace offers</RouteLink>
      <Loaded load={load} what="the offer" retry={retry}>
        {({ offer, validation }) => (
          <>
            <PageHeading title={offer.draft.listing?.name ?? offer.draft.alias ?? offer.offerId}>Offer overview · {offer.offerId}</PageHeading>
            <div className={styles.facts}>
              <Badge appearance="tint" color={STATUS_COLOR[offer.status] ?? 'informative'}>{offer.status}</Badge>
              <Text>Preview version: {offer.publication.previewVersion ?? 'none'}</Text>
              <Text>Live version: {offer.publication.liveVersion ?? 'none'}</Text>
            </div>
            <section className={styles.section} aria-labelledby="sections">
              <Title3 as="h2" id="sections">Sections</Title3>
              <Table aria-label="Sections">
                <TableHeader>
                  <TableRow><TableHeaderCell>Section</TableHeaderCell><TableHeaderCell>Status</TableHeaderCell></TableRow>
                </TableHeader>
                <TableBody>
                  {validation.sections.map((s) => (
                    <TableRow key={s.section}>
                      <TableCell>{s.section}</TableCell>
                      <TableCell><Badge appearance="tint" color={SECTION_COLOR[s.status]}>{s.status}</Badge></TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
            <section className={styles.section} aria-labelledby="attention">
              <Title3 as="h2" id="attention">What needs attention</Title3>
              {validation.violations.length === 0 ? <Empty title="Nothing: every section is complete" /> : (
                <Table aria-label="What needs attention">
                  <TableHeader>
                    <TableRow><TableHeaderCell>Section</TableHeaderCell><TableHeaderCell>Severity</TableHeaderCell><TableHeaderCell>Message</TableHeaderCell></TableRow>
                  </TableHeader>
                  <TableBody>
                    {validation.violations.map((v) => (
                      <TableRow key={`${v.section}/${v.field}/${v.rule}`}>
                        <TableCell>{v.section}</TableCell>
                        <TableCell>{v.severity}</TableCell>
                        <TableCell>{v.message}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}
