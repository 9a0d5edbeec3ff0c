/** Marketplace → browse and search: words and a category, kept in the address so a search can be shared. */
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Input, Select, Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import { CATEGORIES } from '../../../../src/core/marketplace/categories.ts';
import { AuthImage } from '../../AuthImage.tsx';
import { PageHeading } from '../../page.tsx';
import { RouteLink, navigate, useLocation } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import { searchOffers } from './storefront.ts';

const useStyles = makeStyles({
  form: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', marginBottom: tokens.spacingVerticalL },
  field: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  search: { width: '360px' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: tokens.spacingHorizontalL },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalL },
  top: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  name: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  count: { marginBottom: tokens.spacingVerticalM, display: 'block' },
});

export function Browse() {
  const styles = useStyles();
  const location = useLocation();
  const search = location.searchParams.get('search') ?? '';
  const category = location.searchParams.get('category') ?? '';
  const [words, setWords] = useState(search);
  const [chosenCategory, setChosenCategory] = useState(category);
  const searchId = useId('search');
  const categoryId = useId('category');
  const [load, retry] = useLoad((signal) => searchOffers({ search, category }, signal), `${search}\n${category}`);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (words.trim()) params.set('search', words.trim());
    if (chosenCategory) params.set('category', chosenCategory);
    const query = params.toString();
    navigate(query ? `/portal/marketplace?${query}` : '/portal/marketplace');
  };

  return (
    <>
      <PageHeading title="Marketplace">Managed services you can acquire, including private offers made for your organization.</PageHeading>
      <form className={styles.form} role="search" onSubmit={submit}>
        <div className={styles.field}>
          <label htmlFor={searchId}>Search the marketplace</label>
          <Input id={searchId} className={styles.search} type="search" value={words} placeholder="e.g. monitoring, backup, Contoso" onChange={(_e, data) => setWords(data.value)} />
        </div>
        <div className={styles.field}>
          <label htmlFor={categoryId}>Category</label>
          <Select id={categoryId} value={chosenCategory} onChange={(_e, data) => setChosenCategory(data.value)}>
            <option value="">All categories</option>
            {CATEGORIES.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </Select>
        </div>
        <Button type="submit" appearance="primary">Search</Button>
      </form>
      <Loaded load={load} what="offers" retry={retry}>
        {({ value, count }) => value.length === 0 ? (
          <Empty title={search || category ? 'No offers match your search' : 'No offers yet'}>
            {search || category ? 'Try other words or another category.' : 'When a publisher makes an offer live, it appears here.'}
          </Empty>
        ) : (
          <>
            <Text className={styles.count} role="status">{count === 1 ? '1 offer' : `${count} offers`}{search ? ` for “${search}”` : ''}</Text>
            <div className={styles.grid}>
              {value.map((offer) => (
                <Card key={offer.id} className={styles.card}>
                  <div className={styles.top}>
                    {offer.smallLogoUrl ? <AuthImage src={offer.smallLogoUrl} alt="" size={48} /> : null}
                    <div>
                      <RouteLink to={`/portal/marketplace/offers/${encodeURIComponent(offer.id)}`} className={styles.name}>{offer.name}</RouteLink>
                      <Text block size={200}>{offer.publisherDisplayName}</Text>
                    </div>
                  </div>
                  <Text>{offer.searchResultsSummary}</Text>
                  <div className={styles.badges}>
                    <Badge appearance="outline">Managed service</Badge>
                    {offer.preview ? <Badge appearance="tint" color="warning">Preview</Badge> : null}
                    {offer.hasPrivateProducts ? <Badge appearance="tint" color="brand">Private product</Badge> : null}
                    <Text size={200}>{offer.plans.length === 1 ? '1 plan' : `${offer.plans.length} plans`}</Text>
                  </div>
                </Card>
              ))}
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}
