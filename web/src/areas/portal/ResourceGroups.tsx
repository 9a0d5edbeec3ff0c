/**
 * Portal → Resource groups: the groups of every subscription shown (or of the one chosen), with a
 * subscription filter. A subscription whose groups cannot be listed says so beside the others.
 */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { RouteLink, useLocation } from '../../router.tsx';
import { directoryName, inDirectory, useSession } from '../../session.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { acrossSubscriptions, listResourceGroups } from './arm.ts';
import { SubscriptionFilter, groupPath } from './SubscriptionFilter.tsx';

export function ResourceGroups() {
  const session = useSession();
  const location = useLocation();
  const chosen = location.searchParams.get('subscription') ?? 'all';
  const [load, retry] = useLoad((signal) => acrossSubscriptions(listResourceGroups, signal), 'resource-groups');
  return (
    <>
      <PageHeading title="Resource groups">Resource groups of your subscriptions and of the subscriptions customers delegated to you.</PageHeading>
      <Loaded load={load} what="resource groups" retry={retry}>
        {({ subscriptions, items: groups, failures }) => {
          const subs = subscriptions.filter((s) => inDirectory(session, s.tenantId));
          const rows = groups.filter(({ subscription }) => inDirectory(session, subscription.tenantId) && (chosen === 'all' || subscription.subscriptionId === chosen));
          const problems = failures.filter(({ subscription }) => inDirectory(session, subscription.tenantId) && (chosen === 'all' || subscription.subscriptionId === chosen));
          return (
            <>
              <SubscriptionFilter path="/portal/resource-groups" chosen={chosen} subscriptions={subs} failures={problems} what="resource groups" />
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
                    {rows.map(({ subscription, item: group }) => (
                      <TableRow key={group.id}>
                        <TableCell><RouteLink to={groupPath(subscription.subscriptionId, group.name)}>{group.name}</RouteLink></TableCell>
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
