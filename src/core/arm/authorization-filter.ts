/**
 * The `$filter`s of Microsoft.Authorization lists: role assignments take `atScope()`,
 * `principalId eq '{id}'` and `assignedTo('{id}')` joined by `and`; role definitions take
 * `roleName eq '{name}'` and `type eq 'BuiltInRole'|'CustomRole'`.
 */
import { invalid } from '../errors.js';
import { isGuid } from '../guid.js';

export interface RoleAssignmentFilter {
  readonly atScope?: boolean;
  readonly principalId?: string;
  readonly assignedTo?: string;
}

export interface RoleDefinitionFilter {
  readonly roleName?: string;
  readonly type?: 'BuiltInRole' | 'CustomRole';
}

const CLAUSE = /^\s*(?:(atScope)\(\)|(assignedTo)\(\s*'([^']*)'\s*\)|(\w+)\s+eq\s+'((?:[^']|'')*)')\s*(?:and\s+|$)/i;

function clauses(filter: string, bad: (why: string) => Error): { fn?: string; arg?: string; field?: string; value?: string }[] {
  const out: { fn?: string; arg?: string; field?: string; value?: string }[] = [];
  let rest = filter;
  while (rest.trim() !== '') {
    const m = CLAUSE.exec(rest);
    if (!m) throw bad(`unexpected '${rest.trim()}'`);
    rest = rest.slice(m[0].length);
    if (m[1]) out.push({ fn: 'atscope' });
    else if (m[2]) out.push({ fn: 'assignedto', arg: m[3] ?? '' });
    else out.push({ field: (m[4] ?? '').toLowerCase(), value: (m[5] ?? '').replace(/''/g, "'") });
  }
  return out;
}

/** Parses a role assignment list filter; throws InvalidFilterInQueryString naming the problem. */
export function parseRoleAssignmentFilter(filter: string | undefined): RoleAssignmentFilter {
  if (filter === undefined || filter.trim() === '') return {};
  const bad = (why: string) => invalid('InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string: ${why}.`, '$filter');
  const out: { atScope?: boolean; principalId?: string; assignedTo?: string } = {};
  for (const c of clauses(filter, bad)) {
    if (c.fn === 'atscope') out.atScope = true;
    else if (c.fn === 'assignedto') out.assignedTo = guid(c.arg ?? '', bad);
    else if (c.field === 'principalid') out.principalId = guid(c.value ?? '', bad);
    else throw bad(`'${c.field ?? ''}' is not supported; use atScope(), assignedTo('{objectId}') or principalId eq '{objectId}'`);
  }
  if (out.principalId !== undefined && out.assignedTo !== undefined) throw bad("principalId and assignedTo can't be combined");
  return out;
}

/** Parses a role definition list filter; throws InvalidFilterInQueryString naming the problem. */
export function parseRoleDefinitionFilter(filter: string | undefined): RoleDefinitionFilter {
  if (filter === undefined || filter.trim() === '') return {};
  const bad = (why: string) => invalid('InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string: ${why}.`, '$filter');
  const out: { roleName?: string; type?: 'BuiltInRole' | 'CustomRole' } = {};
  for (const c of clauses(filter, bad)) {
    if (c.field === 'rolename') out.roleName = c.value ?? '';
    else if (c.field === 'type' && (c.value?.toLowerCase() === 'builtinrole' || c.value?.toLowerCase() === 'customrole')) {
      out.type = c.value.toLowerCase() === 'builtinrole' ? 'BuiltInRole' : 'CustomRole';
    } else throw bad("use roleName eq '{name}' or type eq 'BuiltInRole' | 'CustomRole'");
  }
  return out;
}

function guid(value: string, bad: (why: string) => Error): string {
  if (isGuid(value)) return value.toLowerCase();
  throw bad(`'${String(value)}' is not an object id (GUID)`);
}
