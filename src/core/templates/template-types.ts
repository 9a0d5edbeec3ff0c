/** The value types templates declare for parameters and outputs, with ARM's canonical spelling. */
import { isJsonObject } from './json.js';
import type { JsonValue } from './json.js';

export interface TemplateType {
  /** As ARM reports it in deployment records: `String`, `SecureString`, `Int`, `Bool`, `Object`, `SecureObject`, `Array`. */
  readonly name: string;
  /** Secure values are never echoed back. */
  readonly secure: boolean;
  accepts(value: JsonValue): boolean;
}

const isString = (v: JsonValue) => typeof v === 'string';
const TYPES: Readonly<Record<string, TemplateType>> = {
  string: { name: 'String', secure: false, accepts: isString },
  securestring: { name: 'SecureString', secure: true, accepts: isString },
  int: { name: 'Int', secure: false, accepts: (v) => typeof v === 'number' && Number.isInteger(v) },
  bool: { name: 'Bool', secure: false, accepts: (v) => typeof v === 'boolean' },
  object: { name: 'Object', secure: false, accepts: isJsonObject },
  secureobject: { name: 'SecureObject', secure: true, accepts: isJsonObject },
  array: { name: 'Array', secure: false, accepts: Array.isArray },
};

/** The template type named `type` (case-insensitive), or undefined when there is none. */
export function templateType(type: JsonValue | undefined): TemplateType | undefined {
  return typeof type === 'string' ? TYPES[type.toLowerCase()] : undefined;
}
