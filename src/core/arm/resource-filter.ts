/**
 * The `$filter` of ARM's resource lists (`GET …/resources`, `GET …/resourcegroups`): clauses joined
 * by `and`, each `field eq 'value'` for resourceType, name, location, tagName or tagValue, or
 * `substringof('text', name)`; several `resourceType eq` clauses may be joined by `or`.
 * Matching is case-insensitive, as in ARM; `''` inside a value is a quote.
 */
import { invalid } from '../errors.js';
import type { Tags } from '../resources/model.js';

/** What a filter looks at. */
export interface Filterable {
  readonly type?: string;
  readonly name: string;
  readonly location?: string;
  readonly tags: Tags;
}

export type ResourcePredicate = (item: Filterable) => boolean;

const FIELDS = ['resourcetype', 'name', 'location', 'tagname', 'tagvalue'] as const;
type Field = (typeof FIELDS)[number];

type Clause = { readonly kind: 'eq'; readonly field: Field; readonly value: string } | { readonly kind: 'substringof'; readonly value: string };

const EQ = /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*/i;
const SUBSTRINGOF = /^\s*substringof\(\s*'((?:[^']|'')*)'\s*,\s*name\s*\)\s*/i;
const JOIN = /^(and|or)\s+/i;

/** Parses a `$filter`; an absent filter matches everything. Throws InvalidFilterInQueryString. */
export function parseResourceFilter(filter: string | undefined): ResourcePredicate {
  if (filter === undefined || filter.trim() === '') return () => true;
  const bad = (why: string) => invalid('InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string: ${why}.`, '$filter');
  // Disjunctions (OR groups) of conjunctions; only resourceType clauses may be OR-ed.
  const groups: Clause[][] = [[]];
  let rest = filter;
  for (;;) {
    const clause = readClause(rest);
    if (!clause) throw bad("expected `field eq 'value'` or `substringof('value', name)`");
    groups[groups.length - 1]!.push(clause.clause);
    rest = clause.rest;
    if (rest.trim() === '') break;
    const join = JOIN.exec(rest);
    if (!join) throw bad(`unexpected '${rest.trim()}'`);
    if (join[1]!.toLowerCase() === 'or') groups.push([]);
    rest = rest.slice(join[0].length);
  }
  if (groups.length > 1 && groups.some((g) => g.some((c) => c.kind !== 'eq' || c.field !== 'resourcetype') || g.length !== 1)) {
    throw bad("'or' may only join resourceType clauses");
  }
  for (const g of groups) {
    if (g.some((c) => c.kind === 'eq' && c.field === 'tagvalue') && !g.some((c) => c.kind === 'eq' && c.field === 'tagname')) {
      throw bad("tagValue needs a tagName clause");
    }
  }
  const tests = groups.map((g) => (item: Filterable) => matchesAll(g, item));
  return (item) => tests.some((t) => t(item));
}

function readClause(text: string): { clause: Clause; rest: string } | undefined {
  const eq = EQ.exec(text);
  if (eq) {
    const field = FIELDS.find((f) => f === eq[1]!.toLowerCase());
    if (!field) return undefined;
    return { clause: { kind: 'eq', field, value: unquote(eq[2]!) }, rest: text.slice(eq[0].length) };
  }
  const sub = SUBSTRINGOF.exec(text);
  if (sub) return { clause: { kind: 'substringof', value: unquote(sub[1]!) }, rest: text.slice(sub[0].length) };
  return undefined;
}

function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

function matchesAll(clauses: readonly Clause[], item: Filterable): boolean {
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  const tagName = clauses.find((c) => c.kind === 'eq' && c.field === 'tagname')?.value;
  return clauses.every((c) => {
    if (c.kind === 'substringof') return item.name.toLowerCase().includes(c.value.toLowerCase());
    switch (c.field) {
      case 'resourcetype':
        return same(item.type, c.value);
      case 'name':
        return same(item.name, c.value);
      case 'location':
        return same(item.location, c.value);
      case 'tagname':
        return Object.keys(item.tags).some((k) => same(k, c.value));
      case 'tagvalue':
        return Object.entries(item.tags).some(([k, v]) => tagName !== undefined && same(k, tagName) && same(v, c.value));
    }
  });
}
