/**
 * Portal → My roles: the user's eligible authorizations with their policy (activate), pending
 * requests (cancel), active roles with their end (deactivate), and the approvals waiting for the
 * user. Everything is PIM's public contract at `/` with the user's token.
 */
import { useState } from 'react';
import { MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { PageHeading } from '../../../page.tsx';
import { useSession } from '../../../session.tsx';
import { Loaded, useLoad } from '../../../states.tsx';
import { ActiveRoles } from './ActiveRoles.tsx';
import { Approvals } from './Approvals.tsx';
import { EligibleRoles, type EligibleRow } from './EligibleRoles.tsx';
import { listActiveAssignments, listEligibilities, listRequests, policyOf, type ActiveAssignment, type ScheduleRequest } from './pim.ts';

const useStyles = makeStyles({ notice: { marginBottom: tokens.spacingVerticalL } });

interface Roles {
  readonly eligible: EligibleRow[];
  readonly active: ActiveAssignment[];
  readonly pending: ScheduleRequest[];
  readonly approvals: ScheduleRequest[];
}

async function loadRoles(signal: AbortSignal): Promise<Roles> {
  const [eligibilities, active, mine, approvals] = await Promise.all([
    listEligibilities(signal), listActiveAssignments(signal), listRequests('asRequestor', signal), listRequests('asApprover', signal),
  ]);
  const policies = await Promise.allSettled(eligibilities.map((e) => policyOf(e, signal)));
  const eligible = eligibilities.map((eligibility, i) => {
    const result = policies[i]!;
    return result.status === 'fulfilled' ? { eligibility, found: result.value } : { eligibility, found: undefined, problem: result.reason instanceof Error ? result.reason.message : 'The policy could not be read.' };
  });
  return { eligible, active, pending: mine.filter((r) => r.properties.status === 'PendingApproval'), approvals };
}

/** What became of an activation, in words. */
function outcome(request: ScheduleRequest): string {
  const { status, expandedProperties: x, scheduleInfo } = request.properties;
  const what = `${x.roleDefinition.displayName} on ${x.scope.displayName}`;
  if (status === 'PendingApproval') return `Your request to activate ${what} waits for an approver. It is listed under "Requests waiting for approval" until one decides.`;
  const end = scheduleInfo.expiration.endDateTime;
  return `${what} is active${end ? ` until ${new Date(end).toLocaleString()}` : ''}.`;
}

export function MyRoles() {
  const styles = useStyles();
  const session = useSession();
  const [notice, setNotice] = useState<string | undefined>();
  const [load, retry] = useLoad(loadRoles, 'my-roles');
  const changed = (message: string) => {
    setNotice(message);
    retry();
  };
  return (
    <>
      <PageHeading title="My roles">Roles you may activate for a while (just-in-time access through a customer&apos;s delegation), your active roles, and the activations waiting for your approval.</PageHeading>
      {notice === undefined ? null : (
        <MessageBar intent="success" className={styles.notice}><MessageBarBody>{notice}</MessageBarBody></MessageBar>
      )}
      <Loaded load={load} what="your roles" retry={retry}>
        {(roles) => (
          <>
            <EligibleRoles rows={roles.eligible} principalId={session.account.localAccountId} onActivated={(r) => changed(outcome(r))} />
            <ActiveRoles active={roles.active} pending={roles.pending} principalId={session.account.localAccountId} onChanged={changed} />
            <Approvals requests={roles.approvals} onReviewed={changed} />
          </>
        )}
      </Loaded>
    </>
  );
}
