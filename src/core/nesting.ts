/**
 * How deep a value may nest. Everything that walks JSON (validation, template evaluation, canonical
 * JSON, the stores) recurses, so nesting is capped where input enters: request bodies, template
 * files and template expressions. No ARM template, offer or resource body comes near the cap.
 */

/** The deepest nesting of objects/arrays, or of expression calls, Lantern accepts. */
export const MAX_NESTING_DEPTH = 64;

/** The deepest nesting of objects and arrays in a JSON text, without parsing it; stops counting past `limit`. */
export function jsonNestingDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
