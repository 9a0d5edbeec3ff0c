/** What a signed-out visitor sees: what Lantern is, and the way to its sign-in page. */
import { Button, Card, Text, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { signIn } from './auth.ts';
import { Failure } from './states.tsx';

const useStyles = makeStyles({
  page: { minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground2 },
  card: { maxWidth: '480px', padding: tokens.spacingVerticalXXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export function SignInLanding({ error }: { error?: Error }) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <Title1 as="h1">Lantern</Title1>
        <Text>
          The marketplace for managed services: publish offers in Partner Center, find and acquire them in the
          Marketplace, and manage delegated resources in the Portal.
        </Text>
        {error ? <Failure error={error} what="your sign-in" /> : null}
        <Button appearance="primary" size="large" onClick={() => void signIn()}>Sign in</Button>
        <Text size={200}>You sign in on Lantern's own sign-in page with your work account (name@your-directory).</Text>
      </Card>
    </main>
  );
}
