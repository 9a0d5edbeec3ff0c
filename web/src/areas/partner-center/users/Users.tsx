/**
 * Partner Center → Users: the publisher's users and service principals with their Partner Center
 * roles (Owner, Manager, Developer); Owners and Managers add a principal of their directory, change
 * its roles or remove it. The API keeps at least one Owner and says so when a change would not.
 */
import { useState } from 'react';
import {
  Button, Checkbox, Field, MessageBar, MessageBarBody, MessageBarTitle, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3,
  makeStyles, tokens,
} from '@fluentui/react-components';
import type { PublisherUser } from '../../../../../src/services/marketplace/publisher-service.ts';
import { getJson, sendJson } from '../../../api.ts';
import { PageHeading } from '../../../page.tsx';
import { Loaded, useLoad } from '../../../states.tsx';
import { WithPublisher, type PublisherAccountView } from '../PublisherPicker.tsx';

type Role = PublisherUser['roles'][number];
const ROLES: readonly Role[] = ['Owner', 'Manager', 'Developer'];
const ROLE_HELP = 'Owners and Managers manage users and see leads; every role edits and publishes offers.';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  roles: { display: 'flex', gap: tokens.spacingHorizontalS },
  add: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  who: { minWidth: '320px' },
  name: { width: '16%' },
  kind: { width: '12%' },
  signIn: { width: '21%' },
  rolesColumn: { width: '33%' },
});

export function Users() {
  return (
    <>
      <PageHeading title="Users">Who works in your publisher account and what each may do. {ROLE_HELP}</PageHeading>
      <WithPublisher>{(publisher) => <PublisherUsers key={publisher.publisherId} publisher={publisher} />}</WithPublisher>
    </>
  );
}

const nameOf = (u: PublisherUser) => u.userPrincipalName ?? (u.appId === undefined ? u.id : `App ${u.appId}`);

function PublisherUsers({ publisher }: { publisher: PublisherAccountView }) {
  const styles = useStyles();
  const base = `/partner-center/publishers/${encodeURIComponent(publisher.publisherId)}`;
  const [load, reload] = useLoad((signal) => getJson<{ value: PublisherUser[] }>(`${base}/users`, signal), base);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const setRoles = async (user: PublisherUser, roles: readonly Role[], done: string) => {
    setOutcome(undefined);
    try {
      await sendJson('PUT', `${base}/members/${encodeURIComponent(user.id)}`, { roles });
      setOutcome({ ok: true, text: done });
    } catch (error) {
      setOutcome({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
    reload();
  };
  return (
    <>
      {outcome === undefined ? null : (
        <MessageBar intent={outcome.ok ? 'success' : 'error'}>
          <MessageBarBody>{outcome.ok ? null : <MessageBarTitle>Lantern refused</MessageBarTitle>}{outcome.text}</MessageBarBody>
        </MessageBar>
      )}
      <Loaded load={load} what="the publisher's users" retry={reload}>
        {({ value }) => {
          const members = value.filter((u) => u.roles.length > 0);
          const others = value.filter((u) => u.roles.length === 0);
          return (
            <>
              <section className={styles.section} aria-labelledby="members">
                <Title3 as="h2" id="members">Users of {publisher.displayName}</Title3>
                <Table aria-label="Publisher users">
                  <TableHeader><TableRow>
                    <TableHeaderCell className={styles.name}>Name</TableHeaderCell><TableHeaderCell className={styles.kind}>Type</TableHeaderCell>
                    <TableHeaderCell className={styles.signIn}>Sign-in name</TableHeaderCell><TableHeaderCell className={styles.rolesColumn}>Roles</TableHeaderCell><TableHeaderCell>Actions</TableHeaderCell>
                  </TableRow></TableHeader>
                  <TableBody>
                    {members.map((u) => <MemberRow key={`${u.id}/${u.roles.join()}`} user={u} setRoles={setRoles} />)}
                  </TableBody>
                </Table>
              </section>
              <AddUser candidates={others} add={(u, roles) => setRoles(u, roles, `${u.displayName} is now ${roles.join(', ')}.`)} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function RolePicker({ label, roles, onChange }: { label: string; roles: readonly Role[]; onChange: (roles: Role[]) => void }) {
  const styles = useStyles();
  return (
    <div className={styles.roles} role="group" aria-label={label}>
      {ROLES.map((r) => (
        <Checkbox key={r} label={r} checked={roles.includes(r)} onChange={(_, d) => onChange(ROLES.filter((x) => (x === r ? d.checked === true : roles.includes(x))))} />
      ))}
    </div>
  );
}

function MemberRow({ user, setRoles }: { user: PublisherUser; setRoles: (u: PublisherUser, roles: readonly Role[], done: string) => Promise<void> }) {
  const [roles, setChosen] = useState<readonly Role[]>(user.roles);
  const changed = roles.join() !== ROLES.filter((r) => user.roles.includes(r)).join();
  return (
    <TableRow>
      <TableCell>{user.displayName}</TableCell>
      <TableCell>{user.kind === 'user' ? 'User' : 'Service principal'}</TableCell>
      <TableCell>{nameOf(user)}</TableCell>
      <TableCell><RolePicker label={`Roles of ${user.displayName}`} roles={roles} onChange={setChosen} /></TableCell>
      <TableCell>
        <Button size="small" appearance="primary" disabled={!changed || roles.length === 0} onClick={() => void setRoles(user, roles, `${user.displayName} is now ${roles.join(', ')}.`)}>Save</Button>{' '}
        <Button size="small" onClick={() => void setRoles(user, [], `${user.displayName} no longer has a role in the publisher.`)} aria-label={`Remove ${user.displayName}`}>Remove</Button>
      </TableCell>
    </TableRow>
  );
}

function AddUser({ candidates, add }: { candidates: readonly PublisherUser[]; add: (u: PublisherUser, roles: readonly Role[]) => Promise<void> }) {
  const styles = useStyles();
  const [id, setId] = useState('');
  const [roles, setRoles] = useState<readonly Role[]>(['Developer']);
  const chosen = candidates.find((c) => c.id === id);
  return (
    <section className={styles.section} aria-labelledby="add">
      <Title3 as="h2" id="add">Add a user</Title3>
      {candidates.length === 0 ? <span>Every user and service principal of your directory already has a role.</span> : (
        <div className={styles.add}>
          <Field label="User or service principal of your directory" className={styles.who}>
            <Select value={id} onChange={(_, d) => setId(d.value)}>
              <option value="">Choose…</option>
              {candidates.map((c) => <option key={c.id} value={c.id}>{c.displayName} ({nameOf(c)})</option>)}
            </Select>
          </Field>
          <RolePicker label="Roles to give" roles={roles} onChange={setRoles} />
          <Button appearance="primary" disabled={chosen === undefined || roles.length === 0} onClick={() => { if (chosen) void add(chosen, roles).then(() => setId('')); }}>Add</Button>
        </div>
      )}
    </section>
  );
}
