/**
 * A plan's technical configuration: the current manifest — the managing tenant and its authorizations —
 * edited while it is unpublished (`PUT …/manifests/current`; a published one is refused by the API), and
 * "+ New manifest": the same content under a higher version (`POST …/manifests`), the way a published
 * plan is updated. The first manifest is created with its version.
 */
import { useState } from 'react';
import { Button, Field, Input, Text, Title3 } from '@fluentui/react-components';
import type { Manifest, Plan, PlanAuthorization } from '../../../../../src/core/marketplace/model.ts';
import { getJson, sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { RouteLink } from '../../../router.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { AuthorizationEditor, type RoleCatalog, type RoleChoice } from './AuthorizationEditor.tsx';
import { SaveBar, useDraftForm } from './draft-form.tsx';
import { sectionRoute, useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';

const EMPTY_AUTHORIZATION: PlanAuthorization = { displayName: '', principalId: '', roleDefinitionId: '', accessType: 'active' };

async function loadRoles(signal: AbortSignal): Promise<RoleCatalog> {
  const list = async (path: string) => (await getJson<{ value: RoleChoice[] }>(path, signal)).value;
  const [active, eligible, assignable] = await Promise.all([
    list('/partner-center/role-picker?accessType=active'), list('/partner-center/role-picker?accessType=eligible'), list('/partner-center/assignable-roles'),
  ]);
  return { active, eligible, assignable };
}

function ManifestForm({ plan, index, roles }: { plan: Plan; index: number; roles: RoleCatalog }) {
  const styles = useFormStyles();
  const { validation, api, refresh } = useEditor();
  const path = `${api}/plans/${encodeURIComponent(plan.id)}/manifests`;
  const manifests = plan.technicalConfiguration.manifests;
  const current = manifests.at(-1);
  const saved: Manifest = current ?? { version: '1.0.0', tenantId: '', authorizations: [] };
  const form = useDraftForm<Manifest>(saved, ({ version, tenantId, authorizations }) => current === undefined
    ? sendJson('POST', path, { version, tenantId, authorizations })
    : sendJson('PUT', `${path}/current`, { tenantId, authorizations }));
  const [newVersion, setNewVersion] = useState('');
  const [newRefusal, setNewRefusal] = useState<unknown>();
  const last = Math.max(manifests.length - 1, 0);
  const at = `plans[${index}].technicalConfiguration.manifests`;
  const errors = new FieldErrors(validation.violations, `Plans/${plan.id}/Technical configuration`, form.error, `${at}[${last}].`);
  const versionErrors = new FieldErrors([], '', newRefusal, 'new.');
  const m = form.value;
  const setAuth = (i: number, next: PlanAuthorization) => form.set({ ...m, authorizations: m.authorizations.map((x, j) => (j === i ? next : x)) });

  const newManifest = async () => {
    try {
      await sendJson('POST', path, { version: newVersion, tenantId: m.tenantId, authorizations: m.authorizations });
      setNewRefusal(undefined);
      setNewVersion('');
      await refresh();
    } catch (error) {
      setNewRefusal(error);
    }
  };

  return (
    <div className={styles.form}>
      <Text>
        {current === undefined ? 'No manifest yet: give it a version, your tenant ID and at least one Active authorization.'
          : `Current manifest: version ${current.version}${manifests.length > 1 ? ` (${manifests.length} versions)` : ''}.`}
      </Text>
      <div className={styles.row}>
        <Field label="Manifest version" hint={current === undefined ? 'n.n.n, e.g. 1.0.0' : 'Set when the manifest was created'} {...errors.at(`${at}[${last}].version`)}>
          <Input value={m.version} readOnly={current !== undefined} onChange={(_, { value }) => form.set({ ...m, version: value })} />
        </Field>
        <Field label="Tenant ID" hint="Your managing tenant" {...errors.at(`${at}[${last}].tenantId`)}>
          <Input value={m.tenantId} onChange={(_, { value }) => form.set({ ...m, tenantId: value })} />
        </Field>
      </div>
      <Title3 as="h2">Authorizations</Title3>
      {m.authorizations.length === 0 ? <Empty title="No authorizations yet">Add who in your tenant gets which role on the customer's resources.</Empty> : null}
      {m.authorizations.map((a, i) => (
        <AuthorizationEditor
          key={i}
          value={a}
          index={i}
          at={`${at}[${last}].authorizations[${i}]`}
          errors={errors}
          roles={roles}
          onChange={(next) => setAuth(i, next)}
          onRemove={() => form.set({ ...m, authorizations: m.authorizations.filter((_, j) => j !== i) })}
        />
      ))}
      <div><Button onClick={() => form.set({ ...m, authorizations: [...m.authorizations, EMPTY_AUTHORIZATION] })}>Add an authorization</Button></div>
      <OtherProblems errors={errors} />
      <SaveBar form={form} />
      {current === undefined ? null : (
        <section className={styles.group} aria-labelledby="new-manifest">
          <Title3 as="h2" id="new-manifest">New manifest version</Title3>
          <Text>A published manifest never changes: to change a published plan's access, create a new manifest with a higher version. It starts from the manifest above, unsaved edits included; customers accept the update.</Text>
          <div className={styles.inline}>
            <Field label="New version" {...versionErrors.at('new.version')}><Input value={newVersion} onChange={(_, { value }) => setNewVersion(value)} /></Field>
            <Button onClick={() => void newManifest()}>+ New manifest</Button>
          </div>
          <OtherProblems errors={versionErrors} />
        </section>
      )}
    </div>
  );
}

export function TechnicalConfigurationPage({ planId }: { planId: string }) {
  const { offer, route } = useEditor();
  const [roles, retry] = useLoad(loadRoles, 'roles');
  const index = offer.draft.plans.findIndex((p) => p.id === planId);
  const plan = offer.draft.plans[index];
  if (plan === undefined) return <Empty title={`This offer has no plan "${planId}"`}>It may have been deleted; see Plan overview.</Empty>;
  return (
    <>
      <PageHeading title={`Technical configuration · ${plan.name || plan.id}`}>
        Who in your tenant gets which role on a customer's delegated resources. <RouteLink to={sectionRoute(route, `plans/${encodeURIComponent(plan.id)}`)}>Plan listing</RouteLink>
      </PageHeading>
      <Loaded load={roles} what="the role picker" retry={retry}>{(catalog) => <ManifestForm plan={plan} index={index} roles={catalog} />}</Loaded>
    </>
  );
}
