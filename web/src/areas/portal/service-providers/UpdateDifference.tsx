/**
 * What accepting an offer update changes, as the API computes it (old manifest against new): who
 * gains which role, who loses which, and whose access changes how.
 */
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { GrantsTable, accessText, type Grant } from '../../../grants.tsx';
import type { OfferUpdate } from './lighthouse.ts';

const who = (g: Grant) => g.principalIdDisplayName ?? g.principalId;
const role = (g: Grant) => g.roleDefinitionName ?? g.roleDefinitionId;

/** The API's `changedFields` in words. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  principalIdDisplayName: 'display name',
  delegatedRoleDefinitionIds: 'roles it may assign',
  justInTimeAccessPolicy: 'just-in-time policy',
  'justInTimeAccessPolicy.maximumActivationDuration': 'maximum activation duration',
  'justInTimeAccessPolicy.multiFactorAuthProvider': 'MFA',
  'justInTimeAccessPolicy.managedByTenantApprovers': 'approvers',
};

export function UpdateDifference({ update, name }: { update: OfferUpdate; name: string }) {
  const nothing = update.added.length + update.removed.length + update.changed.length === 0;
  return (
    <>
      {nothing ? <Text>Version {update.version} grants the same access as the version in force.</Text> : null}
      {update.added.length > 0 ? (
        <>
          <Text weight="semibold">Gain access with version {update.version}</Text>
          <GrantsTable grants={update.added} label={`Who gains access with ${name} ${update.version}`} />
        </>
      ) : null}
      {update.removed.length > 0 ? (
        <>
          <Text weight="semibold">Lose access with version {update.version}</Text>
          <GrantsTable grants={update.removed} label={`Who loses access with ${name} ${update.version}`} />
        </>
      ) : null}
      {update.changed.length > 0 ? (
        <>
          <Text weight="semibold">Access that changes with version {update.version}</Text>
          <Table aria-label={`Access that changes with ${name} ${update.version}`} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Who (at the provider)</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>What changes</TableHeaderCell>
                <TableHeaderCell>Now</TableHeaderCell>
                <TableHeaderCell>After the update</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {update.changed.map((c) => (
                <TableRow key={`${c.after.accessType}/${c.after.principalId}/${c.after.roleDefinitionId}`}>
                  <TableCell>{who(c.after)}</TableCell>
                  <TableCell>{role(c.after)}</TableCell>
                  <TableCell>{c.changedFields.map((f) => FIELD_NAMES[f] ?? f).join(', ')}</TableCell>
                  <TableCell>{accessText(c.before)}</TableCell>
                  <TableCell>{accessText(c.after)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </>
  );
}
