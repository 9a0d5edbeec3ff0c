/**
 * Bulk role assignments: the rows of an import file, read from what `az role assignment list --all`
 * prints (flat objects) or an ARM list (`{ value: [{ name, properties: {…} }] }`), and each row
 * checked by the same rules as one `PUT …/roleAssignments/{name}` (role-assignment-rules.ts), with the
 * file's earlier rows counted as if already made. A row without a name gets one derived from its
 * scope, principal and role, so importing the same file twice makes nothing new.
 */
import { conflict, DomainError, invalid, type ErrorDetail } from '../errors.js';
import type { RoleAssignment } from '../rbac/model.js';
import { parseScope, scopeKey } from '../scope.js';
import { armGuid } from '../templates/arm-guid.js';
import { roleGuidOf, validateRoleAssignment, type RoleAssignmentContext, type RoleAssignmentRequest, type ValidRoleAssignment } from './role-assignment-rules.js';

/** Rows of one import, at most; larger sets are split into several files. */
export const MAX_IMPORT_ROWS = 1_000_000;
/** Errors reported for a refused import, at most (the first ones, in file order). */
export const MAX_IMPORT_ERRORS = 20;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The import file's rows as role assignment requests; throws InvalidRoleAssignmentImport naming each bad row and field. */
export function parseRoleAssignmentImport(json: unknown): RoleAssignmentRequest[] {
  const items = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.value) ? json.value : undefined;
  if (items === undefined) {
    throw invalid('InvalidRoleAssignmentImport', 'A role assignment import is a JSON array (what `az role assignment list --all` prints) or { "value": [...] } (an ARM list).', '');
  }
  if (items.length > MAX_IMPORT_ROWS) throw invalid('InvalidRoleAssignmentImport', `An import holds at most ${MAX_IMPORT_ROWS} rows (${items.length} given): split the file.`, '');
  const errors: ErrorDetail[] = [];
  const rows: RoleAssignmentRequest[] = [];
  const keys = new Map<string, string>();
  const keyOf = (scope: string) => keys.get(scope) ?? keys.set(scope, scopeKey(scope)).get(scope)!;
  items.forEach((item: unknown, i) => {
    const fields = isRecord(item) ? (isRecord(item.properties) ? { ...item, ...item.properties } : item) : undefined;
    const text = (name: string): string | undefined => (typeof fields?.[name] === 'string' ? (fields[name]) : undefined);
    const missing = fields === undefined ? ['(a JSON object)'] : ['scope', 'roleDefinitionId', 'principalId'].filter((f) => text(f) === undefined);
    if (missing.length > 0) {
      if (errors.length < MAX_IMPORT_ERRORS) errors.push({ code: 'InvalidRoleAssignmentImport', message: `Row ${i}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required (strings).`, target: `[${i}].${missing[0]}` });
      return;
    }
    const [scope, roleDefinitionId, principalId] = [text('scope')!, text('roleDefinitionId')!, text('principalId')!];
    const principalType = text('principalType');
    rows.push({
      name: text('name') ?? armGuid(['lantern-role-assignment-import', keyOf(scope), principalId.toLowerCase(), (roleGuidOf(roleDefinitionId) ?? roleDefinitionId).toLowerCase()]),
      scope,
      roleDefinitionId,
      principalId,
      ...(principalType !== undefined ? { principalType } : {}),
    });
  });
  if (errors.length > 0) throw refused(errors);
  return rows;
}

/** What the rules need to know of each row that the file cannot say: from the directory and the store. */
export interface ImportContext extends Pick<RoleAssignmentContext, 'findRole'> {
  principal(principalId: string): RoleAssignmentContext['principal'];
  directoryTenantId(scope: string): string | undefined;
  /** The assignments already at exactly `scope`. */
  assignmentsAt(scope: string): readonly RoleAssignment[];
  /** How many assignments the scope's subscription (or management group) already holds. */
  assignmentCount(scope: string): number;
  /** The scope of the existing assignment named `name`, wherever it is; names are global. */
  scopeOfExisting(name: string): string | undefined;
}

