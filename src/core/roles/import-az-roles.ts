/**
 * Reads role definitions printed by `az role definition list` (or an ARM list body) into Lantern's
 * RoleDefinition. The input is untrusted JSON, so every field is checked and a bad entry is
 * reported by its index and field.
 */
import { invalid } from '../errors.js';
import { isGuid, normalizeGuid } from '../guid.js';
import type { Permission, RoleDefinition } from '../rbac/model.js';
import { parseScope } from '../scope.js';

const CODE = 'InvalidRoleDefinitionFile';
const ROLE_DEFINITION_ID = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the JSON of `az role definition list` (an array of roles), an ARM list body (`{ value: [...] }`,
 * fields under `properties`) or the `{ roles: [...] }` dump shape; throws `InvalidRoleDefinitionFile`
 * naming the entry and field at fault.
 */
export function parseAzRoleDefinitions(json: unknown): RoleDefinition[] {
  const [entries, path] = roleEntries(json);
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const role = parseRole(entry, `${path}[${index}]`);
    const first = seen.get(role.id);
    if (first !== undefined) {
      throw invalid(CODE, `${path}[${index}]: role definition '${role.id}' appears twice (also at index ${first}).`, `${path}[${index}].name`);
    }
    seen.set(role.id, index);
    return role;
  });
}

function roleEntries(json: unknown): [unknown[], string] {
  if (Array.isArray(json)) return [json, ''];
  if (isObject(json)) {
    if (Array.isArray(json.roles)) return [json.roles, 'roles'];
    if (Array.isArray(json.value)) return [json.value, 'value'];
  }
  throw invalid(CODE, 'Expected the output of `az role definition list`: a JSON array of role definitions (or an object with a `roles` or `value` array).');
}

function parseRole(entry: unknown, at: string): RoleDefinition {
  if (!isObject(entry)) throw invalid(CODE, `${at}: each role definition must be a JSON object.`, at);
  // ARM nests the fields under `properties`; the az CLI flattens them.
  const body: Json = isObject(entry.properties) ? { ...entry, ...entry.properties } : entry;
  const { id, definedAt } = roleIdentity(body, at);
  const roleType = body.roleType ?? body.type;
  if (roleType !== 'BuiltInRole' && roleType !== 'CustomRole') {
    throw invalid(CODE, `${at}.roleType: must be 'BuiltInRole' or 'CustomRole', got ${JSON.stringify(roleType)}.`, `${at}.roleType`);
  }
  const roleName = body.roleName;
  if (typeof roleName !== 'string' || roleName.trim() === '') {
    throw invalid(CODE, `${at}.roleName: a role definition needs a non-empty roleName.`, `${at}.roleName`);
  }
  const description = body.description ?? '';
  if (typeof description !== 'string') throw invalid(CODE, `${at}.description: must be a string.`, `${at}.description`);
  const assignableScopes = stringList(body.assignableScopes, `${at}.assignableScopes`);
  const [firstScope] = assignableScopes;
  if (firstScope === undefined) {
    throw invalid(CODE, `${at}.assignableScopes: a role definition needs at least one assignable scope.`, `${at}.assignableScopes`);
  }
  assignableScopes.forEach((scope, i) => validScope(scope, `${at}.assignableScopes[${i}]`));
  if (!Array.isArray(body.permissions)) {
    throw invalid(CODE, `${at}.permissions: must be an array of permission blocks.`, `${at}.permissions`);
  }
  const permissions = body.permissions.map((block, i) => parsePermission(block, `${at}.permissions[${i}]`));
  const scope = roleType === 'BuiltInRole' ? '/' : definedAt ?? firstScope;
  return {
    id,
    roleName,
    description,
    roleType,
    permissions,
    assignableScopes,
    scope,
    ...optionalString(body, 'createdOn', at),
    ...optionalString(body, 'updatedOn', at),
  };
}

// The GUID is `name` in az/ARM output and `id` in the dump; `id` in az output is the full resource id,
// whose prefix tells where a custom role was defined.
function roleIdentity(body: Json, at: string): { id: string; definedAt?: string } {
  const fullId = [body.id, body.roleDefinitionId].find((v): v is string => typeof v === 'string' && ROLE_DEFINITION_ID.test(v));
  const match = fullId === undefined ? undefined : ROLE_DEFINITION_ID.exec(fullId);
  const guid = [body.name, body.id, match?.[2]].find(isGuid);
  if (guid === undefined) {
    throw invalid(CODE, `${at}.name: a role definition needs a GUID name (or a GUID id / roleDefinitionId).`, `${at}.name`);
  }
  const prefix = match?.[1];
  return prefix ? { id: normalizeGuid(guid), definedAt: prefix } : { id: normalizeGuid(guid) };
}

function parsePermission(block: unknown, at: string): Permission {
  if (!isObject(block)) throw invalid(CODE, `${at}: a permission block must be a JSON object.`, at);
  const permission: Permission = {
    actions: stringList(block.actions, `${at}.actions`),
    notActions: stringList(block.notActions, `${at}.notActions`),
    dataActions: stringList(block.dataActions, `${at}.dataActions`),
    notDataActions: stringList(block.notDataActions, `${at}.notDataActions`),
    ...optionalString(block, 'condition', at),
    ...optionalString(block, 'conditionVersion', at),
  };
  return permission;
}

// Older api-versions omit the data lists, so a missing list is empty; anything else must be strings.
function stringList(value: unknown, at: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    throw invalid(CODE, `${at}: must be an array of non-empty strings.`, at);
  }
  return value as string[];
}

function optionalString<K extends string>(source: Json, key: K, at: string): Partial<Record<K, string>> {
  const value = source[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw invalid(CODE, `${at}.${key}: must be a string.`, `${at}.${key}`);
  return { [key]: value } as Partial<Record<K, string>>;
}

function validScope(scope: string, at: string): void {
  try {
    parseScope(scope);
  } catch {
    throw invalid(CODE, `${at}: '${scope}' is not a valid scope.`, at);
  }
}
