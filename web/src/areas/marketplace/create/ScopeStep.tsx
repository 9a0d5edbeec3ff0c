/**
 * Create → what to delegate: a subscription, whole or some of its resource groups. Every
 * subscription and group the user can see is listed; those the user may not delegate are disabled
 * with the reason, which the decision engine gives (acquire.ts), not a rule of the page.
 */
import { Checkbox, Field, Radio, RadioGroup, Text, makeStyles, tokens } from '@fluentui/react-components';
import { listResourceGroups, listSubscriptions, type Subscription } from '../../portal/arm.ts';
import { Empty, Loaded, useLoad } from '../../../states.tsx';
import { checkScope, type ScopeCheck } from './acquire.ts';

export interface ScopeChoice {
  readonly subscription?: Subscription;
  readonly wholeSubscription: boolean;
  readonly groups: readonly string[];
}

const useStyles = makeStyles({
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  option: { display: 'flex', flexDirection: 'column' },
  reason: { color: tokens.colorNeutralForeground3, paddingLeft: '32px' },
});

/** The scopes the choice delegates, as the delegate API takes them. */
export function scopesOf(choice: ScopeChoice): string[] {
  if (!choice.subscription) return [];
  const root = `/subscriptions/${choice.subscription.subscriptionId}`;
  return choice.wholeSubscription ? [root] : choice.groups.map((g) => `${root}/resourceGroups/${g}`);
}

function Reason({ check }: { check: ScopeCheck | undefined }) {
  const styles = useStyles();
  return check?.reason ? <Text size={200} className={styles.reason}>{check.reason}</Text> : null;
}

async function checkedSubscriptions(signal: AbortSignal) {
  const subscriptions = await listSubscriptions(signal);
  return Promise.all(subscriptions.map(async (s) => ({ subscription: s, check: await checkScope(s.id, 'subscription', signal) })));
}

async function checkedGroups(subscriptionId: string, signal: AbortSignal) {
  const groups = await listResourceGroups(subscriptionId, signal);
  return Promise.all(groups.map(async (g) => ({ name: g.name, check: await checkScope(g.id, 'resource group', signal) })));
}

function GroupPicker({ choice, onChange, subscriptionId }: { choice: ScopeChoice; onChange: (choice: ScopeChoice) => void; subscriptionId: string }) {
  const styles = useStyles();
  const [load, retry] = useLoad((signal) => checkedGroups(subscriptionId, signal), subscriptionId);
  const toggle = (name: string, on: boolean) => onChange({ ...choice, groups: on ? [...choice.groups, name] : choice.groups.filter((g) => g !== name) });
  return (
    <Loaded load={load} what="resource groups" retry={retry}>
      {(groups) => groups.length === 0 ? <Empty title="This subscription has no resource groups" /> : (
        <fieldset className={styles.column}>
          <legend>Resource groups to delegate</legend>
          {groups.map(({ name, check }) => (
            <div key={name} className={styles.option}>
              <Checkbox label={name} disabled={!check.mayDelegate} checked={choice.groups.includes(name)} onChange={(_, data) => toggle(name, data.checked === true)} />
              <Reason check={check} />
            </div>
          ))}
        </fieldset>
      )}
    </Loaded>
  );
}

export function ScopeStep({ choice, onChange }: { choice: ScopeChoice; onChange: (choice: ScopeChoice) => void }) {
  const styles = useStyles();
  const [load, retry] = useLoad(checkedSubscriptions, 'create-subscriptions');
  return (
    <Loaded load={load} what="your subscriptions" retry={retry}>
      {(subscriptions) => {
        if (subscriptions.length === 0) return <Empty title="You have no subscription">An owner of a subscription can delegate it, or give you Owner on it.</Empty>;
        const chosen = subscriptions.find((s) => s.subscription.subscriptionId === choice.subscription?.subscriptionId);
        return (
          <div className={styles.column}>
            <Field label="Subscription" required>
              <RadioGroup
                value={choice.subscription?.subscriptionId ?? ''}
                onChange={(_, data) => {
                  const picked = subscriptions.find((s) => s.subscription.subscriptionId === data.value)!;
                  onChange({ subscription: picked.subscription, wholeSubscription: picked.check.mayDelegate, groups: [] });
                }}
              >
                {subscriptions.map(({ subscription, check }) => (
                  <div key={subscription.id} className={styles.option}>
                    <Radio value={subscription.subscriptionId} disabled={!check.mayAcceptTerms} label={`${subscription.displayName} (${subscription.subscriptionId})`} />
                    {check.mayAcceptTerms ? null : <Reason check={check} />}
                  </div>
                ))}
              </RadioGroup>
            </Field>
            {chosen ? (
              <Field label="What to delegate" required>
                <RadioGroup value={choice.wholeSubscription ? 'subscription' : 'groups'} onChange={(_, data) => onChange({ ...choice, wholeSubscription: data.value === 'subscription', groups: [] })}>
                  <div className={styles.option}>
                    <Radio value="subscription" disabled={!chosen.check.mayDelegate} label="The whole subscription" />
                    <Reason check={chosen.check} />
                  </div>
                  <Radio value="groups" label="Some of its resource groups" />
                </RadioGroup>
              </Field>
            ) : null}
            {chosen && !choice.wholeSubscription ? <GroupPicker choice={choice} onChange={onChange} subscriptionId={chosen.subscription.subscriptionId} /> : null}
          </div>
        );
      }}
    </Loaded>
  );
}