/** Each row checked as its PUT would be, earlier rows counting as made; throws naming every bad row (the first ones). */
export function validateRoleAssignmentImport(rows: readonly RoleAssignmentRequest[], context: ImportContext): (ValidRoleAssignment & { readonly request: RoleAssignmentRequest })[] {
  // Per scope, its assignments by name and by (principal, role): the rules look for those two, and a
  // scope may hold thousands (a file's own rows among them), so each row looks them up, not through them.
  const indexes = new Map<string, { byName: Map<string, RoleAssignment>; byGrant: Map<string, RoleAssignment> }>();
  const grantKey = (principalId: string, roleId: string) => `${principalId.toLowerCase()} ${roleId.toLowerCase()}`;
  const indexAt = (scope: string, at: string) => {
    let index = indexes.get(at);
    if (index === undefined) {
      index = { byName: new Map(), byGrant: new Map() };
      for (const a of context.assignmentsAt(scope)) {
        index.byName.set(a.id.toLowerCase(), a);
        index.byGrant.set(grantKey(a.principalId, a.roleDefinitionId), a);
      }
      indexes.set(at, index);
    }
    return index;
  };
  // A file names few distinct scopes many times: each is parsed once.
  const scopes = new Map<string, { key: string; container: string }>();
  const scopeOf = (scope: string) => {
    let known = scopes.get(scope);
    if (known === undefined) {
      checkedScope(scope);
      known = { key: scopeKey(scope), container: containerOf(scope) };
      scopes.set(scope, known);
    }
    return known;
  };
  const addedPerContainer = new Map<string, number>();
  const names = new Map<string, number>();
  const errors: ErrorDetail[] = [];
  const valid: (ValidRoleAssignment & { readonly request: RoleAssignmentRequest })[] = [];
  rows.forEach((request, i) => {
    try {
      const { key: at, container } = scopeOf(request.scope);
      const earlier = names.get(request.name.toLowerCase());
      if (earlier !== undefined) throw invalid('InvalidRoleAssignmentImport', `the name is also row ${earlier}'s.`, 'name');
      const elsewhere = context.scopeOfExisting(request.name);
      if (elsewhere !== undefined && scopeKey(elsewhere) !== at) {
        throw conflict('RoleAssignmentExists', `The role assignment '${request.name}' already exists at scope '${elsewhere}'.`, 'name');
      }
      const index = indexAt(request.scope, at);
      const relevant = [index.byName.get(request.name.toLowerCase()), index.byGrant.get(grantKey(request.principalId, roleGuidOf(request.roleDefinitionId) ?? ''))];
      const result = validateRoleAssignment(request, {
        findRole: context.findRole,
        directoryTenantId: context.directoryTenantId(request.scope),
        principal: context.principal(request.principalId),
        assignmentsAtScope: relevant.filter((a) => a !== undefined),
        assignmentCount: context.assignmentCount(request.scope) + (addedPerContainer.get(container) ?? 0),
      });
      names.set(request.name.toLowerCase(), i);
      valid.push({ ...result, request });
      if (result.outcome === 'unchanged') return;
      const made: RoleAssignment = { id: request.name, scope: request.scope, roleDefinitionId: result.roleDefinitionId, principalId: request.principalId, principalType: result.principalType, createdAt: '', createdBy: '' };
      index.byName.set(made.id.toLowerCase(), made);
      index.byGrant.set(grantKey(made.principalId, made.roleDefinitionId), made);
      addedPerContainer.set(container, (addedPerContainer.get(container) ?? 0) + 1);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (errors.length < MAX_IMPORT_ERRORS) errors.push({ code: error.code, message: `Row ${i}: ${error.message}`, target: `[${i}].${error.target ?? ''}` });
    }
  });
  if (errors.length > 0) throw refused(errors);
  return valid;
}

// A malformed scope is named as the row's `scope` (ARM names it as the URL's resource id).
function checkedScope(scope: string): void {
  try {
    parseScope(scope);
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.kind, error.code, error.message, { target: 'scope' });
    throw error;
  }
}

// The subscription (or management group) whose assignment limit a scope counts against.
function containerOf(scope: string): string {
  const parsed = parseScope(scope);
  return parsed.subscriptionId?.toLowerCase() ?? scopeKey(scope);
}

function refused(errors: readonly ErrorDetail[]): DomainError {
  const more = errors.length >= MAX_IMPORT_ERRORS ? ` (the first ${MAX_IMPORT_ERRORS} shown)` : '';
  return new DomainError('invalid', 'InvalidRoleAssignmentImport', `The import was refused and nothing was written: ${errors.length} row(s) break a rule${more}. ${errors[0]?.message ?? ''}`, {
    target: errors[0]?.target ?? '',
    details: errors,
  });
}
