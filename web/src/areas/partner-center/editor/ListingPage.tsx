/**
 * Offer listing: what customers read in the marketplace — name, summaries, the rich-text description,
 * links, contacts, support URLs — saved with `PUT …/listing`, and the logos and screenshots, uploaded
 * one by one.
 */
import { Button, Field, Input, Textarea, Title3 } from '@fluentui/react-components';
import type { OfferListing } from '../../../../../src/core/marketplace/model.ts';
import { sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { SaveBar, useDraftForm } from './draft-form.tsx';
import { useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';
import { ListingImages } from './ListingImages.tsx';
import { RichTextEditor } from './RichTextEditor.tsx';

type ListingText = Omit<OfferListing, 'logos' | 'screenshots' | 'videos'>;

function textOf(l: OfferListing): ListingText {
  const { name, searchResultsSummary, shortDescription, description, privacyPolicyUrl, usefulLinks, supportContact, engineeringContact, supportUrls } = l;
  return { name, searchResultsSummary, shortDescription, description, privacyPolicyUrl, usefulLinks, supportContact, engineeringContact, supportUrls };
}

export function ListingPage() {
  const styles = useFormStyles();
  const { offer, validation, api } = useEditor();
  const form = useDraftForm(textOf(offer.draft.listing), (l) => sendJson('PUT', `${api}/listing`, l));
  const errors = new FieldErrors(validation.violations, 'Offer listing', form.error, 'listing.');
  const l = form.value;
  const set = (change: Partial<ListingText>) => form.set({ ...l, ...change });
  const text = (key: 'name' | 'searchResultsSummary' | 'privacyPolicyUrl', label: string) => (
    <Field label={label} {...errors.at(`listing.${key}`)}><Input value={l[key]} onChange={(_, { value }) => set({ [key]: value })} /></Field>
  );
  const contact = (key: 'supportContact' | 'engineeringContact', title: string) => (
    <div className={styles.group}>
      <Title3 as="h3">{title}</Title3>
      <div className={styles.row}>
        {(['name', 'email', 'phone'] as const).map((part) => (
          <Field key={part} label={`${title} ${part === 'email' ? 'e-mail' : part}`} {...errors.at(`listing.${key}.${part}`)}>
            <Input type={part === 'email' ? 'email' : part === 'phone' ? 'tel' : 'text'} value={l[key][part]} onChange={(_, { value }) => set({ [key]: { ...l[key], [part]: value } })} />
          </Field>
        ))}
      </div>
    </div>
  );
  return (
    <>
      <PageHeading title="Offer listing">What customers read about the offer in the marketplace.</PageHeading>
      <div className={styles.form}>
        {text('name', 'Name')}
        {text('searchResultsSummary', 'Search results summary')}
        <Field label="Short description" {...errors.at('listing.shortDescription')}>
          <Textarea resize="vertical" value={l.shortDescription} onChange={(_, { value }) => set({ shortDescription: value })} />
        </Field>
        <RichTextEditor label="Description" value={l.description} saved={offer.draft.listing.description} onChange={(description) => set({ description })} {...errors.at('listing.description')} />
        {text('privacyPolicyUrl', 'Privacy policy link')}
        <div className={styles.group}>
          <Title3 as="h3">Useful links</Title3>
          {l.usefulLinks.map((link, i) => (
            <div key={i} className={styles.inline}>
              <Field label={`Link ${i + 1} name`} {...errors.at(`listing.usefulLinks[${i}].name`)}>
                <Input value={link.name} onChange={(_, { value }) => set({ usefulLinks: l.usefulLinks.map((x, j) => (j === i ? { ...x, name: value } : x)) })} />
              </Field>
              <Field label={`Link ${i + 1} URL`} {...errors.at(`listing.usefulLinks[${i}].url`)}>
                <Input type="url" value={link.url} onChange={(_, { value }) => set({ usefulLinks: l.usefulLinks.map((x, j) => (j === i ? { ...x, url: value } : x)) })} />
              </Field>
              <Button onClick={() => set({ usefulLinks: l.usefulLinks.filter((_, j) => j !== i) })}>Remove link {i + 1}</Button>
            </div>
          ))}
          <div><Button onClick={() => set({ usefulLinks: [...l.usefulLinks, { name: '', url: '' }] })}>Add a link</Button></div>
        </div>
        {contact('supportContact', 'Support contact')}
        {contact('engineeringContact', 'Engineering contact')}
        <div className={styles.row}>
          <Field label="Support URL (Azure global)" {...errors.at('listing.supportUrls.azureGlobal')}>
            <Input type="url" value={l.supportUrls.azureGlobal ?? ''} onChange={(_, { value }) => set({ supportUrls: { ...l.supportUrls, azureGlobal: value } })} />
          </Field>
          <Field label="Support URL (Azure Government)" {...errors.at('listing.supportUrls.azureGovernment')}>
            <Input type="url" value={l.supportUrls.azureGovernment ?? ''} onChange={(_, { value }) => set({ supportUrls: { ...l.supportUrls, azureGovernment: value } })} />
          </Field>
        </div>
        <ListingImages errors={errors} />
        <OtherProblems errors={errors} />
        <SaveBar form={form} />
      </div>
    </>
  );
}
