/**
 * The listing description's editor: bold, italic, headings, paragraphs and lists, nothing else. Whatever
 * is typed or pasted is written out with the allowed tags only (rich-text.ts), and the box shows that
 * result once it loses focus. Below it: the markup as saved, and as customers see it.
 */
import { useEffect, useId, useRef } from 'react';
import { Button, Text, makeStyles, shorthands, tokens } from '@fluentui/react-components';
import type { FieldProps } from '@fluentui/react-components';
import { DESCRIPTION_MAX_LENGTH, DESCRIPTION_TAGS } from '../../../../../src/core/marketplace/description-tags.ts';
import { allowedMarkup, renderAllowed } from './rich-text.ts';

const useStyles = makeStyles({
  frame: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  label: { fontWeight: tokens.fontWeightSemibold },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  box: {
    minHeight: '140px', padding: tokens.spacingHorizontalM, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1, ':focus-visible': { outlineStyle: 'solid', outlineWidth: '2px', outlineColor: tokens.colorBrandStroke1 },
  },
  invalid: { ...shorthands.borderColor(tokens.colorPaletteRedBorder2) },
  error: { color: tokens.colorPaletteRedForeground1 },
  saved: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM },
  code: { whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground3 },
});

type Command = { label: string; run: () => void };

function command(name: string, value?: string): () => void {
  // execCommand is what contentEditable offers; whatever it writes is reduced to the allowed tags.
  return () => document.execCommand(name, false, value);
}

const COMMANDS: Command[] = [
  { label: 'Bold', run: command('bold') },
  { label: 'Italic', run: command('italic') },
  { label: 'Heading', run: command('formatBlock', 'h2') },
  { label: 'Paragraph', run: command('formatBlock', 'p') },
  { label: 'Bulleted list', run: command('insertUnorderedList') },
  { label: 'Numbered list', run: command('insertOrderedList') },
];

/** Shows stored markup with the allowed tags only. */
function AllowedView({ html, className, label }: { html: string; className?: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (ref.current) renderAllowed(html, ref.current); }, [html]);
  return <div ref={ref} className={className} role="region" aria-label={label} />;
}

export function RichTextEditor({ label, value, saved, onChange, validationMessage, validationState }: {
  label: string;
  value: string;
  /** The description as Lantern holds it. */
  saved: string;
  onChange: (html: string) => void;
} & Pick<FieldProps, 'validationMessage' | 'validationState'>) {
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  const labelId = useId();
  const messageId = useId();
  // The box is not re-rendered while typing (the caret would jump); a value from outside (Discard, a save) is drawn anew.
  useEffect(() => {
    if (box.current && allowedMarkup(box.current) !== value) renderAllowed(value, box.current);
  }, [value]);
  const message = typeof validationMessage === 'string' ? validationMessage : undefined;
  return (
    <div className={styles.frame}>
      <Text id={labelId} className={styles.label}>{label}</Text>
      <div role="toolbar" aria-label={`${label} formatting`} className={styles.toolbar}>
        {COMMANDS.map((c) => (
          <Button key={c.label} size="small" appearance="subtle" onMouseDown={(e) => e.preventDefault()} onClick={() => { box.current?.focus(); c.run(); if (box.current) onChange(allowedMarkup(box.current)); }}>{c.label}</Button>
        ))}
      </div>
      <div
        ref={box}
        className={`${styles.box} ${message !== undefined && validationState === 'error' ? styles.invalid : ''}`}
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-labelledby={labelId}
        aria-describedby={message === undefined ? undefined : messageId}
        tabIndex={0}
        onInput={() => { if (box.current) onChange(allowedMarkup(box.current)); }}
        onBlur={() => { if (box.current) renderAllowed(allowedMarkup(box.current), box.current); }}
      />
      <Text size={200}>{value.length.toLocaleString('en-US')} of {DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')} characters, tags included. Allowed tags, without attributes: {DESCRIPTION_TAGS.join(', ')}.</Text>
      {message === undefined ? null : <Text id={messageId} size={200} className={styles.error}>{message}</Text>}
      <details>
        <summary>What Lantern keeps</summary>
        <div className={styles.saved}>
          <pre className={styles.code} aria-label="Saved markup">{saved === '' ? '(empty)' : saved}</pre>
          <AllowedView html={saved} label="Saved description as customers see it" />
        </div>
      </details>
    </div>
  );
}
