/**
 * Activate an eligible role: justification and duration, sent to PIM as they are; what the policy
 * refuses comes back in the API's own words. When the policy needs MFA and the sign-in had none, it
 * says how to get it: sign in again and give the authenticator's code. The form does not check the
 * justification itself (noValidate): the policy's rule and message are the API's.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Textarea, Title3 } from '@fluentui/react-components';
import { ApiError } from '../../../api.ts';
import { signInAgain } from '../../../auth.ts';
import { describeDuration, hoursToDuration, minutesOf } from './duration.ts';
import { useFormStyles } from './form-styles.ts';
import { activate, type Eligibility, type JustInTimePolicy, type ScheduleRequest } from './pim.ts';

const needsMfa = (error: Error) => error instanceof ApiError && error.code === 'RoleAssignmentRequestPolicyValidationFailed' && error.message.includes('MfaRule');

/** The activation form, shown below the eligible roles (a panel, not a modal: nothing else is hidden from assistive technology). */
export function ActivateForm({ eligibility, policy, principalId, onActivated, onClose }: {
  eligibility: Eligibility;
  policy: JustInTimePolicy | undefined;
  principalId: string;
  onActivated: (request: ScheduleRequest) => void;
  onClose: () => void;
}) {
  const styles = useFormStyles();
  const [justification, setJustification] = useState('');
  const [hours, setHours] = useState('1');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), [eligibility.id]);
  const role = eligibility.properties.expandedProperties.roleDefinition.displayName;
  const scope = eligibility.properties.expandedProperties.scope.displayName;
  const maximum = policy ? minutesOf(policy.maximumActivationDuration) : undefined;
  const duration = hoursToDuration(hours);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (duration === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      onActivated(await activate(eligibility, principalId, justification, duration));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby="activate-title" className={styles.panel}>
      <Title3 as="h2" id="activate-title">Activate {role}</Title3>
      <span>On {scope}{policy && (policy.managedByTenantApprovers ?? []).length > 0 ? '. An approver must approve the activation before it starts.' : '. The role is active as soon as you activate it.'}</span>
      <Field label="Justification" required hint="Why you need the role now, e.g. a ticket number (1–500 characters).">
        <Textarea value={justification} onChange={(_e, data) => setJustification(data.value)} resize="vertical" ref={first} />
      </Field>
      <Field
        label="Duration (hours)"
        required
        hint={maximum === undefined ? 'For example 1 or 1.5.' : `At most ${describeDuration(policy!.maximumActivationDuration)}. For example 1 or 0.5.`}
        {...(duration === undefined ? { validationMessage: 'Enter the duration in hours, a number above 0 such as 1 or 1.5.' } : {})}
      >
        <Input value={hours} onChange={(_e, data) => setHours(data.value)} inputMode="decimal" />
      </Field>
      {error === undefined ? null : needsMfa(error) ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This role needs multifactor authentication</MessageBarTitle>
            Your sign-in did not use an authenticator. Sign in again and enter the code your authenticator app shows when the sign-in page asks for it, then activate again. If the page does not ask for a code, enrol an authenticator first (Lantern&apos;s <code>/lantern/me/authenticator</code>).
          </MessageBarBody>
          <MessageBarActions><Button onClick={() => void signInAgain()}>Sign in again with your authenticator</Button></MessageBarActions>
        </MessageBar>
      ) : (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not activated</MessageBarTitle>
            {error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy || duration === undefined}>{busy ? 'Activating…' : 'Activate'}</Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
