/**
 * Offers hold image bytes (`Uint8Array`), which JSON cannot carry: documents store them as
 * `{"$base64": "…"}` and get them back as bytes. Everything else passes through unchanged.
 */

interface Base64Box {
  readonly $base64: string;
}

function isBox(value: unknown): value is Base64Box {
  return typeof value === 'object' && value !== null && typeof (value as { $base64?: unknown }).$base64 === 'string' && Object.keys(value).length === 1;
}

/** The value with every byte array replaced by its base64 box, ready for JSON. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeBytes(v)]));
  }
  return value;
}

/** The value with every base64 box turned back into bytes. */
export function decodeBytes<T>(value: unknown): T {
  const walk = (v: unknown): unknown => {
    if (isBox(v)) return new Uint8Array(Buffer.from(v.$base64, 'base64'));
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
