/**
 * One authorization of a manifest: who (display name, principal id), which role — picked from the API's
 * role picker, where a role that can't be delegated is shown disabled with the delegation rule's reason —
 * and how: Active (permanent), or Eligible with its just-in-time policy (maximum duration, MFA, approvers).
 */
import { Button, Checkbox, Dropdown, Field, Input, Option, Radio, RadioGroup, Select, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { PlanAuthorization } from '../../../../../src/core/marketplace/model.ts';
import type { FieldErrors } from './field-errors.tsx';
import { useFormStyles } from './form-layout.ts';
import { GroupField } from './GroupField.tsx';

/** `GET /partner-center/role-picker` and `…/assignable-roles`: a built-in role, pickable or not, and why not. */
export interface RoleChoice { readonly id: string; readonly roleName: string; readonly allowed: boolean; readonly reason?: string }

export interface RoleCatalog { readonly active: readonly RoleChoice[]; readonly eligible: readonly RoleChoice[]; readonly assignable: readonly RoleChoice[] }

/** The durations Partner Center offers for activation (the API checks the range). */
const DURATIONS = [['PT30M', '30 minutes'], ['PT1H', '1 hour'], ['PT2H', '2 hours'], ['PT4H', '4 hours'], ['PT8H', '8 hours']] as const;

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  head: { display: 'flex', justifyContent: 'space-between', alignItems: 'center' },
  reason: { color: tokens.colorNeutralForeground3, display: 'block' },
  jit: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingLeft: tokens.spacingHorizontalL, borderLeft: `3px solid ${tokens.colorBrandStroke2}` },
});

