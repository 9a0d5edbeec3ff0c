/** Typed access to evaluated function arguments, failing with ARM's type error. */
import type { JsonValue } from './json.js';
import { typeError } from './evaluation.js';

/** The argument as a string. */
export function asString(name: string, v: JsonValue | undefined): string {
  if (typeof v !== 'string') throw typeError(name, 'String', v ?? null);
  return v;
}

/** The argument as an integer. */
export function asInt(name: string, v: JsonValue | undefined): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(name, 'Integer', v ?? null);
  return v;
}

/** The argument as a boolean. */
export function asBool(name: string, v: JsonValue | undefined): boolean {
  if (typeof v !== 'boolean') throw typeError(name, 'Boolean', v ?? null);
  return v;
}

/** ARM's text form of a value, as `string()` and `concat()` produce it (`True`, `5`, compact JSON). */
export function toText(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (v === null) return '';
  return JSON.stringify(v);
}
