/**
 * Portal → Service providers (the customer's side): each offer a provider manages the customer's
 * resources with — its delegations, the access they grant, an update waiting with its difference
 * (accept it here), removing a delegation, and "Add offer" from an ARM template.
 */
import { useState } from 'react';
import { Badge, Button, Card, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { RouteLink, navigate } from '../../../router.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { ActionFailure, asError } from './ActionFailure.tsx';
import { GrantsTable, grantsOf } from '../../../grants.tsx';
import { listSubscriptions, type Subscription } from '../arm.ts';
import { acceptUpdate, listServiceProviderOffers, type OfferUpdate, type ServiceProviderOffer } from './lighthouse.ts';
import { scopeName } from './scope-name.ts';
import { RemoveDelegation } from './RemoveDelegation.tsx';
import { UpdateDifference } from './UpdateDifference.tsx';

const useStyles = makeStyles({
  bar: { display: 'flex', justifyContent: 'flex-end', marginBottom: tokens.spacingVerticalM },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  offer: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  update: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** The offer's name for people: the marketplace offer and plan, or the template's definition name. */
export function offerTitle(offer: ServiceProviderOffer): string {
  const p = offer.properties;
  if (p.offerDisplayName) return p.planDisplayName ? `${p.offerDisplayName} · ${p.planDisplayName}` : p.offerDisplayName;
  return p.registrationDefinitionName ?? offer.name;
}

function Update({ offer, update, onChanged }: { offer: ServiceProviderOffer; update: OfferUpdate; onChanged: () => void }) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const accept = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await acceptUpdate(offer.name, update.version);
      onChanged();
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.update} aria-label={`Update available for ${offerTitle(offer)}`}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Update available</MessageBarTitle>
          {offer.properties.publisherDisplayName ?? 'The provider'} published version {update.version} (you have {offer.properties.plan?.version}). Review what changes; accepting applies it to every delegated scope at once.
        </MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" disabled={busy} onClick={() => void accept()}>Accept version {update.version}</Button>
          {busy ? <Spinner size="tiny" label="Accepting…" /> : null}
        </MessageBarActions>
      </MessageBar>
      <UpdateDifference update={update} name={offerTitle(offer)} />
      <ActionFailure title="Update not accepted" error={error} />
    </section>
  );
}

function Offer({ offer, subscriptions, onChanged }: { offer: ServiceProviderOffer; subscriptions: readonly Subscription[]; onChanged: () => void }) {
  const styles = useStyles();
  const p = offer.properties;
  const title = offerTitle(offer);
  return (
    <Card className={styles.offer}>
      <Title3 as="h2">{title}</Title3>
      <Text>Managed by {p.managedByTenantName ?? p.managedByTenantId}{p.publisherDisplayName ? ` (publisher ${p.publisherDisplayName})` : ''}</Text>
      <div className={styles.badges}>
        <Badge appearance="tint" color={p.state === 'Delegated' ? 'success' : 'informative'}>{p.state === 'Delegated' ? 'Delegated' : 'Terms accepted, nothing delegated yet'}</Badge>
        {p.plan ? <Badge appearance="outline">Version {p.plan.version}</Badge> : <Badge appearance="outline">Added from a template</Badge>}
        {p.updateAvailable ? <Badge appearance="filled" color="warning">Update available</Badge> : null}
      </div>
      {p.updateAvailable ? <Update offer={offer} update={p.updateAvailable} onChanged={onChanged} /> : null}
      {p.state === 'Pending' && p.plan ? (
        <RouteLink to={`/portal/marketplace/offers/${encodeURIComponent(`${p.plan.publisher}.${p.plan.product}`)}/create?plan=${encodeURIComponent(p.plan.name)}`}>
          Delegate a subscription or resource groups with this plan
        </RouteLink>
      ) : null}
      {p.delegations.length > 0 ? (
        <Table aria-label={`Delegations of ${title}`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Delegated scope</TableHeaderCell>
              <TableHeaderCell>Scope ID</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {p.delegations.map((d) => (
              <TableRow key={d.registrationAssignmentId}>
                <TableCell>{scopeName(d.scope, subscriptions)}</TableCell>
                <TableCell>{d.scope}</TableCell>
                <TableCell>
                  <RemoveDelegation
                    registrationAssignmentId={d.registrationAssignmentId}
                    scope={scopeName(d.scope, subscriptions)}
                    consequence={`${p.managedByTenantName ?? 'The provider'} loses all access it has through this delegation at once.`}
                    onRemoved={onChanged}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <Text weight="semibold">{p.state === 'Delegated' ? 'Access it grants' : 'Access delegating would grant'}</Text>
      <GrantsTable grants={grantsOf(p)} label={`Access granted by ${title}`} />
    </Card>
  );
}

export function ServiceProviders() {
  const styles = useStyles();
  // The subscriptions name the delegated scopes; the offers are the page.
  const [load, retry] = useLoad((signal) => Promise.all([listServiceProviderOffers(signal), listSubscriptions(signal)]), 'service-providers');
  return (
    <>
      <PageHeading title="Service providers">The providers that manage resources of your directory, what you delegated to them and the access it grants.</PageHeading>
      <div className={styles.bar}><Button appearance="primary" onClick={() => navigate('/portal/service-providers/add')}>Add offer</Button></div>
      <Loaded load={load} what="service provider offers" retry={retry}>
        {([offers, subscriptions]) => offers.length === 0
          ? <Empty title="No service providers">Delegate a subscription from the Marketplace (an offer's Create), or add an offer from a provider's ARM template.</Empty>
          : <div className={styles.list}>{offers.map((o) => <Offer key={o.name} offer={o} subscriptions={subscriptions} onChanged={retry} />)}</div>}
      </Loaded>
    </>
  );
}
