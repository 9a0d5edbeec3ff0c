/**
 * Removing a delegation, after saying what it ends: Microsoft.ManagedServices' registration
 * assignment DELETE, which the engine authorizes (a customer's Owner, or a provider's holder of the
 * Managed Services Registration assignment Delete Role). A refusal is said in the API's words.
 * The confirmation is in place rather than a modal dialog: Fluent's dialog adds focus-trap elements
 * to the page even while closed, which screen readers (and axe-core) report as hidden but focusable.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ActionFailure, asError } from './ActionFailure.tsx';
import { removeDelegation } from './lighthouse.ts';

const useStyles = makeStyles({
  confirm: {
    display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorPaletteRedBorder2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorPaletteRedBackground1,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

export function RemoveDelegation({ registrationAssignmentId, scope, consequence, onRemoved }: {
  registrationAssignmentId: string;
  scope: string;
  /** What ends, in words, for the confirmation. */
  consequence: string;
  onRemoved: () => void;
}) {
  const styles = useStyles();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) box.current?.focus();
  }, [confirming]);
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await removeDelegation(registrationAssignmentId);
      onRemoved();
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setBusy(false);
    }
  };
  if (!confirming) return <Button size="small" aria-label={`Remove the delegation of ${scope}`} onClick={() => setConfirming(true)}>Remove</Button>;
  return (
    <div ref={box} role="group" aria-label="Remove this delegation?" tabIndex={-1} className={styles.confirm}>
      <Text weight="semibold">Remove this delegation?</Text>
      <Text>{consequence}</Text>
      <ActionFailure title="Not removed" error={error} />
      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy} onClick={() => void remove()}>Remove delegation</Button>
        <Button disabled={busy} onClick={() => { setConfirming(false); setError(undefined); }}>Cancel</Button>
        {busy ? <Spinner size="tiny" label="Removing…" /> : null}
      </div>
    </div>
  );
}
