/**
 * Partner Center → Action center: what needs your attention now (offers whose publishing stopped,
 * previews waiting for Go live, leads that failed delivery) and your notifications, each of which
 * you can mark read.
 */
import {
  Badge, Button, Card, CardHeader, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { Notification } from '../../../../../src/services/marketplace/action-center.ts';
import { getJson, sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { RouteLink } from '../../../router.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { offerPage } from '../publish/offer-api.ts';
import { attentionItems } from './attention.ts';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  cards: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: tokens.spacingHorizontalM },
  body: { whiteSpace: 'pre-line' },
});

export function ActionCenter() {
  const styles = useStyles();
  const [attention, retryAttention] = useLoad(attentionItems, 'attention');
  const [notifications, reload] = useLoad((signal) => getJson<{ value: Notification[] }>('/partner-center/action-center', signal), 'notifications');
  const markRead = async (id: string) => {
    await sendJson('POST', `/partner-center/action-center/${encodeURIComponent(id)}/read`).catch(() => undefined);
    reload();
  };
  return (
    <>
      <PageHeading title="Action center">What needs your attention in your publisher accounts, and what Partner Center told you.</PageHeading>
      <section className={styles.section} aria-labelledby="attention">
        <Title3 as="h2" id="attention">Needs your attention</Title3>
        <Loaded load={attention} what="what needs your attention" retry={retryAttention}>
          {(items) => items.length === 0 ? <Empty title="Nothing needs your attention">Failed submissions, previews waiting for Go live and leads that could not be delivered appear here.</Empty> : (
            <div className={styles.cards}>
              {items.map((item) => (
                <Card key={item.key} role="group" aria-label={item.title}>
                  <CardHeader header={<Text weight="semibold">{item.title}</Text>} description={item.publisher} />
                  <Text>{item.detail}</Text>
                  <RouteLink to={item.action.to}>{item.action.name}</RouteLink>
                </Card>
              ))}
            </div>
          )}
        </Loaded>
      </section>
      <section className={styles.section} aria-labelledby="notifications">
        <Title3 as="h2" id="notifications">Notifications</Title3>
        <Loaded load={notifications} what="your notifications" retry={reload}>
          {({ value }) => value.length === 0 ? <Empty title="No notifications">Publishing results and lead delivery problems are sent here and by e-mail.</Empty> : (
            <Table aria-label="Notifications">
              <TableHeader><TableRow><TableHeaderCell>Notification</TableHeaderCell><TableHeaderCell>Offer</TableHeaderCell><TableHeaderCell>Received</TableHeaderCell><TableHeaderCell>Status</TableHeaderCell></TableRow></TableHeader>
              <TableBody>
                {value.map((n) => (
                  <TableRow key={n.id}>
                    <TableCell><Text weight={n.read ? 'regular' : 'semibold'}>{n.subject}</Text><br /><Text size={200} className={styles.body}>{n.body}</Text></TableCell>
                    <TableCell>{n.offerId === undefined ? '' : <RouteLink to={offerPage(n.publisherId, n.offerId, 'review')}>{n.offerId}</RouteLink>}</TableCell>
                    <TableCell>{new Date(n.createdAt).toLocaleString()}</TableCell>
                    <TableCell>{n.read ? <Badge appearance="tint" color="subtle">Read</Badge> : <Button size="small" onClick={() => void markRead(n.id)} aria-label={`Mark read: ${n.subject}`}>Mark read</Button>}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Loaded>
      </section>
    </>
  );
}
