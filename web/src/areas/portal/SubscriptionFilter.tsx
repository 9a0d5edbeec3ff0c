/**
 * The subscription filter of the Portal's lists across subscriptions (`?subscription=` in the
 * address; the header's directory narrows the choices) and, below it, each subscription in view whose
 * list could not be read, in the API's words.
 */
import { MessageBar, MessageBarBody, Select, makeStyles, tokens, useId } from '@fluentui/react-components';
import { navigate } from '../../router.tsx';
import type { Subscription } from './arm.ts';

const useStyles = makeStyles({
  filter: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalL },
  problems: { marginBottom: tokens.spacingVerticalM },
});

export function SubscriptionFilter({ path, chosen, subscriptions, failures, what }: {
  /** The page's path; choosing a subscription adds `?subscription=`. */
  path: string;
  chosen: string;
  subscriptions: readonly Subscription[];
  failures: readonly { subscription: Subscription; message: string }[];
  /** What could not be listed, e.g. "resource groups". */
  what: string;
}) {
  const styles = useStyles();
  const filterId = useId('subscription');
  return (
    <>
      <div className={styles.filter}>
        <label htmlFor={filterId}>Subscription</label>
        <Select id={filterId} value={chosen} onChange={(_e, data) => navigate(data.value === 'all' ? path : `${path}?subscription=${encodeURIComponent(data.value)}`)}>
          <option value="all">All subscriptions</option>
          {subscriptions.map((s) => <option key={s.subscriptionId} value={s.subscriptionId}>{s.displayName}</option>)}
        </Select>
      </div>
      {failures.map(({ subscription, message }) => (
        <MessageBar key={subscription.subscriptionId} intent="warning" className={styles.problems}>
          <MessageBarBody>The {what} of {subscription.displayName} could not be listed: {message}</MessageBarBody>
        </MessageBar>
      ))}
    </>
  );
}

/** The page of a resource group's resources. */
export const groupPath = (subscriptionId: string, group: string) => `/portal/resources?subscription=${encodeURIComponent(subscriptionId)}&group=${encodeURIComponent(group)}`;