/** A role picker: every built-in role; the ones the delegation rules refuse are disabled, saying why. */
function RolePicker({ label, choices, value, onChange, messages }: { label: string; choices: readonly RoleChoice[]; value: string; onChange: (id: string) => void; messages: ReturnType<FieldErrors['at']> }) {
  const styles = useStyles();
  const chosen = choices.find((c) => c.id.toLowerCase() === value.toLowerCase());
  return (
    <Field label={label} {...messages}>
      <Dropdown
        placeholder="Choose a role"
        value={chosen?.roleName ?? value}
        selectedOptions={chosen ? [chosen.id] : []}
        onOptionSelect={(_, { optionValue }) => { if (optionValue) onChange(optionValue); }}
        listbox={{ style: { maxHeight: '320px' } }}
      >
        {choices.map((c) => (
          <Option key={c.id} value={c.id} text={c.roleName} disabled={!c.allowed}>
            <span>{c.roleName}{c.allowed ? null : <Text size={200} className={styles.reason}>Not allowed: {c.reason}</Text>}</span>
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function AuthorizationEditor({ value, index, at, errors, roles, onChange, onRemove }: {
  value: PlanAuthorization;
  index: number;
  /** The authorization's field path, e.g. `plans[0].technicalConfiguration.manifests[0].authorizations[1]`. */
  at: string;
  errors: FieldErrors;
  roles: RoleCatalog;
  onChange: (next: PlanAuthorization) => void;
  onRemove: () => void;
}) {
  const styles = { ...useFormStyles(), ...useStyles() };
  const a = value;
  const n = index + 1;
  const jit = a.justInTime;
  const setAccess = (accessType: 'active' | 'eligible') => {
    const { justInTime: _jit, assignableRoleIds: _assignable, ...rest } = a;
    onChange(accessType === 'eligible' ? { ...rest, accessType, justInTime: { maximumDuration: 'PT8H', requireMfa: true, approvers: [] } } : { ...rest, accessType });
  };
  return (
    <section className={styles.card} aria-label={`Authorization ${n}`}>
      <div className={styles.head}>
        <Title3 as="h3">Authorization {n}{a.displayName ? `: ${a.displayName}` : ''}</Title3>
        <Button onClick={onRemove}>Remove authorization {n}</Button>
      </div>
      <div className={styles.row}>
        <Field label={`Display name (${n})`} {...errors.at(`${at}.displayName`)}><Input value={a.displayName} onChange={(_, { value: v }) => onChange({ ...a, displayName: v })} /></Field>
        <Field label={`Principal ID (${n})`} hint="Object ID of a user, security group or service principal" {...errors.at(`${at}.principalId`)}>
          <Input value={a.principalId} onChange={(_, { value: v }) => onChange({ ...a, principalId: v })} />
        </Field>
        <Field label={`Access type (${n})`}>
          <RadioGroup layout="horizontal" value={a.accessType} onChange={(_, { value: v }) => setAccess(v === 'eligible' ? 'eligible' : 'active')}>
            <Radio value="active" label="Active" />
            <Radio value="eligible" label="Eligible" />
          </RadioGroup>
        </Field>
      </div>
      <RolePicker label={`Role (${n})`} choices={a.accessType === 'eligible' ? roles.eligible : roles.active} value={a.roleDefinitionId} onChange={(id) => onChange({ ...a, roleDefinitionId: id })} messages={errors.at(`${at}.roleDefinitionId`)} />
      {a.accessType === 'active' ? (
        <Field label={`Assignable roles (${n}, User Access Administrator only)`} {...errors.at(`${at}.assignableRoleIds`)}>
          <Dropdown
            multiselect
            placeholder="None"
            value={roles.assignable.filter((r) => a.assignableRoleIds?.includes(r.id)).map((r) => r.roleName).join(', ')}
            selectedOptions={[...(a.assignableRoleIds ?? [])]}
            onOptionSelect={(_, { selectedOptions }) => {
              const { assignableRoleIds: _old, ...rest } = a;
              onChange(selectedOptions.length === 0 ? rest : { ...rest, assignableRoleIds: selectedOptions });
            }}
            listbox={{ style: { maxHeight: '320px' } }}
          >
            {roles.assignable.map((r) => <Option key={r.id} value={r.id} disabled={!r.allowed}>{r.roleName}</Option>)}
          </Dropdown>
        </Field>
      ) : null}
      {a.accessType === 'eligible' && jit ? (
        <div className={styles.jit} role="group" aria-label={`Just-in-time policy of authorization ${n}`}>
          <Text weight="semibold">Just-in-time access policy</Text>
          <div className={styles.inline}>
            <Field label={`Maximum duration (${n})`} {...errors.at(`${at}.justInTime.maximumDuration`)}>
              <Select value={jit.maximumDuration} onChange={(_, { value: v }) => onChange({ ...a, justInTime: { ...jit, maximumDuration: v } })}>
                {DURATIONS.some(([d]) => d === jit.maximumDuration) ? null : <option value={jit.maximumDuration}>{jit.maximumDuration}</option>}
                {DURATIONS.map(([d, label]) => <option key={d} value={d}>{label}</option>)}
              </Select>
            </Field>
            <Checkbox label={`Require multifactor authentication to activate (${n})`} checked={jit.requireMfa} onChange={(_, { checked }) => onChange({ ...a, justInTime: { ...jit, requireMfa: checked === true } })} />
          </div>
          <GroupField label={`Approvers (${n}): none means the principal activates the role itself`} {...errors.at(`${at}.justInTime.approvers`)}>
            <div className={styles.group}>
              {jit.approvers.map((ap, j) => (
                <div key={j} className={styles.inline}>
                  <Field label={`Approver ${j + 1} display name`}>
                    <Input value={ap.displayName} onChange={(_, { value: v }) => onChange({ ...a, justInTime: { ...jit, approvers: jit.approvers.map((x, k) => (k === j ? { ...x, displayName: v } : x)) } })} />
                  </Field>
                  <Field label={`Approver ${j + 1} principal ID`} {...errors.at(`${at}.justInTime.approvers[${j}]`)}>
                    <Input value={ap.principalId} onChange={(_, { value: v }) => onChange({ ...a, justInTime: { ...jit, approvers: jit.approvers.map((x, k) => (k === j ? { ...x, principalId: v } : x)) } })} />
                  </Field>
                  <Button onClick={() => onChange({ ...a, justInTime: { ...jit, approvers: jit.approvers.filter((_, k) => k !== j) } })}>Remove approver {j + 1}</Button>
                </div>
              ))}
              <div><Button onClick={() => onChange({ ...a, justInTime: { ...jit, approvers: [...jit.approvers, { principalId: '', displayName: '' }] } })}>Add an approver</Button></div>
            </div>
          </GroupField>
        </div>
      ) : null}
    </section>
  );
}
