/**
 * String functions: toLower, toUpper, split, replace, format, trim, startsWith, endsWith, indexOf,
 * lastIndexOf, substring, base64, base64ToString, string, uri, uniqueString, guid, json, newGuid, utcNow.
 * ARM compares strings case-insensitively in startsWith/endsWith/indexOf, case-sensitively elsewhere.
 */
import { fn } from './evaluation.js';
import type { FunctionTable } from './evaluation.js';
import type { JsonValue } from './json.js';
import { asInt, asString, toText } from './function-args.js';
import { ExpressionError } from './template-error.js';
import { armGuid } from './arm-guid.js';
import { uniqueString } from './unique-string.js';
import { parseTemplateJson } from './parse-template-json.js';

const INF = Number.POSITIVE_INFINITY;

function strings(name: string, args: readonly JsonValue[]): string[] {
  return args.map((a) => asString(name, a));
}

/** .NET composite formatting as `format()` uses it: `{0}`, `{{`, `}}`; format specifiers are not supported. */
function composite(name: string, template: string, values: readonly JsonValue[]): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}|\{[^}]*\}?/g, (m, index: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (index === undefined) throw new ExpressionError(`the template language function '${name}' has an unsupported format item '${m}'`);
    const v = values[Number(index)];
    if (v === undefined) throw new ExpressionError(`the template language function '${name}' has no argument for format item '${m}'`);
    return toText(v);
  });
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `utcNow(format)`: the default `yyyyMMddTHHmmssZ`, the standard `u`/`s`/`o` and custom `yyyy MM dd HH mm ss fff` tokens. */
function formatUtc(date: Date, format: string): string {
  const standard: Record<string, string> = { u: 'yyyy-MM-dd HH:mm:ssZ', s: 'yyyy-MM-ddTHH:mm:ss', o: 'yyyy-MM-ddTHH:mm:ss.fffffffZ' };
  const pattern = standard[format] ?? format;
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss|fffffff|fff/g, (t) => {
    switch (t) {
      case 'yyyy':
        return String(date.getUTCFullYear());
      case 'MM':
        return pad(date.getUTCMonth() + 1);
      case 'dd':
        return pad(date.getUTCDate());
      case 'HH':
        return pad(date.getUTCHours());
      case 'mm':
        return pad(date.getUTCMinutes());
      case 'ss':
        return pad(date.getUTCSeconds());
      case 'fff':
        return pad(date.getUTCMilliseconds(), 3);
      default:
        return pad(date.getUTCMilliseconds(), 3) + '0000';
    }
  });
}

/** The string functions by name. */
export const stringFunctions: FunctionTable = {
  toLower: fn(1, 1, ([s], _c, name) => asString(name, s).toLowerCase()),
  toUpper: fn(1, 1, ([s], _c, name) => asString(name, s).toUpperCase()),
  trim: fn(1, 1, ([s], _c, name) => asString(name, s).trim()),
  split: fn(2, 2, ([s, d], _c, name) => {
    const text = asString(name, s);
    const delimiters = Array.isArray(d) ? strings(name, d) : [asString(name, d)];
    let parts = [text];
    for (const delim of delimiters.filter((x) => x !== '')) parts = parts.flatMap((p) => p.split(delim));
    return parts;
  }),
  replace: fn(3, 3, ([s, a, b], _c, name) => {
    const old = asString(name, a);
    if (old === '') throw new ExpressionError(`the template language function '${name}' cannot replace an empty string`);
    return asString(name, s).split(old).join(asString(name, b));
  }),
  format: fn(1, INF, ([f, ...rest], _c, name) => composite(name, asString(name, f), rest)),
  startsWith: fn(2, 2, ([s, p], _c, name) => asString(name, s).toLowerCase().startsWith(asString(name, p).toLowerCase())),
  endsWith: fn(2, 2, ([s, p], _c, name) => asString(name, s).toLowerCase().endsWith(asString(name, p).toLowerCase())),
  indexOf: fn(2, 2, ([s, p], _c, name) => asString(name, s).toLowerCase().indexOf(asString(name, p).toLowerCase())),
  lastIndexOf: fn(2, 2, ([s, p], _c, name) => asString(name, s).toLowerCase().lastIndexOf(asString(name, p).toLowerCase())),
  substring: fn(2, 3, ([s, i, l], _c, name) => {
    const text = asString(name, s);
    const start = asInt(name, i);
    const length = l === undefined ? text.length - start : asInt(name, l);
    if (start < 0 || length < 0 || start + length > text.length) {
      throw new ExpressionError(
        `the template language function '${name}': the index and length parameters must refer to a location within the string. The index parameter: '${start}', the length parameter: '${length}', the length of the string parameter: '${text.length}'`,
      );
    }
    return text.slice(start, start + length);
  }),
  base64: fn(1, 1, ([s], _c, name) => Buffer.from(asString(name, s), 'utf8').toString('base64')),
  base64ToString: fn(1, 1, ([s], _c, name) => Buffer.from(asString(name, s), 'base64').toString('utf8')),
  string: fn(1, 1, ([v]) => toText(v as JsonValue)),
  uri: fn(2, 2, ([b, r], _c, name) => {
    try {
      return new URL(asString(name, r), asString(name, b)).toString();
    } catch {
      throw new ExpressionError(`the template language function '${name}' needs an absolute base URI, not '${toText(b ?? null)}'`);
    }
  }),
  uniqueString: fn(1, INF, (args, _c, name) => uniqueString(strings(name, args))),
  guid: fn(1, INF, (args, _c, name) => armGuid(strings(name, args))),
  json: fn(1, 1, ([s], _c, name) => {
    try {
      return parseTemplateJson(asString(name, s));
    } catch {
      throw new ExpressionError(`the template language function '${name}' got text that is not valid JSON: '${toText(s ?? null)}'`);
    }
  }),
  newGuid: fn(0, 0, (_a, ctx) => ctx.newGuid()),
  utcNow: fn(0, 1, ([f], ctx, name) => formatUtc(ctx.utcNow(), f === undefined ? 'yyyyMMddTHHmmssZ' : asString(name, f))),
};

