/**
 * Partner Center → an offer → Compare: the draft beside the live version (else the preview), field by
 * field with the changed fields highlighted (the API's Compare says which), and who gains or loses
 * which role in each plan's manifest.
 */
import { useState } from 'react';
import {
  Badge, Checkbox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { Offer } from '../../../../../src/core/marketplace/model.ts';
import type { OfferChange } from '../../../../../src/core/marketplace/versions.ts';
import { getJson } from '../../../api.ts';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { authorizationChanges, flattenOffer, valueInWords } from './compare-fields.ts';
import { offerApi, type OfferDetail, type OfferVersionView } from './offer-api.ts';
import { OfferPageFrame } from './OfferPageFrame.tsx';

const CHANGE_COLOR = { added: 'success', removed: 'danger', edited: 'warning' } as const;

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  changed: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  value: { overflowWrap: 'anywhere', maxWidth: '420px' },
  path: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
});

interface Comparison {
  readonly draft: Offer;
  readonly against?: OfferVersionView;
  readonly live: boolean;
  readonly changes: readonly OfferChange[];
  readonly roles: ReadonlyMap<string, string>;
}

async function loadComparison(base: string, signal: AbortSignal): Promise<Comparison> {
  const [offer, compare, picker] = await Promise.all([
    getJson<OfferDetail & { draft: Offer }>(base, signal),
    getJson<{ against?: number; changes: OfferChange[] }>(`${base}/compare`, signal),
    getJson<{ value: { id: string; roleName: string }[] }>('/partner-center/role-picker?accessType=active', signal),
  ]);
  const against = compare.against === undefined ? undefined : await getJson<OfferVersionView>(`${base}/versions/${compare.against}`, signal);
  return {
    draft: offer.draft, ...(against === undefined ? {} : { against }), live: compare.against !== undefined && compare.against === offer.publication.liveVersion,
    changes: compare.changes, roles: new Map(picker.value.map((r) => [r.id.toLowerCase(), r.roleName])),
  };
}

/** A field is changed when the API names it, a field inside it, or a list or object holding it. */
function changeOf(path: string, changes: readonly OfferChange[]): OfferChange | undefined {
  return changes.find((c) => c.path === path || path.startsWith(`${c.path}.`) || path.startsWith(`${c.path}[`) || c.path.startsWith(`${path}[`) || c.path.startsWith(`${path}.`));
}

export function Compare({ publisherId, offerId }: { publisherId: string; offerId: string }) {
  const base = offerApi(publisherId, offerId);
  const [load, retry] = useLoad((signal) => loadComparison(base, signal), base);
  return (
    <OfferPageFrame publisherId={publisherId} offerId={offerId} page="compare" title="Compare" intro={`The draft of ${offerId} beside what customers see now`}>
      <Loaded load={load} what="the comparison" retry={retry}>
        {(c) => c.against === undefined ? <Empty title="Nothing to compare yet">The offer has no preview or live version: Compare shows the draft's changes once it is published.</Empty> : <ComparisonView c={c} against={c.against} />}
      </Loaded>
    </OfferPageFrame>
  );
}

function ComparisonView({ c, against }: { c: Comparison; against: OfferVersionView }) {
  const styles = useStyles();
  const [onlyChanged, setOnlyChanged] = useState(c.changes.length > 0);
  const before = flattenOffer(against.offer);
  const after = flattenOffer(c.draft);
  const paths = [...new Set([...after.keys(), ...before.keys()])];
  const rows = paths.map((path) => ({ path, change: changeOf(path, c.changes) })).filter((r) => !onlyChanged || r.change !== undefined);
  const roleChanges = authorizationChanges(against.offer, c.draft);
  const versionName = `${c.live ? 'Live' : 'Preview'} (version ${against.number})`;
  return (
    <>
      <Text>
        {c.changes.length === 0 ? `The draft is the same as the ${c.live ? 'live' : 'preview'} version ${against.number}.`
          : `${c.changes.length} change${c.changes.length === 1 ? '' : 's'} in the draft against the ${c.live ? 'live' : 'preview'} version ${against.number}.`}
      </Text>
      <section className={styles.section} aria-labelledby="authorizations">
        <Title3 as="h2" id="authorizations">Who gains or loses access</Title3>
        {roleChanges.length === 0 ? <Empty title="No change to the manifests' authorizations" /> : (
          <Table aria-label="Authorization changes">
            <TableHeader><TableRow><TableHeaderCell>Plan</TableHeaderCell><TableHeaderCell>Principal</TableHeaderCell><TableHeaderCell>Change</TableHeaderCell><TableHeaderCell>Role</TableHeaderCell><TableHeaderCell>Access</TableHeaderCell></TableRow></TableHeader>
            <TableBody>
              {roleChanges.map((r) => (
                <TableRow key={`${r.planId}/${r.change}/${r.principal}/${r.roleDefinitionId}/${r.accessType}`}>
                  <TableCell>{r.planId}</TableCell>
                  <TableCell>{r.principal}</TableCell>
                  <TableCell><Badge appearance="tint" color={r.change === 'gains' ? 'success' : 'danger'}>{r.change === 'gains' ? 'Gains' : 'Loses'}</Badge></TableCell>
                  <TableCell>{c.roles.get(r.roleDefinitionId.toLowerCase()) ?? r.roleDefinitionId}</TableCell>
                  <TableCell>{r.accessType === 'eligible' ? 'Eligible (just in time)' : 'Active'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
      <section className={styles.section} aria-labelledby="fields">
        <Title3 as="h2" id="fields">Field by field</Title3>
        <Checkbox label="Only changed fields" checked={onlyChanged} onChange={(_, d) => setOnlyChanged(d.checked === true)} />
        <Table aria-label="Fields: draft and published">
          <TableHeader><TableRow><TableHeaderCell>Field</TableHeaderCell><TableHeaderCell>Change</TableHeaderCell><TableHeaderCell>{versionName}</TableHeaderCell><TableHeaderCell>Draft</TableHeaderCell></TableRow></TableHeader>
          <TableBody>
            {rows.map(({ path, change }) => (
              <TableRow key={path} className={change === undefined ? undefined : styles.changed}>
                <TableCell className={styles.path}>{path}</TableCell>
                <TableCell>{change === undefined ? 'Same' : <Badge appearance="tint" color={CHANGE_COLOR[change.change]}>{change.change[0]!.toUpperCase() + change.change.slice(1)}</Badge>}</TableCell>
                <TableCell className={styles.value}>{valueInWords(before.get(path))}</TableCell>
                <TableCell className={styles.value}>{valueInWords(after.get(path))}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </>
  );
}
