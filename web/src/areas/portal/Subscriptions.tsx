/** Portal → Subscriptions: the user's own and the delegated ones, narrowed by the directory chosen in the header. */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { DirectoryLabel } from './DirectoryLabel.tsx';
import { RouteLink } from '../../router.tsx';
import { inDirectory, useSession } from '../../session.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { listSubscriptions } from './arm.ts';

export function Subscriptions() {
  const session = useSession();
  const [load, retry] = useLoad(listSubscriptions, 'subscriptions');
  return (
    <>
      <PageHeading title="Subscriptions">Subscriptions you can read, in your directory and in the directories that delegated them to you.</PageHeading>
      <Loaded load={load} what="subscriptions" retry={retry}>
        {(all) => {
          const shown = all.filter((s) => inDirectory(session, s.tenantId));
          if (shown.length === 0) {
            return (
              <Empty title={all.length === 0 ? 'No subscriptions' : 'No subscriptions in this directory'}>
                {all.length === 0 ? 'You have no role on any subscription yet. An owner of one can give you access, or a customer can delegate one to your organization.' : 'Choose "All directories" in the header to see the others.'}
              </Empty>
            );
          }
          return (
            <Table aria-label="Subscriptions">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Subscription name</TableHeaderCell>
                  <TableHeaderCell>Subscription ID</TableHeaderCell>
                  <TableHeaderCell>Directory</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {shown.map((s) => (
                  <TableRow key={s.id}>
                    <TableCell><RouteLink to={`/portal/resource-groups?subscription=${s.subscriptionId}`}>{s.displayName}</RouteLink></TableCell>
                    <TableCell>{s.subscriptionId}</TableCell>
                    <TableCell>
                      <DirectoryLabel tenantId={s.tenantId} />
                    </TableCell>
                    <TableCell>{s.state}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          );
        }}
      </Loaded>
    </>
  );
}
