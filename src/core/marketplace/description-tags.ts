/**
 * The listing description's allow-list, without the sanitizer: the portal's rich-text editor imports
 * it (a browser build must not pull sanitize-html), and the sanitizer and the rules use the same list.
 */
export const DESCRIPTION_TAGS: readonly string[] = ['b', 'i', 'br', 'p', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
export const DESCRIPTION_MAX_LENGTH = 3000;
