/** The listing description's rich text: exactly the tags the marketplace renders, nothing else. */
import sanitizeHtml from 'sanitize-html';
import { DESCRIPTION_TAGS } from './description-tags.js';

const OPTIONS: sanitizeHtml.IOptions = { allowedTags: [...DESCRIPTION_TAGS], allowedAttributes: {}, disallowedTagsMode: 'discard' };

/** The description with every other tag and every attribute removed (text of removed tags is kept; scripts are dropped). */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** What the sanitizer would remove: disallowed tag names and `tag[attribute]` pairs, each once, in order of appearance. */
export function disallowedMarkup(html: string): string[] {
  const found = new Set<string>();
  sanitizeHtml(html, {
    ...OPTIONS,
    onOpenTag: (name, attribs) => {
      if (!DESCRIPTION_TAGS.includes(name)) found.add(`<${name}>`);
      else for (const attr of Object.keys(attribs)) found.add(`${name}[${attr}]`);
    },
  });
  return [...found];
}
