/** A table of activation requests (the user's pending ones, or those waiting for the user's approval) with an action per row. */
import type { ReactNode } from 'react';
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { describeDuration } from './duration.ts';
import type { ScheduleRequest } from './pim.ts';

export function RequestTable({ label, requests, showRequester, action }: { label: string; requests: ScheduleRequest[]; showRequester: boolean; action: (request: ScheduleRequest) => ReactNode }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          {showRequester ? <TableHeaderCell>Requested by</TableHeaderCell> : null}
          <TableHeaderCell>Role</TableHeaderCell>
          <TableHeaderCell>Scope</TableHeaderCell>
          <TableHeaderCell>Duration</TableHeaderCell>
          <TableHeaderCell>Justification</TableHeaderCell>
          <TableHeaderCell>Action</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {requests.map((r) => {
          const x = r.properties.expandedProperties;
          const duration = r.properties.scheduleInfo.expiration.duration;
          return (
            <TableRow key={r.id}>
              {showRequester ? <TableCell>{x.principal.displayName}</TableCell> : null}
              <TableCell>{x.roleDefinition.displayName}</TableCell>
              <TableCell>{x.scope.displayName}</TableCell>
              <TableCell>{duration === null ? '—' : describeDuration(duration)}</TableCell>
              <TableCell>{r.properties.justification ?? '—'}</TableCell>
              <TableCell>{action(r)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
