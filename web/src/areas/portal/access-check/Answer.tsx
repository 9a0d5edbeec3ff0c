/** The engine's answer in words: allowed or not, and why — each grant that allows it, or what is missing. */
import { MessageBar, MessageBarBody, MessageBarTitle, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { Explanation, Grant } from './explain.ts';

const useStyles = makeStyles({
  answer: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalXL },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

const SOURCES: Readonly<Record<string, string>> = {
  roleAssignment: 'a role assignment',
  delegation: "a customer's delegation (Azure Lighthouse)",
  eligibleActivation: 'an activated eligible role (just-in-time access)',
};

function grantInWords(grant: Grant, scopeName: (scope: string) => string): string {
  return `Role ${grant.roleName}, through ${SOURCES[grant.source] ?? grant.source}, at ${scopeName(grant.scope)}${grant.viaGroup === undefined ? ', held directly' : `, held through the group ${grant.viaGroup}`}.`;
}

export function Answer({ answer, scopeName }: { answer: Explanation; scopeName: (scope: string) => string }) {
  const styles = useStyles();
  const who = answer.principal.displayName;
  return (
    <section aria-labelledby="answer" className={styles.answer}>
      <Title3 as="h2" id="answer">Answer</Title3>
      <MessageBar intent={answer.allowed ? 'success' : 'error'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{answer.allowed ? 'Allowed' : 'Not allowed'}</MessageBarTitle>
          {who} ({answer.principal.type}) {answer.allowed ? 'may' : 'may not'} perform {answer.action} at {scopeName(answer.scope)}.
        </MessageBarBody>
      </MessageBar>
      {answer.grants.length > 0 ? (
        <>
          <strong>Allowed by</strong>
          <ul className={styles.list} aria-label="Allowed by">
            {answer.grants.map((g) => <li key={`${g.source}-${g.id}-${g.principalId}`}>{grantInWords(g, scopeName)}</li>)}
          </ul>
        </>
      ) : null}
      {answer.deniedBy === undefined ? null : <span>Blocked by the deny assignment {answer.deniedBy.denyAssignmentId} at {scopeName(answer.deniedBy.scope)}.</span>}
      <div>
        <strong>The engine&apos;s reasoning: </strong>
        {answer.reason}
      </div>
    </section>
  );
}
