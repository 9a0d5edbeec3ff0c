/**
 * Portal → All resources: every resource the user can read across its subscriptions — its own and,
 * for a service provider, the customers' delegated ones beside them, each with its directory — with
 * the subscription filter; the header's directory switcher narrows to one directory.
 */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { DirectoryLabel } from './DirectoryLabel.tsx';
import { RouteLink, useLocation } from '../../router.tsx';
import { inDirectory, useSession } from '../../session.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { acrossSubscriptions, listSubscriptionResources } from './arm.ts';
import { SubscriptionFilter, groupPath } from './SubscriptionFilter.tsx';

// Types such as Microsoft.Network/networkSecurityGroups are longer than their column: they wrap.
const useStyles = makeStyles({ wrap: { overflowWrap: 'anywhere', paddingBlock: '8px' } });

// A resource id's group: `/subscriptions/{s}/resourceGroups/{rg}/…`.
const groupOf = (id: string) => /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];

export function AllResources() {
  const styles = useStyles();
  const session = useSession();
  const location = useLocation();
  const chosen = location.searchParams.get('subscription') ?? 'all';
  const [load, retry] = useLoad((signal) => acrossSubscriptions(listSubscriptionResources, signal), 'all-resources');
  return (
    <>
      <PageHeading title="All resources">Resources of your subscriptions and, beside them, of the subscriptions customers delegated to you.</PageHeading>
      <Loaded load={load} what="resources" retry={retry}>
        {({ subscriptions, items, failures }) => {
          const inView = (s: { tenantId: string; subscriptionId: string }) => inDirectory(session, s.tenantId) && (chosen === 'all' || s.subscriptionId === chosen);
          const rows = items.filter(({ subscription }) => inView(subscription)).sort((a, b) => a.item.name.localeCompare(b.item.name));
          const subs = subscriptions.filter((s) => inDirectory(session, s.tenantId));
          return (
            <>
              <SubscriptionFilter path="/portal/all-resources" chosen={chosen} subscriptions={subs} failures={failures.filter(({ subscription }) => inView(subscription))} what="resources" />
              {rows.length === 0 ? (
                <Empty title="No resources">{subs.length === 0 ? 'You have no subscription in this directory.' : 'There is no resource you can read here.'}</Empty>
              ) : (
                <Table aria-label="All resources">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Name</TableHeaderCell>
                      <TableHeaderCell>Type</TableHeaderCell>
                      <TableHeaderCell>Resource group</TableHeaderCell>
                      <TableHeaderCell>Subscription</TableHeaderCell>
                      <TableHeaderCell>Directory</TableHeaderCell>
                      <TableHeaderCell>Location</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map(({ subscription, item }) => {
                      const group = groupOf(item.id);
                      return (
                        <TableRow key={item.id}>
                          <TableCell className={styles.wrap}>{item.name}</TableCell>
                          <TableCell className={styles.wrap}>{item.type}</TableCell>
                          <TableCell>
                            {group === undefined ? '—' : <RouteLink to={groupPath(subscription.subscriptionId, group)}>{group}</RouteLink>}
                          </TableCell>
                          <TableCell>{subscription.displayName}</TableCell>
                          <TableCell>
                            <DirectoryLabel tenantId={subscription.tenantId} />
                          </TableCell>
                          <TableCell>{item.location}</TableCell>
                        </TableRow>
                      );
                    })}
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
