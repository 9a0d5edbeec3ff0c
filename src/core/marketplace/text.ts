/** Small checks on publisher-entered text shared by every section. */
import { isGuid } from '../guid.js';

/** Offer and plan IDs (also ingestion `externalId`): 3–50 chars, lowercase alnum, `-`, `_`, starting alnum. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{2,49}$/;

const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

/** Length in characters as a person counts them (code points, so an emoji is one). */
export function charLength(value: string): number {
  return [...value].length;
}

/** True for a blank or whitespace-only string (and for a missing value). */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** True for an absolute https URL with a host. */
export function isHttpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.hostname !== '';
}

/** True for a plausible e-mail address (one address, no separators). */
export function isEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** Splits the portal's `;`-separated contact e-mail field into addresses. */
export function parseContactEmails(value: string): string[] {
  return value
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/**
 * True for a GUID. Wraps `isGuid`, whose `value is string` predicate narrows a string to `never` in the
 * false branch and so hides the value from the error messages that name it.
 */
export function isGuidText(value: string): boolean {
  return isGuid(value);
}
