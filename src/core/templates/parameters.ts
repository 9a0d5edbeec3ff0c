/**
 * Template parameters: the values supplied (a plain object, or a parameters file with
 * `{ "parameters": { "x": { "value": … } } }`), their declared types and constraints.
 */
import { canonicalKeys, childPath, isJsonObject, jsonEquals, jsonTypeName } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { templateError } from './template-error.js';
import type { SourcePosition } from './parse-template-json.js';
import { templateType } from './template-types.js';
import type { TemplateType } from './template-types.js';

/** Supplied parameter values by lower-cased name, with the name as given. */
export type SuppliedParameters = ReadonlyMap<string, { readonly name: string; readonly value: JsonValue }>;

/**
 * Reads supplied parameter values. A parameters file (it has `$schema`, `contentVersion` or only a
 * `parameters` member) holds `{ value }` entries; its `$schema` is informational. Anything else
 * is a plain `{ name: value }` object.
 */
export function readSuppliedParameters(input: JsonValue | undefined): SuppliedParameters {
  const out = new Map<string, { name: string; value: JsonValue }>();
  if (input === undefined || input === null) return out;
  if (!isJsonObject(input)) throw templateError('parameters', 'The deployment parameters must be a JSON object.');
  const file = canonicalKeys(input, ['$schema', 'contentVersion', 'parameters']);
  const keys = Object.keys(file);
  const isFile = keys.includes('$schema') || keys.includes('contentVersion') || (keys.length === 1 && keys[0] === 'parameters' && isJsonObject(file.parameters));
  if (!isFile) {
    for (const [name, value] of Object.entries(input)) out.set(name.toLowerCase(), { name, value });
    return out;
  }
  const entries = file.parameters ?? {};
  if (!isJsonObject(entries)) throw templateError('parameters', "The parameters file member 'parameters' must be an object.");
  for (const [name, raw] of Object.entries(entries)) {
    const path = childPath('parameters', name);
    const entry = isJsonObject(raw) ? canonicalKeys(raw, ['value', 'reference']) : raw;
    if (!isJsonObject(entry)) throw templateError(path, `The parameter '${name}' in the parameters file must be an object with a 'value'.`);
    if (entry.reference !== undefined) throw templateError(path, `The parameter '${name}' uses a Key Vault reference, which this deployment engine does not support.`);
    if (!Object.hasOwn(entry, 'value')) throw templateError(path, `The parameter '${name}' in the parameters file has no 'value'.`);
    out.set(name.toLowerCase(), { name, value: entry.value as JsonValue });
  }
  return out;
}

/** Checks a declared parameter's definition (its `type` and constraint members are well formed); returns it with canonical member names. */
export function checkParameterDeclaration(name: string, value: JsonValue, path: string): JsonObject {
  if (!isJsonObject(value)) throw templateError(path, `The template parameter '${name}' must be declared as an object.`);
  const decl = canonicalKeys(value, ['type', 'defaultValue', 'allowedValues', 'minLength', 'maxLength', 'minValue', 'maxValue', 'metadata']);
  const type = decl.type;
  if (templateType(type) === undefined) {
    throw templateError(childPath(path, 'type'), `The template parameter '${name}' has type '${JSON.stringify(type ?? null)}'; expected one of string, securestring, int, bool, object, secureObject, array.`);
  }
  if (decl.allowedValues !== undefined && !Array.isArray(decl.allowedValues)) {
    throw templateError(childPath(path, 'allowedValues'), `The template parameter '${name}' must list its allowedValues in an array.`);
  }
  for (const k of ['minLength', 'maxLength', 'minValue', 'maxValue']) {
    const v = decl[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v))) throw templateError(childPath(path, k), `The template parameter '${name}' ${k} must be an integer.`);
  }
  return decl;
}

/** Checks `value` against the declaration of parameter `name`: type, allowed values, lengths and bounds. */
export function checkParameterValue(name: string, decl: JsonObject, value: JsonValue, path: string): void {
  const type = templateType(decl.type) as TemplateType;
  const bad = (why: string) => templateError(path, `The provided value for the template parameter '${name}' is not valid. ${why}`);
  if (!type.accepts(value)) throw bad(`Expected a value of type '${decl.type as string}', but received a value of type '${jsonTypeName(value)}'.`);
  const allowed = decl.allowedValues as JsonValue[] | undefined;
  if (allowed !== undefined) {
    const items = Array.isArray(value) ? value : [value];
    const outside = items.find((x) => !allowed.some((a) => jsonEquals(a, x)));
    if (outside !== undefined) throw bad(`The value '${JSON.stringify(outside)}' is not part of the allowed values: '${allowed.map((a) => JSON.stringify(a)).join(', ')}'.`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    const min = decl.minLength as number | undefined;
    const max = decl.maxLength as number | undefined;
    if (min !== undefined && value.length < min) throw bad(`The length ${value.length} is less than the minimum length ${min}.`);
    if (max !== undefined && value.length > max) throw bad(`The length ${value.length} is more than the maximum length ${max}.`);
  }
  if (typeof value === 'number') {
    const min = decl.minValue as number | undefined;
    const max = decl.maxValue as number | undefined;
    if (min !== undefined && value < min) throw bad(`The value ${value} is less than the minimum value ${min}.`);
    if (max !== undefined && value > max) throw bad(`The value ${value} is more than the maximum value ${max}.`);
  }
}

/** The error for a required parameter that has no value, at its declaration's line and column when known. */
export function missingParameter(name: string, path: string, position: SourcePosition | undefined): Error {
  const where = position ? ` at line '${position.line}' and column '${position.column}'` : '';
  return templateError(path, `The value for the template parameter '${name}'${where} is not provided. Please see https://aka.ms/arm-deploy/#parameter-file for usage details.`);
}
