/** My roles → Approvals waiting for me: each pending activation the user may approve, approved or denied with a reason. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Textarea, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { Empty } from '../../../states.tsx';
import { SectionTitle } from './SectionTitle.tsx';
import { describeDuration } from './duration.ts';
import { useFormStyles } from './form-styles.ts';
import { RequestTable } from './RequestTable.tsx';
import { review, type ScheduleRequest } from './pim.ts';

const useStyles = makeStyles({ section: { marginTop: tokens.spacingVerticalXXL } });

/** The review form below the list: the request in words, the reason, Approve or Deny. */
function ReviewForm({ request, onReviewed, onClose }: { request: ScheduleRequest; onReviewed: (message: string) => void; onClose: () => void }) {
  const styles = useFormStyles();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), [request.id]);
  const x = request.properties.expandedProperties;
  const decide = async (event: FormEvent, result: 'Approve' | 'Deny') => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await review(request, result, reason);
      onReviewed(`You ${result === 'Approve' ? 'approved' : 'denied'} ${x.principal.displayName}'s activation of ${x.roleDefinition.displayName} on ${x.scope.displayName}.`);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const duration = request.properties.scheduleInfo.expiration.duration;
  return (
    <form noValidate onSubmit={(e) => void decide(e, 'Approve')} aria-labelledby="review-title" className={styles.panel}>
      <Title3 as="h2" id="review-title">{x.principal.displayName} asks for {x.roleDefinition.displayName}</Title3>
      <span>On {x.scope.displayName} for {duration === null ? 'the requested time' : describeDuration(duration)}. Their justification: “{request.properties.justification ?? ''}”</span>
      <Field label="Reason" hint="Recorded with your decision in the customer's activity log.">
        <Textarea value={reason} onChange={(_e, data) => setReason(data.value)} resize="vertical" ref={first} />
      </Field>
      {error === undefined ? null : (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody><MessageBarTitle>Not recorded</MessageBarTitle>{error.message}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>Approve</Button>
        <Button disabled={busy} onClick={(e) => void decide(e, 'Deny')}>Deny</Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}

export function Approvals({ requests, onReviewed }: { requests: ScheduleRequest[]; onReviewed: (message: string) => void }) {
  const styles = useStyles();
  const [reviewing, setReviewing] = useState<ScheduleRequest | undefined>();
  return (
    <section aria-labelledby="approvals" className={styles.section}>
      <SectionTitle id="approvals">Approvals waiting for me</SectionTitle>
      {requests.length === 0 ? <Empty title="Nothing to approve">When someone asks to activate a role you approve, the request waits here.</Empty> : (
        <RequestTable label="Approvals waiting for me" requests={requests} showRequester action={(r) => (
          <Button appearance="primary" aria-label={`Review ${r.properties.expandedProperties.principal.displayName}'s request for ${r.properties.expandedProperties.roleDefinition.displayName}`} onClick={() => setReviewing(r)}>Review</Button>
        )} />
      )}
      {reviewing === undefined ? null : (
        <ReviewForm key={reviewing.id} request={reviewing} onReviewed={(message) => { setReviewing(undefined); onReviewed(message); }} onClose={() => setReviewing(undefined)} />
      )}
    </section>
  );
}
