/** Properties: 1–5 categories with their subcategories (the core's taxonomy), and the terms and conditions as text or a link. */
import { Checkbox, Field, Input, Radio, RadioGroup, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { CATEGORIES } from '../../../../../src/core/marketplace/categories.ts';
import type { OfferProperties } from '../../../../../src/core/marketplace/model.ts';
import { sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { SaveBar, useDraftForm } from './draft-form.tsx';
import { useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';
import { GroupField } from './GroupField.tsx';

const useStyles = makeStyles({
  categories: { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}` },
  subcategories: { display: 'flex', flexDirection: 'column', paddingLeft: tokens.spacingHorizontalXXL },
});

/** `big-data` → "Big data". */
const label = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replaceAll('-', ' ');

export function PropertiesPage() {
  const styles = { ...useFormStyles(), ...useStyles() };
  const { offer, validation, api } = useEditor();
  const saved: OfferProperties = { categories: offer.draft.properties.categories, ...(offer.draft.properties.terms ? { terms: offer.draft.properties.terms } : {}) };
  const form = useDraftForm(saved, (p) => sendJson('PUT', `${api}/properties`, p));
  const errors = new FieldErrors(validation.violations, 'Properties', form.error, 'properties.');
  const { categories, terms } = form.value;
  const toggle = (id: string, on: boolean) => form.set({ ...form.value, categories: on ? [...categories, { category: id, subcategories: [] }] : categories.filter((c) => c.category !== id) });
  const toggleSub = (id: string, sub: string, on: boolean) => form.set({
    ...form.value,
    categories: categories.map((c) => c.category !== id ? c : { ...c, subcategories: on ? [...c.subcategories, sub] : c.subcategories.filter((s) => s !== sub) }),
  });
  const kind = terms?.kind ?? 'text';
  return (
    <>
      <PageHeading title="Properties">Where the offer is listed in the marketplace, and the terms customers accept.</PageHeading>
      <div className={styles.form}>
        <GroupField label="Categories (1 to 5)" {...errors.at('properties.categories')}>
          <div className={styles.categories}>
            {CATEGORIES.map((c) => {
              const chosen = categories.find((x) => x.category === c.id);
              return (
                <div key={c.id}>
                  <Checkbox label={c.label} checked={chosen !== undefined} onChange={(_, { checked }) => toggle(c.id, checked === true)} />
                  {chosen && c.subcategories.length > 0 ? (
                    <div className={styles.subcategories} role="group" aria-label={`Subcategories of ${c.label}`}>
                      {c.subcategories.map((s) => <Checkbox key={s} label={label(s)} checked={chosen.subcategories.includes(s)} onChange={(_, { checked }) => toggleSub(c.id, s, checked === true)} />)}
                    </div>
                  ) : null}
                </div>
              );
            })}
          </div>
        </GroupField>
        <Field label="Terms and conditions">
          <RadioGroup layout="horizontal" value={kind} onChange={(_, { value }) => form.set({ ...form.value, terms: value === 'url' ? { kind: 'url', url: '' } : { kind: 'text', text: '' } })}>
            <Radio value="text" label="Text" />
            <Radio value="url" label="Link" />
          </RadioGroup>
        </Field>
        {terms?.kind === 'url' ? (
          <Field label="Terms and conditions link" {...errors.at('properties.terms')}>
            <Input type="url" value={terms.url} onChange={(_, { value }) => form.set({ ...form.value, terms: { kind: 'url', url: value } })} />
          </Field>
        ) : (
          <Field label="Terms and conditions text" {...errors.at('properties.terms')}>
            <Textarea resize="vertical" rows={6} value={terms?.kind === 'text' ? terms.text : ''} onChange={(_, { value }) => form.set({ ...form.value, terms: { kind: 'text', text: value } })} />
          </Field>
        )}
        <OtherProblems errors={errors} />
        <SaveBar form={form} />
      </div>
    </>
  );
}
