/** Partner Center → your offers with their status, for every publisher account you belong to. */
import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { getJson } from '../../api.ts';
import { PageHeading } from '../../page.tsx';
import { RouteLink } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { NewOffer } from './NewOffer.tsx';
import { STATUS_COLOR, type OfferView } from './offers.ts';

/** A publisher record of `GET /partner-center/publishers`. */
interface Publisher { readonly account: { readonly publisherId: string; readonly displayName: string } }
const useStyles = makeStyles({ publisher: { marginTop: tokens.spacingVerticalL, marginBottom: tokens.spacingVerticalS } });

async function loadOffers(signal: AbortSignal): Promise<{ publisher: Publisher['account']; offers: OfferView[] }[]> {
  const { value: records } = await getJson<{ value: Publisher[] }>('/partner-center/publishers', signal);
  return Promise.all(records.map(async ({ account: publisher }) => ({
    publisher,
    offers: (await getJson<{ value: OfferView[] }>(`/partner-center/publishers/${encodeURIComponent(publisher.publisherId)}/offers`, signal)).value,
  })));
}

export function PublisherOffers() {
  const styles = useStyles();
  const [load, retry] = useLoad(loadOffers, 'offers');
  return (
    <>
      <PageHeading title="Marketplace offers">The managed service offers of your publisher accounts and where each one stands.</PageHeading>
      <Loaded load={load} what="your offers" retry={retry}>
        {(accounts) => accounts.length === 0 ? (
          <Empty title="You are not a member of a publisher account">An owner of a publisher account can add you; or your organization can enroll as a publisher.</Empty>
        ) : accounts.map(({ publisher, offers }) => (
          <section key={publisher.publisherId} aria-label={publisher.displayName}>
            <Title3 as="h2" className={styles.publisher}>{publisher.displayName}</Title3>
            <NewOffer publisherId={publisher.publisherId} publisherName={publisher.displayName} />
            {offers.length === 0 ? <Empty title="No offers yet">Offers you create appear here with their status.</Empty> : (
              <Table aria-label={`Offers of ${publisher.displayName}`}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Offer</TableHeaderCell>
                    <TableHeaderCell>Offer ID</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Plans</TableHeaderCell>
                    <TableHeaderCell>Last modified</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {offers.map((o) => (
                    <TableRow key={o.offerId}>
                      <TableCell><RouteLink to={`/portal/partner-center/offers/${encodeURIComponent(publisher.publisherId)}/${encodeURIComponent(o.offerId)}`}>{o.draft.listing?.name ?? o.draft.alias ?? o.offerId}</RouteLink></TableCell>
                      <TableCell>{o.offerId}</TableCell>
                      <TableCell><Badge appearance="tint" color={STATUS_COLOR[o.status] ?? 'informative'}>{o.status}</Badge></TableCell>
                      <TableCell>{o.draft.plans?.length ?? 0}</TableCell>
                      <TableCell>{new Date(o.updatedAt).toLocaleString()}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </section>
        ))}
      </Loaded>
    </>
  );
}
