const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a GUID in the 8-4-4-4-12 form ARM uses. */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/** The canonical (lower-case) form of a GUID, for comparisons and keys. */
export function normalizeGuid(value: string): string {
  return value.toLowerCase();
}

/** Whether two ids (GUIDs, tenant ids, resource names) are the same: ARM compares them without regard to case. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
