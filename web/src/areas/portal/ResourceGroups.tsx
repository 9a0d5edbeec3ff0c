/**
 * Portal → Resource groups: the groups of every subscription shown (or of the one chosen), with a
 * subscription filter. A subscription whose groups cannot be listed says so beside the others.
 */
import { MessageBar, MessageBarBody, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens, useId } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { RouteLink, navigate, useLocation } from '../../router.tsx';
import { directoryName, inDirectory, useSession } from '../../session.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { listResourceGroups, listSubscriptions, type ResourceGroup, type Subscription } from './arm.ts';

const useStyles = makeStyles({
  filter: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalL },
  problems: { marginBottom: tokens.spacingVerticalM },
});

interface Groups {
  readonly subscriptions: Subscription[];
  readonly groups: { subscription: Subscription; group: ResourceGroup }[];
  readonly failures: { subscription: Subscription; message: string }[];
}

async function loadGroups(signal: AbortSignal): Promise<Groups> {
  const subscriptions = await listSubscriptions(signal);
  const results = await Promise.allSettled(subscriptions.map((s) => listResourceGroups(s.subscriptionId, signal)));
  const out: Groups = { subscriptions, groups: [], failures: [] };
  results.forEach((result, i) => {
    const subscription = subscriptions[i]!;
    if (result.status === 'fulfilled') out.groups.push(...result.value.map((group) => ({ subscription, group })));
    else out.failures.push({ subscription, message: result.reason instanceof Error ? result.reason.message : 'The list could not be read.' });
  });
  return out;
}

export function ResourceGroups() {
  const styles = useStyles();
  const session = useSession();
  const location = useLocation();
  const chosen = location.searchParams.get('subscription') ?? 'all';
  const filterId = useId('subscription');
  const [load, retry] = useLoad(loadGroups, 'resource-groups');
  return (
    <>
      <PageHeading title="Resource groups">Resource groups of your subscriptions and of the subscriptions customers delegated to you.</PageHeading>
      <Loaded load={load} what="resource groups" retry={retry}>
        {({ subscriptions, groups, failures }) => {
          const subs = subscriptions.filter((s) => inDirectory(session, s.tenantId));
          const rows = groups.filter(({ subscription }) => inDirectory(session, subscription.tenantId) && (chosen === 'all' || subscription.subscriptionId === chosen));
          const problems = failures.filter(({ subscription }) => inDirectory(session, subscription.tenantId) && (chosen === 'all' || subscription.subscriptionId === chosen));
          return (
            <>
              <div className={styles.filter}>
                <label htmlFor={filterId}>Subscription</label>
                <Select id={filterId} value={chosen} onChange={(_e, data) => navigate(data.value === 'all' ? '/portal/resource-groups' : `/portal/resource-groups?subscription=${data.value}`)}>
                  <option value="all">All subscriptions</option>
                  {subs.map((s) => <option key={s.subscriptionId} value={s.subscriptionId}>{s.displayName}</option>)}
                </Select>
              </div>
              {problems.map(({ subscription, message }) => (
                <MessageBar key={subscription.subscriptionId} intent="warning" className={styles.problems}>
                  <MessageBarBody>The resource groups of {subscription.displayName} could not be listed: {message}</MessageBarBody>
                </MessageBar>
              ))}
              {rows.length === 0 ? (
                <Empty title="No resource groups">
                  {subs.length === 0 ? 'You have no subscription in this directory.' : 'There is no resource group you can read here.'}
                </Empty>
              ) : (
                <Table aria-label="Resource groups">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Name</TableHeaderCell>
                      <TableHeaderCell>Subscription</TableHeaderCell>
                      <TableHeaderCell>Directory</TableHeaderCell>
                      <TableHeaderCell>Location</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map(({ subscription, group }) => (
                      <TableRow key={group.id}>
                        <TableCell><RouteLink to={`/portal/resources?subscription=${encodeURIComponent(subscription.subscriptionId)}&group=${encodeURIComponent(group.name)}`}>{group.name}</RouteLink></TableCell>
                        <TableCell>{subscription.displayName}</TableCell>
                        <TableCell>{directoryName(session.directories, subscription.tenantId)}</TableCell>
                        <TableCell>{group.location}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
