/** One activity-log event's details, each field labelled (never the raw EventData). */
import { Fragment, useEffect, useRef } from 'react';
import { Button, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { directoryName, useSession } from '../../../session.tsx';
import { callerTenantOf, descriptionOf, errorOf, type ActivityEvent } from './activity.ts';

const useStyles = makeStyles({
  panel: { marginTop: tokens.spacingVerticalL, padding: tokens.spacingHorizontalL, border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium },
  head: { display: 'flex', justifyContent: 'space-between', alignItems: 'center' },
  fields: { display: 'grid', gridTemplateColumns: '200px minmax(0, 1fr)', gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, margin: 0 },
  name: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, overflowWrap: 'anywhere' },
});

export function EventDetails({ event, subscriptionName, onClose }: { event: ActivityEvent; subscriptionName: (id: string) => string; onClose: () => void }) {
  const styles = useStyles();
  const session = useSession();
  const callerTenant = callerTenantOf(event);
  const description = descriptionOf(event);
  // The details open below the list: move there, so a keyboard or screen-reader user lands on them.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.focus(), [event.eventDataId]);
  const fields: [string, string | undefined][] = [
    ['Operation', event.operationName.localizedValue],
    ['Action', event.authorization?.action ?? event.operationName.value],
    ['Status', `${event.status.value}${event.properties?.statusCode ? ` (HTTP ${event.properties.statusCode})` : ''}`],
    ['Error', errorOf(event)],
    ['Time', new Date(event.eventTimestamp).toLocaleString()],
    ['Caller', event.caller],
    ["Caller's directory", callerTenant === undefined ? undefined : directoryName(session.directories, callerTenant)],
    ['Resource', event.resourceId],
    ['Resource type', event.resourceType?.localizedValue],
    ['Resource group', event.resourceGroupName],
    ['Subscription', event.subscriptionId === undefined ? undefined : subscriptionName(event.subscriptionId)],
    ['Directory', directoryName(session.directories, event.tenantId)],
    ['HTTP method', event.httpRequest?.method],
    ['Correlation ID', event.correlationId],
    ...(typeof description === 'string' ? [['Description', description] as [string, string]] : description ?? []),
  ];
  return (
    <section aria-labelledby="event-details" className={styles.panel} tabIndex={-1} ref={panel}>
      <div className={styles.head}>
        <Title3 as="h2" id="event-details">{event.operationName.localizedValue}</Title3>
        <Button onClick={onClose}>Close details</Button>
      </div>
      <dl className={styles.fields}>
        {fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '').map(([name, value]) => (
          <Fragment key={name}>
            <dt className={styles.name}>{name}</dt>
            <dd className={styles.value}>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
