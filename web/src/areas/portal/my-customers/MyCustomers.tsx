/**
 * Portal → My customers (the provider's side): every customer that delegated something to the user's
 * directory, in a virtualised table that stays quick at a thousand customers, filtered as you type;
 * a chosen customer's offers with plan and version, an update it has not accepted, and each
 * delegation with the roles it grants and "Remove" where the user holds the Delete Role there.
 */
import { useDeferredValue, useState } from 'react';
import { Badge, Button, Card, Field, Input, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { VirtualRows, type VirtualColumn } from '../../../VirtualRows.tsx';
import { accessText } from '../../../grants.tsx';
import { listMyCustomers, type MyCustomer } from '../service-providers/lighthouse.ts';
import { RemoveDelegation } from '../service-providers/RemoveDelegation.tsx';
import { UpdateDifference } from '../service-providers/UpdateDifference.tsx';
import { listSubscriptions, type Subscription } from '../arm.ts';
import { scopeName } from '../service-providers/scope-name.ts';
import { delegationAccess } from './delegation-access.ts';

type CustomerOffer = MyCustomer['properties']['offers'][number];

const useStyles = makeStyles({
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  filter: { maxWidth: '420px' },
  offer: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  roles: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const nameOf = (c: MyCustomer) => c.properties.customerName ?? c.properties.customerTenantId;
const customerCount = (n: number) => `${n} customer${n === 1 ? '' : 's'}`;
const delegationCount = (c: MyCustomer) => c.properties.offers.reduce((n, o) => n + o.delegations.length, 0);

function Roles({ registrationAssignmentId }: { registrationAssignmentId: string }) {
  const styles = useStyles();
  const [load, retry] = useLoad((signal) => delegationAccess(registrationAssignmentId, signal), registrationAssignmentId);
  return (
    <Loaded load={load} what="roles" retry={retry}>
      {(grants) => (
        <ul className={styles.roles}>
          {grants.map((g) => (
            <li key={`${g.accessType}/${g.principalId}/${g.roleDefinitionId}`}>
              {g.principalIdDisplayName ?? g.principalId}: {g.roleDefinitionName ?? g.roleDefinitionId}{g.accessType === 'Eligible' ? ` (${accessText(g)})` : ''}
            </li>
          ))}
        </ul>
      )}
    </Loaded>
  );
}

function Offer({ customer, offer, subscriptions, onChanged }: { customer: string; offer: CustomerOffer; subscriptions: readonly Subscription[]; onChanged: () => void }) {
  const styles = useStyles();
  const title = offer.registrationDefinitionName ?? offer.offerId;
  return (
    <Card className={styles.offer}>
      <Title3 as="h3">{title}</Title3>
      <div className={styles.badges}>
        {offer.plan ? <Badge appearance="outline">Offer {offer.plan.publisher}.{offer.plan.product} · plan {offer.plan.name} · version {offer.plan.version}</Badge> : <Badge appearance="outline">Added from a template</Badge>}
        {offer.pendingUpdate ? <Badge appearance="filled" color="warning">Version {offer.pendingUpdate.version} not accepted yet</Badge> : null}
      </div>
      {offer.pendingUpdate ? (
        <>
          <Text>{customer} has not accepted version {offer.pendingUpdate.version} yet; when it does:</Text>
          <UpdateDifference update={offer.pendingUpdate} name={title} />
        </>
      ) : null}
      <Table aria-label={`Delegations of ${title}`} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Delegated scope</TableHeaderCell>
            <TableHeaderCell>Scope ID</TableHeaderCell>
            <TableHeaderCell>Roles</TableHeaderCell>
            <TableHeaderCell>Action</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {offer.delegations.map((d) => (
            <TableRow key={d.registrationAssignmentId}>
              <TableCell>{scopeName(d.scope, subscriptions)}</TableCell>
              <TableCell>{d.scope}</TableCell>
              <TableCell><Roles registrationAssignmentId={d.registrationAssignmentId} /></TableCell>
              <TableCell>
                {d.canRemove
                  ? <RemoveDelegation registrationAssignmentId={d.registrationAssignmentId} scope={scopeName(d.scope, subscriptions)} consequence={`Your organization loses all access to ${customer} it has through this delegation at once; only ${customer} can delegate it again.`} onRemoved={onChanged} />
                  : <Text size={200}>Removing needs the Managed Services Registration assignment Delete Role here.</Text>}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

function Customer({ customer, subscriptions, onChanged }: { customer: MyCustomer; subscriptions: readonly Subscription[]; onChanged: () => void }) {
  const styles = useStyles();
  return (
    <section className={styles.column} aria-labelledby="customer">
      <Title3 as="h2" id="customer">{nameOf(customer)}</Title3>
      <Text>Tenant ID {customer.properties.customerTenantId}</Text>
      {customer.properties.offers.map((o) => <Offer key={o.name} customer={nameOf(customer)} offer={o} subscriptions={subscriptions} onChanged={onChanged} />)}
    </section>
  );
}

function Customers({ customers, subscriptions, onChanged }: { customers: readonly MyCustomer[]; subscriptions: readonly Subscription[]; onChanged: () => void }) {
  const styles = useStyles();
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string>();
  const words = useDeferredValue(filter.trim().toLowerCase());
  const shown = words === '' ? customers : customers.filter((c) => `${nameOf(c)} ${c.properties.customerTenantId}`.toLowerCase().includes(words));
  const columns: VirtualColumn<MyCustomer>[] = [
    { name: 'Customer', render: (c) => <Button appearance="transparent" size="small" aria-pressed={c.name === chosen} onClick={() => setChosen(c.name)}>{nameOf(c)}</Button> },
    { name: 'Tenant ID', width: 'minmax(0, 1.3fr)', render: (c) => c.properties.customerTenantId },
    { name: 'Offers', width: '90px', render: (c) => c.properties.offers.length },
    { name: 'Delegations', width: '110px', render: delegationCount },
    { name: 'Updates', width: '150px', render: (c) => (c.properties.offers.some((o) => o.pendingUpdate) ? 'Not accepted yet' : '') },
  ];
  const selected = customers.find((c) => c.name === chosen);
  return (
    <div className={styles.column}>
      <Field label="Filter customers" className={styles.filter}>
        <Input value={filter} onChange={(_, data) => setFilter(data.value)} placeholder="Name or tenant ID" />
      </Field>
      <Text role="status">{shown.length === customers.length ? customerCount(customers.length) : `${shown.length} of ${customerCount(customers.length)}`}</Text>
      {shown.length === 0 ? <Empty title="No customer matches the filter" /> : <VirtualRows label="Customers" items={shown} columns={columns} rowKey={(c) => c.name} height={360} />}
      {selected ? <Customer customer={selected} subscriptions={subscriptions} onChanged={onChanged} /> : <Text>Choose a customer to see its delegations.</Text>}
    </div>
  );
}

export function MyCustomers() {
  // The subscriptions (the delegated ones among them) name the delegated scopes.
  const [load, retry] = useLoad((signal) => Promise.all([listMyCustomers(signal), listSubscriptions(signal)]), 'my-customers');
  return (
    <>
      <PageHeading title="My customers">The customers that delegated subscriptions or resource groups to your organization, and what each delegation lets you do.</PageHeading>
      <Loaded load={load} what="your customers" retry={retry}>
        {([customers, subscriptions]) => customers.length === 0
          ? <Empty title="No customers yet">When a customer delegates resources to your organization through one of your offers or a template, it appears here.</Empty>
          : <Customers customers={customers} subscriptions={subscriptions} onChanged={retry} />}
      </Loaded>
    </>
  );
}
