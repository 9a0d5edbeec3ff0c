/**
 * The `$filter` of the activity log (`…/microsoft.insights/eventtypes/management/values`): a
 * required time window `eventTimestamp ge '…' and eventTimestamp le '…'` (le optional: now), at
 * most 90 days long, optionally narrowed by `and` clauses on correlationId, resourceGroupName,
 * resourceUri, resourceProvider, caller or status.
 */
import { invalid } from '../errors.js';

/** How far back the activity log reaches (the portal keeps 90 days). */
export const ACTIVITY_RETENTION_DAYS = 90;

export interface EventFilter {
  readonly from: string;
  readonly to: string;
  readonly correlationId?: string;
  readonly resourceGroupName?: string;
  readonly resourceUri?: string;
  readonly resourceProvider?: string;
  readonly caller?: string;
  readonly status?: string;
}

const CLAUSE = /^\s*(\w+)\s+(ge|le|eq)\s+'((?:[^']|'')*)'\s*(?:and\s+|$)/i;
const NARROWING = ['correlationId', 'resourceGroupName', 'resourceUri', 'resourceProvider', 'caller', 'status'] as const;
const DAY_MS = 86_400_000;

/** Parses the activity-log filter at time `now` (epoch ms); throws BadRequest naming the problem. */
export function parseEventFilter(filter: string | undefined, now: number): EventFilter {
  const bad = (why: string) => invalid('BadRequest', `The $filter '${filter ?? ''}' is not valid: ${why}.`, '$filter');
  if (filter === undefined || filter.trim() === '') throw bad("it must contain \"eventTimestamp ge '{ISO-8601 time}'\"");
  let from: number | undefined;
  let to: number | undefined;
  const narrowing: Record<string, string> = {};
  let rest = filter;
  while (rest.trim() !== '') {
    const m = CLAUSE.exec(rest);
    if (!m) throw bad(`unexpected '${rest.trim()}'`);
    rest = rest.slice(m[0].length);
    const field = m[1]!.toLowerCase();
    const operator = m[2]!.toLowerCase();
    const value = m[3]!.replace(/''/g, "'");
    if (field === 'eventtimestamp' && operator !== 'eq') {
      const t = Date.parse(value);
      if (Number.isNaN(t)) throw bad(`'${value}' is not an ISO-8601 time`);
      if (operator === 'ge') from = t;
      else to = t;
      continue;
    }
    const name = NARROWING.find((n) => n.toLowerCase() === field);
    if (!name || operator !== 'eq') throw bad(`'${m[1]!} ${m[2]!}' is not supported; use eventTimestamp ge/le and ${NARROWING.join(', ')} eq`);
    narrowing[name] = value;
  }
  if (from === undefined) throw bad("it must contain \"eventTimestamp ge '{ISO-8601 time}'\"");
  const end = to ?? now;
  if (end < from) throw bad('the end of the time window is before its start');
  if (end - from > ACTIVITY_RETENTION_DAYS * DAY_MS) throw bad(`the time window may span at most ${ACTIVITY_RETENTION_DAYS} days`);
  return { from: new Date(from).toISOString(), to: new Date(end).toISOString(), ...narrowing };
}
