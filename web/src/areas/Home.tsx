/** The start page: the three areas, each with what it is for. */
import { Card, CardHeader, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../page.tsx';
import { RouteLink } from '../router.tsx';
import { useSession } from '../session.tsx';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))', gap: tokens.spacingHorizontalL },
  card: { padding: tokens.spacingVerticalL },
  links: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

export function Home() {
  const styles = useStyles();
  const { account } = useSession();
  return (
    <>
      <PageHeading title={`Welcome, ${account.name ?? account.username}`}>Where do you want to start?</PageHeading>
      <div className={styles.grid}>
        <Card className={styles.card}>
          <CardHeader header={<Text as="h2" weight="semibold" size={500}>Marketplace</Text>} description="Find managed services and the providers behind them." />
          <div className={styles.links}><RouteLink to="/portal/marketplace">Browse the marketplace</RouteLink></div>
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Text as="h2" weight="semibold" size={500}>Partner Center</Text>} description="Publish your managed service offers and follow their status." />
          <div className={styles.links}><RouteLink to="/portal/partner-center">Your offers</RouteLink></div>
        </Card>
        <Card className={styles.card}>
          <CardHeader header={<Text as="h2" weight="semibold" size={500}>Portal</Text>} description="Your subscriptions and resource groups, and those customers delegated to you." />
          <div className={styles.links}>
            <RouteLink to="/portal/subscriptions">Subscriptions</RouteLink>
            <RouteLink to="/portal/resource-groups">Resource groups</RouteLink>
          </div>
        </Card>
      </div>
    </>
  );
}
