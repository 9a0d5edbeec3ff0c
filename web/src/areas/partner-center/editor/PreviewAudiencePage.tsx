/** Preview audience: the subscriptions that see the offer before it goes live (include your own, to test it). */
import { PageHeading } from '../../../page.tsx';
import { AudiencePanel } from './AudiencePanel.tsx';
import { useEditor } from './editor-context.ts';
import { FieldErrors, OtherProblems } from './field-errors.tsx';

export function PreviewAudiencePage() {
  const { offer, validation, api } = useEditor();
  const errors = new FieldErrors(validation.violations, 'Preview audience');
  return (
    <>
      <PageHeading title="Preview audience">Azure subscriptions that can see and acquire the offer while it is in preview, before it goes live.</PageHeading>
      <OtherProblems errors={errors} />
      <AudiencePanel label="Preview audience" title="Subscriptions" path={`${api}/preview-audience`} members={offer.draft.previewAudience} fileName={`${offer.offerId}-preview-audience.csv`} />
    </>
  );
}
