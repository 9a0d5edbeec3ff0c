/** My roles → Eligible roles: each eligible authorization with its scope, directory and policy, and Activate. */
import { useState } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { Empty } from '../../../states.tsx';
import { SectionTitle } from './SectionTitle.tsx';
import { ActivateForm } from './ActivateForm.tsx';
import { describeDuration } from './duration.ts';
import type { Eligibility, PolicyAndDirectory, ScheduleRequest } from './pim.ts';

export interface EligibleRow {
  readonly eligibility: Eligibility;
  /** The policy from the delegation; undefined when it could not be read (`problem` says why) or none grants it. */
  readonly found: PolicyAndDirectory | undefined;
  readonly problem?: string;
}

function approval(found: PolicyAndDirectory | undefined): string {
  const approvers = found?.policy.managedByTenantApprovers ?? [];
  return approvers.length === 0 ? 'Not required' : `Required: ${approvers.map((a) => a.principalIdDisplayName ?? a.principalId).join(', ')}`;
}

export function EligibleRoles({ rows, principalId, onActivated }: { rows: EligibleRow[]; principalId: string; onActivated: (request: ScheduleRequest) => void }) {
  const [activating, setActivating] = useState<EligibleRow | undefined>();
  return (
    <section aria-labelledby="eligible-roles">
      <SectionTitle id="eligible-roles">Eligible roles</SectionTitle>
      {rows.length === 0 ? (
        <Empty title="No eligible roles">A customer&apos;s delegation can make you (or a group you are in) eligible for a role you activate when you need it.</Empty>
      ) : (
        <Table aria-label="Eligible roles">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Role</TableHeaderCell>
              <TableHeaderCell>Scope</TableHeaderCell>
              <TableHeaderCell>Directory</TableHeaderCell>
              <TableHeaderCell>Eligible through</TableHeaderCell>
              <TableHeaderCell>Maximum duration</TableHeaderCell>
              <TableHeaderCell>MFA</TableHeaderCell>
              <TableHeaderCell>Approval</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map(({ eligibility, found, problem }) => {
              const x = eligibility.properties.expandedProperties;
              const policy = found?.policy;
              return (
                <TableRow key={eligibility.id}>
                  <TableCell>{x.roleDefinition.displayName}</TableCell>
                  <TableCell>{x.scope.displayName} ({x.scope.type === 'resourcegroup' ? 'resource group' : x.scope.type})</TableCell>
                  <TableCell>{found?.directoryName ?? '—'}</TableCell>
                  <TableCell>{eligibility.properties.memberType === 'Group' ? `Group ${x.principal.displayName}` : 'You'}</TableCell>
                  {policy === undefined ? (
                    <TableCell colSpan={3}>{problem === undefined ? 'No policy found for this role.' : `The policy could not be read: ${problem}`}</TableCell>
                  ) : (
                    <>
                      <TableCell>{describeDuration(policy.maximumActivationDuration)}</TableCell>
                      <TableCell>{policy.multiFactorAuthProvider === 'Azure' ? 'Required' : 'Not required'}</TableCell>
                      <TableCell>{approval(found)}</TableCell>
                    </>
                  )}
                  <TableCell>
                    <Button appearance="primary" aria-label={`Activate ${x.roleDefinition.displayName} on ${x.scope.displayName}`} onClick={() => setActivating({ eligibility, found, ...(problem === undefined ? {} : { problem }) })}>Activate</Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {activating === undefined ? null : (
        <ActivateForm
          key={activating.eligibility.id}
          eligibility={activating.eligibility}
          policy={activating.found?.policy}
          principalId={principalId}
          onActivated={(request) => { setActivating(undefined); onActivated(request); }}
          onClose={() => setActivating(undefined)}
        />
      )}
    </section>
  );
}
