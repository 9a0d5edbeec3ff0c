/**
 * Service providers → Add offer: a provider's Azure Lighthouse ARM template (and its parameters),
 * pasted or uploaded, deployed at one of the user's subscriptions through ARM's deployments API —
 * exactly what `az deployment sub create` does. The deployment decides what is allowed.
 */
import { useState, type ChangeEvent } from 'react';
import { Button, Field, Input, Select, Spinner, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { RouteLink, navigate } from '../../../router.tsx';
import { useSession } from '../../../session.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { listSubscriptions } from '../arm.ts';
import { ActionFailure, asError } from './ActionFailure.tsx';
import { deployTemplate } from './lighthouse.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '900px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalL },
  code: { fontFamily: tokens.fontFamilyMonospace },
  upload: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
});

/** `text` as JSON, or an error naming `what` in words. */
function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`The ${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A parameters file (`{ $schema, contentVersion, parameters }`) or its `parameters` alone. */
function parametersOf(text: string): unknown {
  if (text.trim() === '') return undefined;
  const value = parse(text, 'parameters file') as { parameters?: unknown; contentVersion?: unknown };
  return value.contentVersion !== undefined && value.parameters !== undefined ? value.parameters : value;
}

/** A JSON text field that also takes a file. */
function JsonField({ label, value, onChange, required }: { label: string; value: string; onChange: (text: string) => void; required?: boolean }) {
  const styles = useStyles();
  const upload = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void file.text().then(onChange);
  };
  return (
    <>
      <Field label={label} required={required ?? false}>
        <Textarea className={styles.code} resize="vertical" rows={10} value={value} onChange={(_, data) => onChange(data.value)} />
      </Field>
      <label className={styles.upload}>
        Or upload the {label.toLowerCase()} file (.json)
        <input type="file" accept=".json,application/json" onChange={upload} />
      </label>
    </>
  );
}

export function AddOffer() {
  const styles = useStyles();
  const session = useSession();
  const [load, retry] = useLoad(listSubscriptions, 'subscriptions');
  const [subscriptionId, setSubscriptionId] = useState('');
  const [name, setName] = useState('lighthouse-onboarding');
  const [location, setLocation] = useState('westeurope');
  const [template, setTemplate] = useState('');
  const [parameters, setParameters] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const deploy = async (target: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await deployTemplate(target, name, location, parse(template, 'template'), parametersOf(parameters));
      navigate('/portal/service-providers');
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <RouteLink to="/portal/service-providers">← Service providers</RouteLink>
      <PageHeading title="Add offer from a template">Deploy a provider's Azure Lighthouse template (Microsoft.ManagedServices registration definition and assignment) at one of your subscriptions.</PageHeading>
      <Loaded load={load} what="your subscriptions" retry={retry}>
        {(all) => {
          const own = all.filter((s) => s.tenantId === session.account.tenantId);
          if (own.length === 0) return <Empty title="You have no subscription of your own">Only subscriptions of your directory can be delegated.</Empty>;
          const target = subscriptionId || own[0]!.subscriptionId;
          return (
            <form className={styles.form} onSubmit={(event) => { event.preventDefault(); void deploy(target); }}>
              <Field label="Subscription" required>
                <Select value={target} onChange={(_, data) => setSubscriptionId(data.value)}>
                  {own.map((s) => <option key={s.subscriptionId} value={s.subscriptionId}>{s.displayName} ({s.subscriptionId})</option>)}
                </Select>
              </Field>
              <div className={styles.row}>
                <Field label="Deployment name" required><Input value={name} onChange={(_, data) => setName(data.value)} /></Field>
                <Field label="Location" required><Input value={location} onChange={(_, data) => setLocation(data.value)} /></Field>
              </div>
              <JsonField label="Template" value={template} onChange={setTemplate} required />
              <JsonField label="Parameters" value={parameters} onChange={setParameters} />
              <ActionFailure title="Not deployed" error={error} />
              <div className={styles.actions}>
                <Button type="submit" appearance="primary" disabled={busy || template.trim() === '' || name.trim() === ''}>Deploy</Button>
                {busy ? <Spinner size="tiny" label="Deploying…" /> : null}
              </div>
            </form>
          );
        }}
      </Loaded>
    </>
  );
}
