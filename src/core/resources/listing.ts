/**
 * A resource as ARM lists it. List answers leave `properties` out (and the times and state, unless a
 * list's `$expand` asks), so a list item is this projection of the resource, stored beside it.
 */
import type { GenericResource, Tags } from './model.js';

export interface ResourceListing {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location?: string;
  readonly tags: Tags;
  readonly kind?: string;
  readonly sku?: Readonly<Record<string, unknown>>;
}

/** The list item of `r`: its id, name, type, location, tags, kind and sku, in ARM's field order. */
export function resourceListing(r: GenericResource): ResourceListing {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    ...(r.location !== undefined ? { location: r.location } : {}),
    tags: { ...r.tags },
    ...(r.kind !== undefined ? { kind: r.kind } : {}),
    ...(r.sku !== undefined ? { sku: { ...r.sku } } : {}),
  };
}
