/**
 * ARM's rules for resource groups and generic resources: names, locations, tags, and what PUT and
 * PATCH do to an existing resource.
 */
import { conflict, invalid } from '../errors.js';
import type { Tags } from '../resources/model.js';

const RG_CHARS = /^[-\w.()\p{L}\p{N}]+$/u;
const TAGS_PER_RESOURCE = 50;

/** Checks a resource group name: 1–90 letters, digits, `-`, `_`, `.`, `(`, `)`, not ending in a period. */
export function validateResourceGroupName(name: string): void {
  if (name.length < 1 || name.length > 90 || !RG_CHARS.test(name) || name.endsWith('.')) {
    throw invalid(
      'InvalidResourceGroup',
      `The provided resource group name '${name}' is invalid. The name can only be a letter, digit, '-', '.', '(', ')' or '_', is 1 to 90 characters long and cannot end in a period.`,
      'resourceGroupName',
    );
  }
}

/** ARM's normal form of a location: `West Europe` → `westeurope`; required where `required`. */
export function normalizeLocation(location: string | undefined, required: boolean): string | undefined {
  if (location === undefined || location.trim() === '') {
    if (required) throw invalid('LocationRequired', 'The location property is required for this definition.', 'location');
    return undefined;
  }
  return location.replace(/\s+/g, '').toLowerCase();
}

/** A resource group keeps its location: a PUT naming another one is refused. */
export function assertSameResourceGroupLocation(existing: string, requested: string): void {
  if (existing.toLowerCase() !== requested.toLowerCase()) {
    throw conflict(
      'InvalidResourceGroupLocation',
      `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'.`,
      'location',
    );
  }
}

/** Checks tags: at most 50, names up to 512 characters (no `<>%&\?/`), values up to 256. */
export function validateTags(tags: Tags | undefined): Tags {
  if (tags === undefined) return {};
  const entries = Object.entries(tags);
  if (entries.length > TAGS_PER_RESOURCE) {
    throw invalid('InvalidTagCount', `A resource may have at most ${TAGS_PER_RESOURCE} tags; the request has ${entries.length}.`, 'tags');
  }
  for (const [name, value] of entries) {
    if (name.length < 1 || name.length > 512 || /[<>%&\\?/]/.test(name)) {
      throw invalid('InvalidTagNameCharacters', `The tag name '${name}' is invalid: it must be 1 to 512 characters without '<', '>', '%', '&', '\\', '?' or '/'.`, `tags.${name}`);
    }
    if (typeof value !== 'string' || value.length > 256) {
      throw invalid('InvalidTagValueLength', `The value of tag '${name}' must be a string of at most 256 characters.`, `tags.${name}`);
    }
  }
  return tags;
}

/** Checks a resource name segment: 1–260 characters, none of `<>%&\?/` or control characters. */
export function validateResourceName(name: string, target: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (name.length < 1 || name.length > 260 || /[<>%&\\?/\u0000-\u001f]/.test(name) || name.endsWith('.') || name.endsWith(' ')) {
    throw invalid('InvalidResourceName', `The resource name '${name}' is invalid. It must be 1 to 260 characters, not end in '.' or ' ', and not contain '<', '>', '%', '&', '\\', '?', '/' or control characters.`, target);
  }
}

export interface ResourcePatch {
  readonly tags?: Tags;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly sku?: Readonly<Record<string, unknown>>;
  readonly kind?: string;
}

/** PATCH semantics: `tags`, `sku` and `kind` replace when given; `properties` merge key by key. */
export function mergePatch<T extends { tags: Tags; properties: Readonly<Record<string, unknown>>; sku?: Readonly<Record<string, unknown>>; kind?: string }>(
  current: T,
  patch: ResourcePatch,
): T {
  return {
    ...current,
    ...(patch.tags !== undefined ? { tags: validateTags(patch.tags) } : {}),
    ...(patch.properties !== undefined ? { properties: { ...current.properties, ...patch.properties } } : {}),
    ...(patch.sku !== undefined ? { sku: patch.sku } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
  };
}
