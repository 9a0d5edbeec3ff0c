/**
 * Preview and private audiences: subscription IDs added by hand (at most 10) or imported from the portal's
 * CSV (`Id`, `Description`, `Type` = `SubscriptionId`), which is parsed and written here.
 */
import { DomainError, type ErrorDetail } from '../errors.js';
import { normalizeGuid } from '../guid.js';
import type { AudienceMember } from './model.js';
import type { ViolationSink } from './rules.js';
import { isGuidText } from './text.js';

/** At most this many members may be typed in by hand; more need a CSV import. */
export const MAX_MANUAL_AUDIENCE = 10;
export const MAX_PREVIEW_AUDIENCE = 100;
/** Across all private plans of an offer. */
export const MAX_PRIVATE_AUDIENCE_TOTAL = 10_000;

const CSV_TYPE = 'SubscriptionId';
const HEADER = ['Id', 'Description', 'Type'] as const;

/** Adds one member typed in by hand; refuses beyond 10 (import a CSV for more) and refuses repeats. */
export function addAudienceMemberByHand(members: readonly AudienceMember[], id: string, description?: string): AudienceMember[] {
  if (!isGuidText(id)) throw new DomainError('invalid', 'invalidId', `"${id}" is not an Azure subscription ID (a GUID).`, { target: 'id' });
  if (members.some((m) => normalizeGuid(m.id) === normalizeGuid(id))) {
    throw new DomainError('conflict', 'invalidRequest', `Subscription ${id} is already in the audience.`, { target: 'id' });
  }
  if (members.length >= MAX_MANUAL_AUDIENCE) {
    throw new DomainError('limit', 'collectionLimitExceeded', `At most ${MAX_MANUAL_AUDIENCE} subscriptions can be added by hand; import a CSV file for more.`, { target: 'id' });
  }
  const member: AudienceMember = description === undefined || description === '' ? { id, type: 'subscription' } : { id, description, type: 'subscription' };
  return [...members, member];
}

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, CRLF or LF, optional BOM). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let fieldText = '';
  let quoted = false;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        fieldText += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else fieldText += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(fieldText);
      fieldText = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(fieldText);
      rows.push(row);
      row = [];
      fieldText = '';
    } else fieldText += ch;
  }
  if (fieldText !== '' || row.length > 0) {
    row.push(fieldText);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export interface AudienceCsv {
  readonly members: readonly AudienceMember[];
  /** One entry per bad row; `target` is `row <n>` counting the header as row 1. */
  readonly problems: readonly ErrorDetail[];
}

/** Parses an audience CSV; every bad row is reported, good rows are kept. */
export function parseAudienceCsv(text: string): AudienceCsv {
  const rows = csvRows(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  const problems: ErrorDetail[] = [];
  const col = (name: string): number => header?.indexOf(name.toLowerCase()) ?? -1;
  const [idCol, descCol, typeCol] = HEADER.map(col) as [number, number, number];
  if (idCol < 0 || typeCol < 0) {
    return { members: [], problems: [{ code: 'invalidRequest', message: 'The CSV file needs the header row Id,Description,Type (use Export Audience to get the template).', target: 'row 1' }] };
  }
  const members: AudienceMember[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((r, i) => {
    const target = `row ${i + 2}`;
    const id = (r[idCol] ?? '').trim();
    const type = (r[typeCol] ?? '').trim();
    const description = descCol < 0 ? '' : (r[descCol] ?? '').trim();
    if (type.toLowerCase() !== CSV_TYPE.toLowerCase()) {
      problems.push({ code: 'invalidRequest', message: `Type must be ${CSV_TYPE} (found "${type}").`, target });
    } else if (!isGuidText(id)) {
      problems.push({ code: 'invalidId', message: `"${id}" is not an Azure subscription ID (a GUID).`, target });
    } else if (seen.has(normalizeGuid(id))) {
      problems.push({ code: 'invalidRequest', message: `Subscription ${id} appears more than once.`, target });
    } else {
      seen.add(normalizeGuid(id));
      members.push(description === '' ? { id, type: 'subscription' } : { id, description, type: 'subscription' });
    }
  });
  return { members, problems };
}

/** What an import of the CSV would do (its dry run): the rows, every bad one, and the count against `limit`. */
export interface AudienceCsvCheck extends AudienceCsv {
  /** How many subscriptions this audience may hold. */
  readonly limit: number;
  /** The good rows are at most `limit`. */
  readonly withinLimit: boolean;
}

function overLimit(count: number, limit: number): string {
  return `The audience CSV has ${count} subscriptions; at most ${limit} are allowed.`;
}

/** Checks an audience CSV as an import would, without importing: bad rows and the count limit are both reported. */
export function checkAudienceCsv(text: string, limit: number): AudienceCsvCheck {
  const parsed = parseAudienceCsv(text);
  const withinLimit = parsed.members.length <= limit;
  const problems = withinLimit ? parsed.problems : [...parsed.problems, { code: 'collectionLimitExceeded', message: overLimit(parsed.members.length, limit), target: 'csv' }];
  return { members: parsed.members, problems, limit, withinLimit };
}

/** Imports an audience CSV that replaces the list; throws with one detail per bad row, or when over `limit`. */
export function importAudienceCsv(text: string, limit: number): readonly AudienceMember[] {
  const { members, problems } = parseAudienceCsv(text);
  if (problems.length > 0) {
    throw new DomainError('invalid', 'invalidRequest', `The audience CSV has ${problems.length} bad row(s); nothing was imported.`, { target: 'csv', details: problems });
  }
  if (members.length > limit) throw new DomainError('limit', 'collectionLimitExceeded', overLimit(members.length, limit), { target: 'csv' });
  return members;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes the audience as the portal's "Export Audience (csv)" file (the header alone for an empty audience). */
export function exportAudienceCsv(members: readonly AudienceMember[]): string {
  const lines = [HEADER.join(','), ...members.map((m) => [m.id, m.description ?? '', CSV_TYPE].map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** Checks every member is a subscription GUID, listed once. */
export function validateAudienceMembers(members: readonly AudienceMember[], path: string, sink: ViolationSink): void {
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const at = `${path}[${i}]`;
    if (m.type !== 'subscription') {
      sink.error(`${at}.type`, 'audience.type', `Audience member ${m.id} is a ${m.type} ID; managed service audiences take Azure subscription IDs only.`);
    } else if (!isGuidText(m.id)) {
      sink.error(`${at}.id`, 'audience.subscription-id', `"${m.id}" is not an Azure subscription ID (a GUID).`);
    } else if (seen.has(normalizeGuid(m.id))) {
      sink.error(`${at}.id`, 'audience.duplicate', `Subscription ${m.id} is listed more than once.`);
    }
    if (isGuidText(m.id)) seen.add(normalizeGuid(m.id));
  });
}
