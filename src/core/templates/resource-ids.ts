/** Building ARM resource ids from a scope, a resource type and names, as templates declare them. */
import { ExpressionError } from './template-error.js';

/** The id of a subscription or resource group scope. */
export function scopeId(subscriptionId: string, resourceGroup?: string): string {
  return resourceGroup === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** `Microsoft.X/a/b/` → `['Microsoft.X', 'a', 'b']`; a trailing (or doubled) slash is tolerated. */
function typeSegments(type: string): string[] {
  return type.split('/').filter((s) => s !== '');
}

/**
 * The id of a resource of `type` named by `names` (one per type segment after the namespace)
 * below `parent` (a scope id, `''` for tenant level). Throws when the counts differ.
 */
export function resourceIdUnder(parent: string, type: string, names: readonly string[]): string {
  const segs = typeSegments(type);
  const [namespace, ...types] = segs;
  if (namespace === undefined || types.length === 0) throw new ExpressionError(`the resource type '${type}' is not valid: expected '{namespace}/{type}'`);
  if (types.length !== names.length) {
    throw new ExpressionError(
      `the resource type '${type}' has ${types.length} type segment(s) but ${names.length} resource name(s) were given; they must be equal`,
    );
  }
  let id = `${parent}/providers/${namespace}`;
  types.forEach((t, k) => {
    id += `/${t}/${names[k] as string}`;
  });
  return id;
}

export interface DeclaredResourceId {
  readonly id: string;
  /** The type of the resource the id names: for `…/providers/roleAssignments` extension types, the extension's type. */
  readonly type: string;
}

/**
 * The id of a resource declared in a template with `type` and `name` (`'a/b'` for child
 * resources). A `providers` type segment (`Microsoft.Storage/storageAccounts/providers/roleAssignments`)
 * takes the next name segment as the extension's namespace (`sa/Microsoft.Authorization/guid`).
 */
export function declaredResourceId(parent: string, type: string, name: string): DeclaredResourceId {
  const [namespace, ...types] = typeSegments(type);
  const names = name.split('/');
  const mismatch = () =>
    new ExpressionError(
      `the resource type '${type}' and name '${name}' have incorrect segment lengths: a nested resource type must have identical number of segments as its resource name`,
    );
  if (namespace === undefined || types.length === 0) throw new ExpressionError(`the resource type '${type}' is not valid: expected '{namespace}/{type}'`);
  if (names.length !== types.length || names.some((n) => n === '')) throw mismatch();
  let id = `${parent}/providers/${namespace}`;
  let effectiveNamespace = namespace;
  let effectiveTypes: string[] = [];
  types.forEach((t, k) => {
    const n = names[k] as string;
    if (t.toLowerCase() === 'providers') {
      id += `/providers/${n}`;
      effectiveNamespace = n;
      effectiveTypes = [];
    } else {
      id += `/${t}/${n}`;
      effectiveTypes.push(t);
    }
  });
  if (effectiveTypes.length === 0) throw mismatch();
  return { id, type: `${effectiveNamespace}/${effectiveTypes.join('/')}` };
}
