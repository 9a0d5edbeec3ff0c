/**
 * An audience (the offer's preview audience, a private plan's audience): the subscriptions in a
 * virtualised list (10,000 stay smooth), one added or removed by hand, a CSV checked by the API's dry
 * run before it replaces the list, and the list exported as CSV. Every limit and message is the API's.
 */
import { useMemo, useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { AudienceMember } from '../../../../../src/core/marketplace/model.ts';
import type { ApiErrorDetail } from '../../../api.ts';
import { getText, sendJson } from '../../../api.ts';
import { VirtualRows } from '../../../VirtualRows.tsx';
import { Empty } from '../../../states.tsx';
import { useEditor } from './editor-context.ts';
import { useFormStyles } from './form-layout.ts';

const useStyles = makeStyles({
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap' },
  problems: { maxHeight: '160px', overflowY: 'auto', margin: 0 },
});

/** `POST …/csv {dryRun: true}`: what an import would do. */
interface CsvCheck { readonly members: readonly AudienceMember[]; readonly problems: readonly ApiErrorDetail[]; readonly limit: number; readonly withinLimit: boolean }

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Saves `text` as `name` through a link the browser downloads. */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function AudiencePanel({ label, title = label, path, members, fileName }: {
  /** Names the list (and the section). */
  label: string;
  /** The section's heading, when the page's own heading already says `label`. */
  title?: string;
  /** The audience's API path: `…/preview-audience` or `…/plans/{id}/private-audience`. */
  path: string;
  members: readonly AudienceMember[];
  fileName: string;
}) {
  const styles = { ...useFormStyles(), ...useStyles() };
  const { refresh } = useEditor();
  const [id, setId] = useState('');
  const [description, setDescription] = useState('');
  const [filter, setFilter] = useState('');
  const [refusal, setRefusal] = useState<{ at: 'add' | 'csv' | 'list'; text: string }>();
  const [check, setCheck] = useState<{ csv: string; name: string; result: CsvCheck }>();
  const [busy, setBusy] = useState(false);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f === '' ? members : members.filter((m) => m.id.toLowerCase().includes(f) || (m.description ?? '').toLowerCase().includes(f));
  }, [members, filter]);

  const run = async (at: 'add' | 'csv' | 'list', call: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await call();
      setRefusal(undefined);
      await refresh();
      return true;
    } catch (error) {
      setRefusal({ at, text: message(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const refusedAt = (at: 'add' | 'csv' | 'list') => (refusal?.at === at ? { validationState: 'error' as const, validationMessage: refusal.text } : {});

  return (
    <section className={styles.group} aria-label={label}>
      <Title3 as="h2">{title}</Title3>
      <div className={styles.bar}>
        <Field label="Subscription ID" {...refusedAt('add')}><Input value={id} onChange={(_, { value }) => setId(value)} /></Field>
        <Field label="Description (optional)"><Input value={description} onChange={(_, { value }) => setDescription(value)} /></Field>
        <Button disabled={busy || id.trim() === ''} onClick={() => void run('add', () => sendJson('POST', `${path}/members`, { id: id.trim(), ...(description.trim() === '' ? {} : { description: description.trim() }) })).then((ok) => { if (ok) { setId(''); setDescription(''); } })}>Add</Button>
      </div>
      <div className={styles.bar}>
        <Field label="Import a CSV (Id, Description, Type) — replaces the list" {...refusedAt('csv')}>
          {(control) => (
          <input
            {...control}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              if (!file) return;
              void file.text().then(async (csv) => {
                try {
                  const result = await sendJson<CsvCheck>('POST', `${path}/csv`, { csv, dryRun: true });
                  if (result === undefined) throw new Error('Lantern answered the check of the CSV without a report.');
                  setCheck({ csv, name: file.name, result });
                  setRefusal(undefined);
                } catch (error) {
                  setRefusal({ at: 'csv', text: message(error) });
                } finally {
                  input.value = '';
                }
              });
            }}
          />
          )}
        </Field>
        <Button disabled={busy} onClick={() => void getText(`${path}/csv`).then((csv) => download(csv, fileName), (error: unknown) => setRefusal({ at: 'list', text: message(error) }))}>Export CSV</Button>
      </div>
      {check === undefined ? null : (
        <MessageBar intent={check.result.problems.length === 0 ? 'info' : 'warning'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{check.name}: {check.result.members.length.toLocaleString('en-US')} subscriptions (at most {check.result.limit.toLocaleString('en-US')})</MessageBarTitle>
            {check.result.problems.length === 0 ? <Text>Importing replaces the {members.length.toLocaleString('en-US')} subscriptions in the list.</Text> : (
              <ul className={styles.problems} aria-label="Problems in the CSV">
                {check.result.problems.map((p, i) => <li key={i}>{p.target === undefined ? '' : `${p.target}: `}{p.message}</li>)}
              </ul>
            )}
            <div className={styles.bar}>
              <Button appearance="primary" disabled={busy || check.result.problems.length > 0} onClick={() => void run('csv', () => sendJson('POST', `${path}/csv`, { csv: check.csv })).then((ok) => { if (ok) setCheck(undefined); })}>Import {check.result.members.length.toLocaleString('en-US')} subscriptions</Button>
              <Button onClick={() => setCheck(undefined)}>Cancel</Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
      {refusal?.at === 'list' ? <MessageBar intent="error"><MessageBarBody>{refusal.text}</MessageBarBody></MessageBar> : null}
      {members.length === 0 ? <Empty title="No subscriptions yet">Add one by hand or import a CSV file.</Empty> : (
        <>
          <div className={styles.bar}>
            <Field label="Filter"><Input value={filter} onChange={(_, { value }) => setFilter(value)} /></Field>
            <Text role="status">{shown.length === members.length ? `${members.length.toLocaleString('en-US')} subscriptions` : `${shown.length.toLocaleString('en-US')} of ${members.length.toLocaleString('en-US')} subscriptions`}</Text>
          </div>
          <VirtualRows
            label={label}
            items={shown}
            rowKey={(m) => m.id}
            height={360}
            columns={[
              { name: 'Subscription ID', width: '320px', render: (m) => m.id },
              { name: 'Description', render: (m) => m.description ?? '' },
              { name: 'Remove', width: '110px', render: (m) => <Button size="small" disabled={busy} aria-label={`Remove ${m.id}`} onClick={() => void run('list', () => sendJson('DELETE', `${path}/members/${encodeURIComponent(m.id)}`))}>Remove</Button> },
            ]}
          />
        </>
      )}
    </section>
  );
}
