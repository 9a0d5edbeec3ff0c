/**
 * Portal → Access check: may this principal do this action here, and why? The question lives in the
 * address (`?action=&scope=&principal=&dataAction=`), so an answer can be shared; the engine answers
 * through `GET /lantern/explain`, with the grants that allow it or what is missing.
 */
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { navigate, useLocation } from '../../../router.tsx';
import { useSession } from '../../../session.tsx';
import { Failure, Loading, useLoad } from '../../../states.tsx';
import { listResourceGroups, listSubscriptions } from '../arm.ts';
import { Answer } from './Answer.tsx';
import { delegatedPrincipals, explain, type Question } from './explain.ts';

const COMMON_ACTIONS = [
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Resources/subscriptions/resourceGroups/write',
  'Microsoft.Resources/subscriptions/resourceGroups/delete',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Compute/virtualMachines/write',
  'Microsoft.Storage/storageAccounts/write',
  'Microsoft.ManagedServices/registrationAssignments/delete',
  'Microsoft.Insights/eventtypes/values/read',
];

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/** Scopes the user can see, by name: subscriptions and their resource groups (suggestions and names for ids). */
async function loadScopes(signal: AbortSignal): Promise<Map<string, string>> {
  const subscriptions = await listSubscriptions(signal);
  const names = new Map<string, string>();
  const groups = await Promise.allSettled(subscriptions.map((s) => listResourceGroups(s.subscriptionId, signal)));
  subscriptions.forEach((s, i) => {
    names.set(`/subscriptions/${s.subscriptionId}`.toLowerCase(), s.displayName);
    const result = groups[i]!;
    if (result.status === 'fulfilled') for (const g of result.value) names.set(g.id.toLowerCase(), `${g.name} (in ${s.displayName})`);
  });
  return names;
}

const subscriptionOf = (scope: string) => /^\/subscriptions\/([^/]+)/i.exec(scope.trim())?.[1];

function questionOf(params: URLSearchParams): Question | undefined {
  const action = params.get('action') ?? '';
  const scope = params.get('scope') ?? '';
  const principal = params.get('principal');
  if (action === '' || scope === '') return undefined;
  return { action, scope, dataAction: params.get('dataAction') === 'true', ...(principal === null || principal === '' ? {} : { principalId: principal }) };
}

export function AccessCheck() {
  const styles = useStyles();
  const session = useSession();
  const location = useLocation();
  const asked = questionOf(location.searchParams);
  const [action, setAction] = useState(asked?.action ?? '');
  const [scope, setScope] = useState(asked?.scope ?? '');
  const [principal, setPrincipal] = useState(asked?.principalId ?? '');
  const [choice, setChoice] = useState(asked?.principalId === undefined ? 'me' : 'other');
  const [dataAction, setDataAction] = useState(asked?.dataAction ?? false);
  const [scopes] = useLoad(loadScopes, 'scopes');
  const subscription = subscriptionOf(scope) ?? '';
  const [known] = useLoad((signal) => (subscription === '' ? Promise.resolve([]) : delegatedPrincipals(subscription, signal)), subscription);
  const [answer, retry] = useLoad((signal) => (asked === undefined ? Promise.resolve(undefined) : explain(asked, signal)), location.search);
  const names = scopes.state === 'loaded' ? scopes.data : new Map<string, string>();
  const scopeName = (s: string) => names.get(s.toLowerCase()) ?? s;
  const principals = known.state === 'loaded' ? known.data : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const principalId = choice === 'me' ? '' : choice === 'other' ? principal.trim() : choice;
    const query = new URLSearchParams({ action: action.trim(), scope: scope.trim() });
    if (principalId !== '') query.set('principal', principalId);
    if (dataAction) query.set('dataAction', 'true');
    navigate(`/portal/access-check?${query.toString()}`);
  };

  return (
    <>
      <PageHeading title="Access check">Ask whether a principal may perform an action at a scope, and see why: the role assignment, delegation or activated role that allows it, or what is missing.</PageHeading>
      <form className={styles.form} onSubmit={submit} aria-label="Access check">
        <Field label="Principal" hint="You, a principal a delegation of the scope's subscription names, or any user or service principal by object ID (asking about others needs Owner or User Access Administrator on the scope).">
          <Select value={choice} onChange={(_e, data) => setChoice(data.value)}>
            <option value="me">Me ({session.account.name ?? session.account.username})</option>
            {principals.map((p) => <option key={p.id} value={p.id}>{p.displayName}{p.from === undefined ? '' : ` (${p.from})`}</option>)}
            <option value="other">Another principal, by object ID</option>
          </Select>
        </Field>
        {choice === 'other' ? (
          <Field label="Object ID" required>
            <Input value={principal} onChange={(_e, data) => setPrincipal(data.value)} placeholder="00000000-0000-0000-0000-000000000000" />
          </Field>
        ) : null}
        <Field label="Action" required hint="An RBAC action, e.g. Microsoft.Compute/virtualMachines/write.">
          <Input value={action} onChange={(_e, data) => setAction(data.value)} list="common-actions" />
        </Field>
        <datalist id="common-actions">{COMMON_ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
        <Checkbox checked={dataAction} onChange={(_e, data) => setDataAction(data.checked === true)} label="This is a data action" />
        <Field label="Scope" required hint="A subscription, resource group or resource id; your subscriptions and resource groups are suggested.">
          <Input value={scope} onChange={(_e, data) => setScope(data.value)} list="known-scopes" />
        </Field>
        <datalist id="known-scopes">{[...names.entries()].map(([id, name]) => <option key={id} value={id}>{name}</option>)}</datalist>
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={action.trim() === '' || scope.trim() === '' || (choice === 'other' && principal.trim() === '')}>Check access</Button>
        </div>
      </form>
      {asked === undefined ? null : answer.state === 'loading' ? <Loading what="the answer" /> : answer.state === 'failed' ? <Failure error={answer.error} what="the answer" retry={retry} /> : answer.data === undefined ? null : <Answer answer={answer.data} scopeName={scopeName} />}
    </>
  );
}
