/** Plan overview: the offer's plans with their sections' statuses, and "+ Create new plan" (id and name, checked by the API). */
import { useState } from 'react';
import { Badge, Button, Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3 } from '@fluentui/react-components';
import { sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { RouteLink, navigate } from '../../../router.tsx';
import { Empty } from '../../../states.tsx';
import { sectionRoute, useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';
import { STATUS_COLOR } from './SectionMenu.tsx';

export function PlanOverviewPage() {
  const styles = useFormStyles();
  const { offer, validation, api, route, refresh } = useEditor();
  const [planId, setPlanId] = useState('');
  const [name, setName] = useState('');
  const [refusal, setRefusal] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const errors = new FieldErrors(validation.violations, 'Plan overview', refusal, 'new.');
  const status = (section: string) => validation.sections.find((s) => s.section === section)?.status ?? 'Not started';
  const create = async () => {
    setBusy(true);
    try {
      await sendJson('POST', `${api}/plans`, { planId, name });
      setRefusal(undefined);
      await refresh();
      navigate(sectionRoute(route, `plans/${encodeURIComponent(planId)}`));
    } catch (error) {
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };
  const plans = offer.draft.plans;
  return (
    <>
      <PageHeading title="Plan overview">Each plan is a way customers can acquire the offer, with its own listing and technical configuration.</PageHeading>
      <section className={styles.group} aria-labelledby="new-plan">
        <Title3 as="h2" id="new-plan">Create a new plan</Title3>
        <div className={styles.inline}>
          <Field label="Plan ID" hint="Visible to customers; cannot change later" {...errors.at('new.id')}><Input value={planId} onChange={(_, { value }) => setPlanId(value)} /></Field>
          <Field label="Plan name" {...errors.at('new.name')}><Input value={name} onChange={(_, { value }) => setName(value)} /></Field>
          <Button appearance="primary" disabled={busy} onClick={() => void create()}>Create plan</Button>
        </div>
      </section>
      <OtherProblems errors={errors} />
      <section className={styles.group} aria-labelledby="plans">
        <Title3 as="h2" id="plans">Plans</Title3>
        {plans.length === 0 ? <Empty title="No plans yet">An offer needs at least one plan.</Empty> : (
          <Table aria-label="Plans">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Plan</TableHeaderCell><TableHeaderCell>Plan ID</TableHeaderCell><TableHeaderCell>Visibility</TableHeaderCell>
                <TableHeaderCell>Plan listing</TableHeaderCell><TableHeaderCell>Technical configuration</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {plans.map((p) => {
                const listing = status(`Plans/${p.id}`);
                const technical = status(`Plans/${p.id}/Technical configuration`);
                return (
                  <TableRow key={p.id}>
                    <TableCell><RouteLink to={sectionRoute(route, `plans/${encodeURIComponent(p.id)}`)}>{p.name || p.id}</RouteLink></TableCell>
                    <TableCell>{p.id}</TableCell>
                    <TableCell>{p.visibility === 'private' ? 'Private' : 'Public'}</TableCell>
                    <TableCell><Badge appearance="tint" color={STATUS_COLOR[listing]}>{listing}</Badge></TableCell>
                    <TableCell><Badge appearance="tint" color={STATUS_COLOR[technical]}>{technical}</Badge></TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>
    </>
  );
}
