/** Portal → a resource group's resources (`/portal/resources?subscription=&group=`). */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../page.tsx';
import { RouteLink, useLocation } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { listResources } from './arm.ts';

const useStyles = makeStyles({ back: { display: 'inline-block', marginBottom: tokens.spacingVerticalM } });

export function Resources() {
  const styles = useStyles();
  const location = useLocation();
  const subscription = location.searchParams.get('subscription') ?? '';
  const group = location.searchParams.get('group') ?? '';
  const [load, retry] = useLoad((signal) => listResources(subscription, group, signal), `${subscription}/${group}`);
  return (
    <>
      <RouteLink to={`/portal/resource-groups?subscription=${encodeURIComponent(subscription)}`} className={styles.back}>← Resource groups</RouteLink>
      <PageHeading title={group || 'Resources'}>Resource group in subscription {subscription}</PageHeading>
      <Loaded load={load} what="resources" retry={retry}>
        {(resources) => resources.length === 0 ? <Empty title="No resources">This resource group holds no resource you can read.</Empty> : (
          <Table aria-label={`Resources of ${group}`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>Location</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {resources.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>{r.name}</TableCell>
                  <TableCell>{r.type}</TableCell>
                  <TableCell>{r.location}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Loaded>
    </>
  );
}
