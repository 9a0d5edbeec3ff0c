/**
 * The one canonical form of a request path, which throttling, authorization and the activity log
 * all key on: ARM matches paths case-insensitively, ignores doubled and trailing slashes and
 * decodes percent-escapes, so `/%73ubscriptions//{id}/` and `/subscriptions/{id}` are one path and
 * must be one throttling bucket, one authorized scope and one logged scope. Spellings that the
 * router and the guard could read differently (an escaped `/` or `\`, dot segments, control
 * characters, a malformed escape) are refused instead of guessed at.
 */
import { invalid } from '../errors.js';

export interface CanonicalPath {
  /** Decoded, single slashes, no trailing slash; ARM's keywords in their documented casing. */
  readonly path: string;
  /** `path` case-folded: the key for anything that compares paths (buckets, caches, logs). */
  readonly key: string;
}

// ARM's fixed path keywords, in the casing ARM itself returns in resource ids. They stand at even
// positions (`subscriptions/{id}/resourceGroups/{name}/providers/{ns}/…`); a name at an odd
// position keeps the casing its creator gave it.
const KEYWORDS = new Map(['subscriptions', 'resourceGroups', 'providers', 'tenants'].map((k) => [k.toLowerCase(), k]));
// Characters a decoded segment may not hold: a separator smuggled in escaped, or a control character.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

/** Canonicalises the path of `url` (its query string is ignored); throws InvalidResourceId for ambiguous spellings. */
export function canonicalRequestPath(url: string): CanonicalPath {
  const raw = url.split('?', 1)[0] ?? '';
  const refuse = (why: string) =>
    invalid('InvalidResourceId', `The request path '${raw.slice(0, 300)}' is not a valid Azure Resource Manager path: ${why}.`, 'path');
  const segments: string[] = [];
  for (const encoded of raw.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      throw refuse(`the segment '${encoded.slice(0, 100)}' has a malformed percent-escape`);
    }
    if (FORBIDDEN.test(segment)) throw refuse(`the segment '${encoded.slice(0, 100)}' holds an escaped separator or a control character`);
    if (segment === '.' || segment === '..') throw refuse('dot segments are not allowed');
    segments.push((segments.length % 2 === 0 ? KEYWORDS.get(segment.toLowerCase()) : undefined) ?? segment);
  }
  const path = '/' + segments.join('/');
  return { path, key: path.toLowerCase() };
}
