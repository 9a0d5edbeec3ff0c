/**
 * Marketplace → an offer → Create: plan, legal terms (accepted explicitly), what to delegate, a review
 * of exactly who at the provider gets which role, then the delegation itself and what resulted. Each
 * step is the public API a script would call (acquire.ts).
 */
import { useState } from 'react';
import { Button, Checkbox, Field, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { RouteLink } from '../../../router.tsx';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import type { StorefrontOfferPage } from '../../../../../src/core/marketplace/storefront-views.ts';
import type { Acquisition } from '../../../../../src/core/marketplace/acquisition.ts';
import { ActionFailure, asError } from '../../portal/service-providers/ActionFailure.tsx';
import { GrantsTable, grantsOfPlan } from '../../../grants.tsx';
import { getOffer } from '../storefront.ts';
import { acceptTerms, delegate } from './acquire.ts';
import { scopeName } from '../../portal/service-providers/scope-name.ts';
import type { Subscription } from '../../portal/arm.ts';
import { ScopeStep, scopesOf, type ScopeChoice } from './ScopeStep.tsx';

const STEPS = ['Plan', 'Legal terms', 'Scope', 'Review and delegate'] as const;

const useStyles = makeStyles({
  steps: { display: 'flex', gap: tokens.spacingHorizontalL, listStyleType: 'none', padding: 0, margin: `0 0 ${tokens.spacingVerticalL}` },
  step: { color: tokens.colorNeutralForeground3 },
  current: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorBrandForeground1 },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '900px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalL },
  terms: { whiteSpace: 'pre-wrap', maxHeight: '240px', overflowY: 'auto', padding: tokens.spacingVerticalM, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`, margin: 0 },
});

function Steps({ at }: { at: number }) {
  const styles = useStyles();
  return (
    <ol className={styles.steps} aria-label="Steps">
      {STEPS.map((name, i) => (
        <li key={name} className={i === at ? styles.current : styles.step} aria-current={i === at ? 'step' : undefined}>{i + 1}. {name}</li>
      ))}
    </ol>
  );
}

function Terms({ offer }: { offer: StorefrontOfferPage }) {
  const styles = useStyles();
  const terms = offer.legalTerms.termsAndConditions;
  return (
    <>
      {terms?.kind === 'text' ? <div className={styles.terms} tabIndex={0} role="region" aria-label="Terms and conditions">{terms.text}</div> : null}
      {terms?.kind === 'url' ? <Text>Terms and conditions: {terms.url}</Text> : null}
      <Text>Privacy policy: {offer.legalTerms.privacyPolicyUrl}</Text>
    </>
  );
}

function Result({ acquisition, subscription }: { acquisition: Acquisition; subscription: Subscription }) {
  const styles = useStyles();
  return (
    <div className={styles.body}>
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Delegated</MessageBarTitle>
          {acquisition.publisherDisplayName} now manages what you delegated with the access you reviewed.
        </MessageBarBody>
      </MessageBar>
      <dl className={styles.facts}>
        <dt>Offer</dt><dd>{acquisition.offerDisplayName} · {acquisition.planDisplayName} (version {acquisition.plan.version})</dd>
        <dt>Delegated scopes</dt><dd>{acquisition.scopes.map((s) => scopeName(s.scope, [subscription])).join(', ')}</dd>
      </dl>
      <RouteLink to="/portal/service-providers">See it in Service providers</RouteLink>
    </div>
  );
}

function Wizard({ offer }: { offer: StorefrontOfferPage }) {
  const styles = useStyles();
  const [step, setStep] = useState(0);
  const [planId, setPlanId] = useState(new URLSearchParams(window.location.search).get('plan') ?? offer.plans[0]?.planId ?? '');
  const [accepted, setAccepted] = useState(false);
  const [scope, setScope] = useState<ScopeChoice>({ wholeSubscription: true, groups: [] });
  const [running, setRunning] = useState<string>();
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<Acquisition>();
  const plan = offer.plans.find((p) => p.planId === planId);
  if (done && scope.subscription) return <Result acquisition={done} subscription={scope.subscription} />;
  if (!plan) return <Empty title="No plan is offered to you">This offer has no plan you can acquire.</Empty>;

  const scopes = scopesOf(scope);
  const ready = [true, accepted, scopes.length > 0, true][step] ?? false;
  const confirm = async () => {
    const subscriptionId = scope.subscription!.subscriptionId;
    setError(undefined);
    try {
      setRunning('Accepting the legal terms…');
      const acquisition = await acceptTerms(subscriptionId, offer.id, plan.planId, plan.version);
      setRunning('Delegating…');
      setDone(await delegate(subscriptionId, acquisition.id, scopes));
    } catch (caught) {
      setError(asError(caught));
    } finally {
      setRunning(undefined);
    }
  };

  return (
    <div className={styles.body}>
      <Steps at={step} />
      {step === 0 ? (
        <Field label="Plan" required>
          <RadioGroup value={planId} onChange={(_, data) => setPlanId(data.value)}>
            {offer.plans.map((p) => <Radio key={p.planId} value={p.planId} label={`${p.name} (version ${p.version}) — ${p.summary}`} />)}
          </RadioGroup>
        </Field>
      ) : null}
      {step === 1 ? (
        <>
          <Title3 as="h2">Legal terms of {offer.publisherDisplayName}</Title3>
          <Terms offer={offer} />
          <Checkbox checked={accepted} onChange={(_, data) => setAccepted(data.checked === true)} label={`I accept the legal terms of ${plan.name} and the privacy policy`} />
        </>
      ) : null}
      {step === 2 ? <ScopeStep choice={scope} onChange={setScope} /> : null}
      {step === 3 ? (
        <>
          <Title3 as="h2">Who will get which role</Title3>
          <Text>
            Delegating {scope.wholeSubscription ? 'the whole subscription' : `the resource groups ${scope.groups.join(', ')} of`} {scope.subscription?.displayName} with {offer.name} · {plan.name} (version {plan.version})
            {' '}gives these people and groups at {offer.publisherDisplayName} exactly this access there, until you remove the delegation:
          </Text>
          <GrantsTable grants={grantsOfPlan(plan)} label={`Who gets access with ${plan.name}`} />
          <ActionFailure title="Not delegated" error={error} />
        </>
      ) : null}
      <div className={styles.actions}>
        {step > 0 ? <Button disabled={running !== undefined} onClick={() => setStep(step - 1)}>Back</Button> : null}
        {step < STEPS.length - 1 ? <Button appearance="primary" disabled={!ready} onClick={() => setStep(step + 1)}>Next</Button> : null}
        {step === STEPS.length - 1 ? <Button appearance="primary" disabled={running !== undefined} onClick={() => void confirm()}>Delegate</Button> : null}
        {running ? <Spinner size="tiny" label={running} /> : null}
      </div>
    </div>
  );
}

export function CreateOffer({ offerId }: { offerId: string }) {
  const [load, retry] = useLoad((signal) => getOffer(offerId, signal), offerId);
  return (
    <>
      <RouteLink to={`/portal/marketplace/offers/${encodeURIComponent(offerId)}`}>← Back to the offer</RouteLink>
      <Loaded load={load} what="the offer" retry={retry}>
        {(offer) => (
          <>
            <PageHeading title={`Create: ${offer.name}`}>{offer.publisherDisplayName} · managed service</PageHeading>
            <Wizard offer={offer} />
          </>
        )}
      </Loaded>
    </>
  );
}
