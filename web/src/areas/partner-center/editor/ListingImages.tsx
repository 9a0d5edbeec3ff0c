/**
 * The listing's logos and screenshots. Each upload goes to the API at once; a file that breaks a rule
 * (not a PNG, the wrong size, a sixth screenshot) is refused there and its message shown next to the
 * control. Previews are what Lantern holds: the logos from `GET …/listing/logos/{size}` (medium and small
 * derived from the large one unless replaced), screenshots from the draft.
 */
import { useState } from 'react';
import { Button, Field, Input, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { sendJson } from '../../../api.ts';
import { AuthImage } from '../../../AuthImage.tsx';
import { useEditor } from './editor-context.ts';
import type { FieldErrors } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';

const useStyles = makeStyles({
  logos: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: tokens.spacingHorizontalL },
  logo: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  preview: { border: `1px solid ${tokens.colorNeutralStroke2}`, objectFit: 'contain' },
  shots: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: tokens.spacingHorizontalM },
  shot: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  shotImage: { width: '100%', height: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
});

const LOGOS = [
  { size: 'large', label: 'Large logo', hint: 'PNG, square, 216×216 to 350×350 pixels', preview: 120 },
  { size: 'medium', label: 'Medium logo', hint: 'PNG, 90×90; derived from the large logo unless you upload one', preview: 90 },
  { size: 'small', label: 'Small logo', hint: 'PNG, 48×48; derived from the large logo unless you upload one', preview: 48 },
] as const;

/** A file as the API takes it: `{fileName, contentBase64}`. */
function upload(file: File): Promise<{ fileName: string; contentBase64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ fileName: file.name, contentBase64: (typeof reader.result === 'string' ? reader.result : '').replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(`The file "${file.name}" could not be read.`));
    reader.readAsDataURL(file);
  });
}

type Base64 = { $base64: string };

/** One upload control: a file picker that calls `send`, its refusal shown as the field's message. */
function Upload({ label, hint, messages, send, accept = 'image/png' }: {
  label: string; hint: string; messages: ReturnType<FieldErrors['at']>; send: (file: File) => Promise<void>; accept?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Field label={label} hint={busy ? 'Uploading…' : hint} {...messages}>
      {(control) => (
        <input
          {...control}
          type="file"
          accept={accept}
          disabled={busy}
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            if (!file) return;
            setBusy(true);
            void send(file).finally(() => { setBusy(false); input.value = ''; });
          }}
        />
      )}
    </Field>
  );
}

/** The listing page's messages (`errors`) claim the image fields, so they are not listed twice. */
export function ListingImages({ errors }: { errors: FieldErrors }) {
  const styles = { ...useFormStyles(), ...useStyles() };
  const { offer, api, refresh } = useEditor();
  const [refusal, setRefusal] = useState<{ at: string; error: unknown }>();
  const [caption, setCaption] = useState('');
  const listing = offer.draft.listing;
  // A refused upload's message goes next to the control that sent it; otherwise the draft's violations there.
  const messages = (at: string, path: string): ReturnType<FieldErrors['at']> => {
    const field = errors.at(path);
    if (refusal?.at !== at) return field;
    const error = refusal.error;
    return { validationState: 'error', validationMessage: error instanceof Error ? error.message : String(error) };
  };
  const attempt = (at: string, call: () => Promise<unknown>) => async () => {
    try {
      await call();
      setRefusal(undefined);
      await refresh();
    } catch (error) {
      setRefusal({ at, error });
    }
  };
  const version = encodeURIComponent(offer.updatedAt);
  return (
    <section className={styles.group} aria-labelledby="images">
      <Title3 as="h2" id="images">Logos and screenshots</Title3>
      <div className={styles.logos}>
        {LOGOS.map((l) => {
          const present = listing.logos[l.size] !== undefined || (l.size !== 'large' && listing.logos.large !== undefined);
          return (
            <div key={l.size} className={styles.logo}>
              <Upload label={l.label} hint={l.hint} messages={messages(l.size, `listing.logos.${l.size}`)} send={(file) => attempt(l.size, async () => sendJson('PUT', `${api}/listing/logos/${l.size}`, await upload(file)))()} />
              {present ? (
                <>
                  <AuthImage src={`${api}/listing/logos/${l.size}?v=${version}`} alt={`${l.label} preview`} size={l.preview} className={styles.preview} />
                  <Text size={200}>{listing.logos[l.size] ? `Uploaded: ${listing.logos[l.size]!.fileName}` : 'Derived from the large logo'}</Text>
                  {listing.logos[l.size] ? <Button size="small" onClick={() => void attempt(l.size, () => sendJson('DELETE', `${api}/listing/logos/${l.size}`))()}>Remove {l.label.toLowerCase()}</Button> : null}
                </>
              ) : <Text size={200}>No logo yet</Text>}
            </div>
          );
        })}
      </div>
      <div className={styles.inline}>
        <Field label="Screenshot caption"><Input value={caption} onChange={(_, { value }) => setCaption(value)} /></Field>
        <Upload
          label="Add a screenshot"
          hint="PNG, 1280×720 pixels, at most 5"
          messages={messages('screenshot', 'listing.screenshots')}
          send={(file) => attempt('screenshot', async () => { await sendJson('POST', `${api}/listing/screenshots`, { ...(await upload(file)), caption }); setCaption(''); })()}
        />
      </div>
      {listing.screenshots.length === 0 ? <Text>No screenshots yet.</Text> : (
        <ul className={styles.shots} aria-label="Screenshots">
          {listing.screenshots.map((s, i) => (
            <li key={`${i}-${s.image.fileName}`} className={styles.shot}>
              <img className={styles.shotImage} src={`data:image/png;base64,${(s.image.bytes as unknown as Base64).$base64}`} alt={s.caption || `Screenshot ${i + 1}`} />
              <Text>{s.caption || '(no caption)'}</Text>
              <Button size="small" onClick={() => void attempt('screenshot', () => sendJson('DELETE', `${api}/listing/screenshots/${i}`))()}>Remove screenshot {i + 1}</Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
