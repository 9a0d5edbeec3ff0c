/**
 * A plan's listing and availability: name, summary, description and visibility (`PATCH …/plans/{id}`);
 * a private plan's audience; deleting a plan that was never published.
 */
import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Textarea } from '@fluentui/react-components';
import type { Plan } from '../../../../../src/core/marketplace/model.ts';
import { sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { RouteLink, navigate } from '../../../router.tsx';
import { Empty } from '../../../states.tsx';
import { AudiencePanel } from './AudiencePanel.tsx';
import { SaveBar, useDraftForm } from './draft-form.tsx';
import { sectionRoute, useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';

type PlanListing = Pick<Plan, 'name' | 'summary' | 'description' | 'visibility'>;

function PlanForm({ plan, index }: { plan: Plan; index: number }) {
  const styles = useFormStyles();
  const { offer, validation, api, route, refresh } = useEditor();
  const path = `${api}/plans/${encodeURIComponent(plan.id)}`;
  const form = useDraftForm<PlanListing>({ name: plan.name, summary: plan.summary, description: plan.description, visibility: plan.visibility }, (p) => sendJson('PATCH', path, p));
  const [deleteRefusal, setDeleteRefusal] = useState<string>();
  const at = `plans[${index}]`;
  const errors = new FieldErrors(validation.violations, `Plans/${plan.id}`, form.error);
  const p = form.value;
  const remove = async () => {
    try {
      await sendJson('DELETE', path);
      await refresh();
      navigate(sectionRoute(route, 'plans'));
    } catch (error) {
      setDeleteRefusal(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <>
      <PageHeading title={plan.name || plan.id}>Plan listing · {plan.id} · <RouteLink to={sectionRoute(route, `plans/${encodeURIComponent(plan.id)}/technical-configuration`)}>Technical configuration</RouteLink></PageHeading>
      <div className={styles.form}>
        <Field label="Plan name" {...errors.at(`${at}.name`)}><Input value={p.name} onChange={(_, { value }) => form.set({ ...p, name: value })} /></Field>
        <Field label="Plan summary" {...errors.at(`${at}.summary`)}><Input value={p.summary} onChange={(_, { value }) => form.set({ ...p, summary: value })} /></Field>
        <Field label="Plan description" {...errors.at(`${at}.description`)}>
          <Textarea resize="vertical" rows={5} value={p.description} onChange={(_, { value }) => form.set({ ...p, description: value })} />
        </Field>
        <Field label="Visibility" hint="A plan published as public can never become private" {...errors.at(`${at}.visibility`)}>
          <RadioGroup layout="horizontal" value={p.visibility} onChange={(_, { value }) => form.set({ ...p, visibility: value === 'private' ? 'private' : 'public' })}>
            <Radio value="public" label="Public" />
            <Radio value="private" label="Private" />
          </RadioGroup>
        </Field>
        <OtherProblems errors={errors} />
        <SaveBar form={form} />
        {plan.visibility === 'private' ? (
          <AudiencePanel label={`Private audience of ${plan.name || plan.id}`} path={`${path}/private-audience`} members={plan.privateAudience} fileName={`${offer.offerId}-${plan.id}-audience.csv`} />
        ) : null}
        <div>
          <Button onClick={() => void remove()}>Delete plan</Button>
        </div>
        {deleteRefusal === undefined ? null : <MessageBar intent="error"><MessageBarBody>{deleteRefusal}</MessageBarBody></MessageBar>}
      </div>
    </>
  );
}

export function PlanListingPage({ planId }: { planId: string }) {
  const { offer } = useEditor();
  const index = offer.draft.plans.findIndex((p) => p.id === planId);
  if (index < 0) return <Empty title={`This offer has no plan "${planId}"`}>It may have been deleted; see Plan overview.</Empty>;
  return <PlanForm plan={offer.draft.plans[index]!} index={index} />;
}
