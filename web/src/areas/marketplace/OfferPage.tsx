/**
 * Marketplace → an offer's page: the listing, and each plan with exactly who at the provider will
 * get which role (eligible ones with their just-in-time policy) before anyone acquires it.
 */
import { Badge, Button, Card, Link, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { AuthImage } from '../../AuthImage.tsx';
import { ApiError } from '../../api.ts';
import { PageHeading } from '../../page.tsx';
import { RouteLink, navigate } from '../../router.tsx';
import { Empty, Loaded, useLoad } from '../../states.tsx';
import type { StorefrontPlan } from '../../../../src/core/marketplace/storefront-views.ts';
import { GrantsTable, grantsOfPlan } from '../../grants.tsx';
import { getOffer } from './storefront.ts';

const useStyles = makeStyles({
  top: { display: 'flex', gap: tokens.spacingHorizontalXL, alignItems: 'flex-start', marginBottom: tokens.spacingVerticalL },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', marginTop: tokens.spacingVerticalS },
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  plan: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  paragraph: { margin: 0 },
  back: { display: 'inline-block', marginBottom: tokens.spacingVerticalM },
  create: { marginTop: tokens.spacingVerticalM },
});

/** The publisher's description as paragraphs of text (the page renders no markup it was sent). */
function paragraphsOf(html: string): string[] {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  const blocks = [...body.querySelectorAll('p, li, h1, h2, h3, h4, h5, h6')].map((b) => b.textContent?.trim() ?? '').filter(Boolean);
  return blocks.length > 0 ? blocks : [body.textContent?.trim() ?? ''].filter(Boolean);
}

/** A link the publisher gave, shown only when it is a web address. */
function ExternalLink({ url, children }: { url: string; children: string }) {
  if (!/^https?:\/\//i.test(url)) return <Text>{children}</Text>;
  return <Link href={url} target="_blank" rel="noopener noreferrer">{children}</Link>;
}

function Plan({ plan }: { plan: StorefrontPlan }) {
  const styles = useStyles();
  return (
    <Card className={styles.plan}>
      <Title3 as="h3">{plan.name}</Title3>
      <Text>{plan.summary}</Text>
      <div className={styles.badges}>
        <Badge appearance="outline">Version {plan.version}</Badge>
        {plan.privateProduct ? <Badge appearance="tint" color="brand">Private product</Badge> : null}
      </div>
      <GrantsTable grants={grantsOfPlan(plan)} label={`Who gets access with ${plan.name}`} />
    </Card>
  );
}

export function OfferPage({ offerId }: { offerId: string }) {
  const styles = useStyles();
  const [load, retry] = useLoad((signal) => getOffer(offerId, signal), offerId);
  if (load.state === 'failed' && load.error instanceof ApiError && load.error.status === 404) {
    return (
      <>
        <PageHeading title="Offer not found" />
        <Empty title="This offer is not available to you">It may have been removed, or it is a private offer for another organization.</Empty>
        <RouteLink to="/portal/marketplace">Back to the marketplace</RouteLink>
      </>
    );
  }
  return (
    <>
      <RouteLink to="/portal/marketplace" className={styles.back}>← Marketplace</RouteLink>
      <Loaded load={load} what="the offer" retry={retry}>
        {(offer) => (
          <>
            <div className={styles.top}>
              {offer.media.logos.medium ? <AuthImage src={offer.media.logos.medium} alt={`${offer.name} logo`} size={90} /> : null}
              <div>
                <PageHeading title={offer.name}>{offer.publisherDisplayName}</PageHeading>
                <Text>{offer.shortDescription}</Text>
                <div className={styles.badges}>
                  <Badge appearance="outline">Managed service</Badge>
                  {offer.preview ? <Badge appearance="tint" color="warning">Preview</Badge> : null}
                  {offer.hasPrivateProducts ? <Badge appearance="tint" color="brand">Private product</Badge> : null}
                </div>
                {offer.plans.length > 0 ? <Button appearance="primary" className={styles.create} onClick={() => navigate(`/portal/marketplace/offers/${encodeURIComponent(offer.id)}/create`)}>Create</Button> : null}
              </div>
            </div>
            <section className={styles.section} aria-labelledby="overview">
              <Title3 as="h2" id="overview">Overview</Title3>
              {paragraphsOf(offer.description).map((p, i) => <p key={i} className={styles.paragraph}>{p}</p>)}
            </section>
            <section className={styles.section} aria-labelledby="plans">
              <Title3 as="h2" id="plans">Plans</Title3>
              {offer.plans.length === 0 ? <Empty title="No plan is offered to you" /> : offer.plans.map((plan) => <Plan key={plan.planId} plan={plan} />)}
            </section>
            <section className={styles.section} aria-labelledby="terms">
              <Title3 as="h2" id="terms">Legal terms</Title3>
              {offer.legalTerms.termsAndConditions?.kind === 'text' ? <p className={styles.paragraph}>{offer.legalTerms.termsAndConditions.text}</p> : null}
              {offer.legalTerms.termsAndConditions?.kind === 'url' ? <ExternalLink url={offer.legalTerms.termsAndConditions.url}>Terms and conditions</ExternalLink> : null}
              <ExternalLink url={offer.legalTerms.privacyPolicyUrl}>Privacy policy</ExternalLink>
              {offer.links.usefulLinks.map((l) => <ExternalLink key={l.url} url={l.url}>{l.name}</ExternalLink>)}
            </section>
          </>
        )}
      </Loaded>
    </>
  );
}
