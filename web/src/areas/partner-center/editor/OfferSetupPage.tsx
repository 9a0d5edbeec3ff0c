/**
 * Offer setup: the offer's id and alias, and where customer leads go. The destinations and their fields
 * come from `GET /partner-center/lead-destinations` ("None" always first); switching starts from empty
 * fields. Secrets come back as `********` and are kept when sent back unchanged.
 */
import { Field, Input, Select, Text, Title3 } from '@fluentui/react-components';
import type { LeadDestinationForm } from '../../../../../src/core/marketplace/leads.ts';
import { getJson, sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { Loaded, useLoad } from '../../../states.tsx';
import { SaveBar, useDraftForm } from './draft-form.tsx';
import { useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';

type Destination = Record<string, unknown> & { type: string };
const BASE = 'setup.customerLeads';
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The fields a destination shows: Dynamics 365 asks for an app's or a user's credentials, by its authentication. */
function fieldsOf(form: LeadDestinationForm | undefined, d: Destination): LeadDestinationForm['fields'] {
  const fields = form?.fields ?? [];
  if (d.type !== 'dynamics') return fields;
  const hidden = d.authentication === 'office365' ? ['applicationId', 'directoryId', 'applicationKey', 'authentication'] : ['username', 'password', 'authentication'];
  return fields.filter((f) => !hidden.includes(f.name));
}

function emptyOf(form: LeadDestinationForm): Destination {
  const d: Destination = { type: form.type };
  for (const f of form.fields) d[f.name] = f.name === 'contactEmails' ? [] : '';
  if (form.type === 'dynamics') d.authentication = 'azureAD';
  return d;
}

/** Only the chosen type's fields go to the API (and, for Dynamics 365, only its authentication's). */
function body(forms: readonly LeadDestinationForm[], d: Destination): Destination {
  const out: Destination = { type: d.type };
  const form = forms.find((f) => f.type === d.type);
  for (const f of fieldsOf(form, d)) if (d[f.name] !== undefined) out[f.name] = d[f.name];
  // The box keeps what is typed (a trailing ";"); the API gets the addresses.
  if (Array.isArray(out.contactEmails)) out.contactEmails = (out.contactEmails as string[]).map((e) => e.trim()).filter((e) => e !== '');
  if (d.type === 'dynamics') out.authentication = d.authentication;
  return out;
}

function SetupForm({ forms }: { forms: readonly LeadDestinationForm[] }) {
  const styles = useFormStyles();
  const { offer, validation, api } = useEditor();
  const form = useDraftForm<Destination>(offer.draft.setup.customerLeads as unknown as Destination, (d) => sendJson('PUT', `${api}/setup`, { customerLeads: body(forms, d) }));
  const errors = new FieldErrors(validation.violations, 'Offer setup', form.error, `${BASE}.`);
  const d = form.value;
  const chosen = forms.find((f) => f.type === d.type);
  return (
    <div className={styles.form}>
      <div className={styles.row}>
        <Field label="Offer ID"><Input value={offer.offerId} readOnly /></Field>
        <Field label="Offer alias" hint="Inside Partner Center only" {...errors.at('alias')}><Input value={offer.draft.alias} readOnly /></Field>
      </div>
      <Title3 as="h2">Customer leads</Title3>
      <Text>Every customer who acquires the offer, or asks to be contacted, becomes a lead in Referrals; Lantern also sends it to the destination you connect here.</Text>
      <Field label="Lead destination" {...errors.at(`${BASE}.type`)}>
        <Select value={d.type} onChange={(_, { value }) => { const f = forms.find((x) => x.type === value); if (f) form.set(emptyOf(f)); }}>
          {forms.filter((f) => f.selectable || f.type === d.type).map((f) => <option key={f.type} value={f.type} disabled={!f.selectable}>{f.label}</option>)}
        </Select>
      </Field>
      {d.type === 'dynamics' ? (
        <Field label="Authentication">
          <Select value={text(d.authentication) || 'azureAD'} onChange={(_, { value }) => form.set({ ...d, authentication: value })}>
            <option value="azureAD">Azure Active Directory (application)</option>
            <option value="office365">Office 365 (user name and password)</option>
          </Select>
        </Field>
      ) : null}
      {fieldsOf(chosen, d).map((f) => f.name === 'contactEmails' ? (
        <Field key={f.name} label={`${f.label} (separate with ;)`} {...errors.at(`${BASE}.contactEmails`)}>
          <Input value={((d.contactEmails as string[] | undefined) ?? []).join(';')} onChange={(_, { value }) => form.set({ ...d, contactEmails: value === '' ? [] : value.split(';') })} />
        </Field>
      ) : (
        <Field key={f.name} label={f.label} {...errors.at(`${BASE}.${f.name}`)}>
          <Input type={f.secret ? 'password' : 'text'} value={text(d[f.name])} onChange={(_, { value }) => form.set({ ...d, [f.name]: value })} />
        </Field>
      ))}
      <OtherProblems errors={errors} />
      <SaveBar form={form} />
    </div>
  );
}

export function OfferSetupPage() {
  const [load, retry] = useLoad((signal) => getJson<{ value: LeadDestinationForm[] }>('/partner-center/lead-destinations', signal), 'lead-destinations');
  return (
    <>
      <PageHeading title="Offer setup">The offer's identity and where its customer leads go.</PageHeading>
      <Loaded load={load} what="the lead destinations" retry={retry}>{({ value }) => <SetupForm forms={value} />}</Loaded>
    </>
  );
}
