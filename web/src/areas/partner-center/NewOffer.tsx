/**
 * "+ New offer" → Managed service (a form that opens in place): the offer id and alias, checked by the API (`POST …/offers`: the id's
 * format and uniqueness, the alias), whose refusal is shown next to the field it names. Nothing is saved
 * until the API accepts; then the editor opens on the new offer.
 */
import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError, sendJson } from '../../api.ts';
import { navigate } from '../../router.tsx';

const useStyles = makeStyles({
  panel: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, width: '560px', boxSizing: 'border-box', padding: tokens.spacingHorizontalL,
    border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium, boxShadow: tokens.shadow4,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM },
  wrap: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalM },
});

export function NewOffer({ publisherId, publisherName }: { publisherId: string; publisherName: string }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [offerId, setOfferId] = useState('');
  const [alias, setAlias] = useState('');
  const [refusal, setRefusal] = useState<ApiError | Error>();
  const [busy, setBusy] = useState(false);
  const target = refusal instanceof ApiError ? refusal.target : undefined;
  const at = (field: 'id' | 'alias') => (refusal !== undefined && target === field ? { validationState: 'error' as const, validationMessage: refusal.message } : {});
  const create = async () => {
    setBusy(true);
    try {
      await sendJson('POST', `/partner-center/publishers/${encodeURIComponent(publisherId)}/offers`, { offerId, alias });
      navigate(`/portal/partner-center/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}/setup`);
    } catch (error) {
      setRefusal(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.wrap}>
      <Button appearance="primary" aria-expanded={open} onClick={() => { setOpen(!open); setRefusal(undefined); }}>+ New offer</Button>
      {open ? (
        <form className={styles.panel} aria-label={`New managed service offer for ${publisherName}`} onSubmit={(event) => { event.preventDefault(); void create(); }}>
          <Title3 as="h3">New managed service offer</Title3>
          <Field label="Offer ID" required hint="Lowercase letters, digits, - and _; it can't change later and appears in the offer's web address" {...at('id')}>
            <Input value={offerId} onChange={(_, { value }) => setOfferId(value)} />
          </Field>
          <Field label="Offer alias" required hint="The offer's name inside Partner Center only" {...at('alias')}>
            <Input value={alias} onChange={(_, { value }) => setAlias(value)} />
          </Field>
          {refusal !== undefined && target !== 'id' && target !== 'alias' ? <MessageBar intent="error"><MessageBarBody>{refusal.message}</MessageBarBody></MessageBar> : null}
          <div className={styles.actions}>
            <Button type="submit" appearance="primary" disabled={busy}>{busy ? 'Creating…' : 'Create'}</Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
