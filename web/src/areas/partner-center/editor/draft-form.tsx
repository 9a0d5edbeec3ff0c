/**
 * A section page's form: the values being edited beside the saved ones, Save (the page's own call, then
 * the offer and its validation are read again, so the menu's statuses and the field messages are the
 * API's answer to what was saved) and Discard, and the unsaved-changes flag for the menu's guard.
 */
import { useEffect, useState } from 'react';
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEditor } from './editor-context.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface DraftForm<T> {
  readonly value: T;
  set(value: T): void;
  readonly dirty: boolean;
  readonly saving: boolean;
  /** The last refusal of Save, for `FieldErrors`. */
  readonly error: unknown;
  save(): Promise<void>;
  discard(): void;
}

/** `saved` is what the API holds; `send` saves `value` (one call of the public API). */
export function useDraftForm<T>(saved: T, send: (value: T) => Promise<unknown>): DraftForm<T> {
  const editor = useEditor();
  const [value, setValue] = useState(saved);
  const [base, setBase] = useState(saved);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  // A fresh answer from the API (after a save, or another page's) becomes the form's starting point.
  if (!same(base, saved)) {
    setBase(saved);
    setValue(saved);
  }
  const dirty = !same(value, saved);
  useEffect(() => {
    editor.setDirty(dirty);
    return () => editor.setDirty(false);
  }, [dirty]);
  return {
    value,
    set: setValue,
    dirty,
    saving,
    error,
    async save() {
      setSaving(true);
      try {
        await send(value);
        setError(undefined);
        await editor.refresh();
      } catch (e) {
        setError(e);
      } finally {
        setSaving(false);
      }
    },
    discard() {
      setValue(saved);
      setError(undefined);
    },
  };
}

const useStyles = makeStyles({
  bar: {
    position: 'sticky', bottom: 0, display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', padding: `${tokens.spacingVerticalM} 0`,
    backgroundColor: tokens.colorNeutralBackground1, borderTop: `1px solid ${tokens.colorNeutralStroke2}`, marginTop: tokens.spacingVerticalL,
  },
});

/** Save draft / Discard, and whether anything is unsaved. */
export function SaveBar({ form }: { form: Pick<DraftForm<unknown>, 'dirty' | 'saving' | 'save' | 'discard'> }) {
  return (
    <div className={useStyles().bar}>
      <Button appearance="primary" disabled={!form.dirty || form.saving} onClick={() => void form.save()}>{form.saving ? 'Saving…' : 'Save draft'}</Button>
      <Button disabled={!form.dirty || form.saving} onClick={form.discard}>Discard</Button>
      <Text role="status">{form.dirty ? 'Unsaved changes' : 'All changes saved'}</Text>
    </div>
  );
}
