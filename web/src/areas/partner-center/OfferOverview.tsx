/**
 * The offer editor's overview: the offer's status and versions, each section with its status (a link
 * to its page), and everything that still needs attention, in the API's words.
 */
import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { RouteLink } from '../../router.tsx';
import { Empty } from '../../states.tsx';
import { sectionRoute, useEditor } from './editor/editor-context.ts';
import { STATUS_COLOR as SECTION_COLOR } from './editor/SectionMenu.tsx';
import { menuEntries } from './editor/sections.ts';
import { STATUS_COLOR } from './offers.ts';

const useStyles = makeStyles({
  facts: { display: 'flex', gap: tokens.spacingHorizontalXL, alignItems: 'center', marginBottom: tokens.spacingVerticalL },
  section: { marginTop: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

export function OfferOverview() {
  const styles = useStyles();
  const { offer, validation, route } = useEditor();
  const pageOf = new Map(menuEntries(offer.draft).filter((e) => e.section !== undefined).map((e) => [e.section!, e.page]));
  return (
    <>
      <PageHeading title={offer.draft.listing.name || offer.draft.alias || offer.offerId}>Offer overview · {offer.offerId}</PageHeading>
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
                <TableCell><RouteLink to={sectionRoute(route, pageOf.get(s.section) ?? '')}>{s.section}</RouteLink></TableCell>
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
  );
}
