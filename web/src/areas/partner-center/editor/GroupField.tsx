/** A labelled group of controls (check boxes, a list) with the API's message under it, as Fluent's `Field` shows one control's. */
import { useId, type ReactNode } from 'react';
import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { FieldProps } from '@fluentui/react-components';

const useStyles = makeStyles({
  set: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
});

export function GroupField({ label, children, validationMessage, validationState }: { label: string; children: ReactNode } & Pick<FieldProps, 'validationMessage' | 'validationState'>) {
  const styles = useStyles();
  const id = useId();
  const message = typeof validationMessage === 'string' ? validationMessage : undefined;
  return (
    <fieldset className={styles.set} aria-describedby={message === undefined ? undefined : id}>
      <legend className={styles.legend}>{label}</legend>
      {children}
      {message === undefined ? null : <Text id={id} size={200} className={validationState === 'warning' ? styles.warning : styles.error}>{message}</Text>}
    </fieldset>
  );
}
