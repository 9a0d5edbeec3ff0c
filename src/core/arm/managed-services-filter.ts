/**
 * The `$filter`s Microsoft.ManagedServices documents (lighthouse.md §1.5):
 * `managedByTenantId eq '{guid}'` and `managedByTenantId in ('{g1}', '{g2}')` on definitions and
 * assignments, `planIdentifier eq '{publisher}.{offer}.{plan}.{version}'` on marketplace
 * definitions. Names and operators match without regard to case; `''` inside a value is a quote.
 */
import { invalid } from '../errors.js';
import type { DomainError } from '../errors.js';

const VALUE = `'((?:[^']|'')*)'`;
const EQ = new RegExp(`^\\s*(\\w+)\\s+eq\\s+${VALUE}\\s*$`, 'i');
const IN = new RegExp(`^\\s*(\\w+)\\s+in\\s*\\(\\s*(${VALUE}(?:\\s*,\\s*${VALUE})*)\\s*\\)\\s*$`, 'i');
const ITEM = new RegExp(VALUE, 'g');

const unquote = (v: string) => v.replace(/''/g, "'");

function bad(filter: string, why: string): DomainError {
  return invalid('InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string: ${why}.`, '$filter');
}

/** The managing tenants `managedByTenantId eq|in …` asks for; undefined without a filter. */
export function parseTenantFilter(filter: string | undefined): readonly string[] | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const eq = EQ.exec(filter);
  if (eq?.[1]?.toLowerCase() === 'managedbytenantid') return [unquote(eq[2] ?? '')];
  const inList = IN.exec(filter);
  if (inList?.[1]?.toLowerCase() === 'managedbytenantid') {
    return [...(inList[2] ?? '').matchAll(ITEM)].map((m) => unquote(m[1] ?? ''));
  }
  throw bad(filter, "only `managedByTenantId eq '{tenantId}'` and `managedByTenantId in ('{tenantId}', …)` are supported");
}

/** The plan identifier `planIdentifier eq …` asks for; undefined without a filter. */
export function parsePlanFilter(filter: string | undefined): string | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const eq = EQ.exec(filter);
  if (eq?.[1]?.toLowerCase() === 'planidentifier') return unquote(eq[2] ?? '');
  throw bad(filter, "only `planIdentifier eq '{publisher}.{offer}.{plan}.{version}'` is supported");
}
