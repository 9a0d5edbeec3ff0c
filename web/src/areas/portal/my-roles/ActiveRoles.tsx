/** My roles → Active roles (with their end; deactivate) and the user's requests waiting for approval (cancel). */
import { useState } from 'react';
import { Button, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { Empty } from '../../../states.tsx';
import { SectionTitle } from './SectionTitle.tsx';
import { RequestTable } from './RequestTable.tsx';
import { cancelRequest, deactivate, type ActiveAssignment, type ScheduleRequest } from './pim.ts';

const useStyles = makeStyles({ section: { marginTop: tokens.spacingVerticalXXL } });

/** Runs a change and tells the page what happened, or shows the API's refusal. */
function useChange(onChanged: (message: string) => void): [Error | undefined, (run: () => Promise<void>, message: string) => void] {
  const [error, setError] = useState<Error | undefined>();
  const change = (run: () => Promise<void>, message: string) => {
    setError(undefined);
    run().then(() => onChanged(message), (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))));
  };
  return [error, change];
}

export function ActiveRoles({ active, pending, principalId, onChanged }: { active: ActiveAssignment[]; pending: ScheduleRequest[]; principalId: string; onChanged: (message: string) => void }) {
  const styles = useStyles();
  const [error, change] = useChange(onChanged);
  return (
    <>
      {error === undefined ? null : <MessageBar intent="error" className={styles.section}><MessageBarBody>{error.message}</MessageBarBody></MessageBar>}
      {pending.length === 0 ? null : (
        <section aria-labelledby="pending-requests" className={styles.section}>
          <SectionTitle id="pending-requests">Requests waiting for approval</SectionTitle>
          <RequestTable label="Requests waiting for approval" requests={pending} showRequester={false} action={(r) => {
            const x = r.properties.expandedProperties;
            return <Button onClick={() => change(() => cancelRequest(r), `Your request to activate ${x.roleDefinition.displayName} on ${x.scope.displayName} is withdrawn.`)}>Cancel request</Button>;
          }} />
        </section>
      )}
      <section aria-labelledby="active-roles" className={styles.section}>
        <SectionTitle id="active-roles">Active roles</SectionTitle>
        {active.length === 0 ? <Empty title="No active roles">A role you activate is listed here until its time ends.</Empty> : (
          <Table aria-label="Active roles">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Scope</TableHeaderCell>
                <TableHeaderCell>Ends</TableHeaderCell>
                <TableHeaderCell>Action</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {active.map((a) => {
                const x = a.properties.expandedProperties;
                return (
                  <TableRow key={a.id}>
                    <TableCell>{x.roleDefinition.displayName}</TableCell>
                    <TableCell>{x.scope.displayName}</TableCell>
                    <TableCell><time dateTime={a.properties.endDateTime}>{new Date(a.properties.endDateTime).toLocaleString()}</time></TableCell>
                    <TableCell><Button onClick={() => change(() => deactivate(a, principalId), `${x.roleDefinition.displayName} on ${x.scope.displayName} is no longer active.`)}>Deactivate</Button></TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>
    </>
  );
}
