/**
 * The description's markup, limited to the core's allow-list (description-tags.ts): the editor's DOM is
 * written out with those tags only, without attributes, and stored markup is shown by building only
 * those elements from an inert parse (no script runs, no image loads, nothing else gets in).
 */
import { DESCRIPTION_TAGS } from '../../../../../src/core/marketplace/description-tags.ts';

/** What the browser's editing commands produce, named as the allowed tag they mean. */
const SYNONYMS: Record<string, string> = { strong: 'b', em: 'i', div: 'p' };
/** Elements whose text is not text of the description. */
const DROPPED = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object']);

const allowedTag = (name: string): string | undefined => {
  const tag = SYNONYMS[name] ?? name;
  return DESCRIPTION_TAGS.includes(tag) ? tag : undefined;
};

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The markup of `node`'s children with only allowed tags (others are unwrapped, their text kept). */
export function allowedMarkup(node: Node): string {
  let out = '';
  node.childNodes.forEach((child) => {
    if (child.nodeType === Node.TEXT_NODE) out += escape(child.textContent ?? '');
    else if (child instanceof Element) {
      const name = child.tagName.toLowerCase();
      if (DROPPED.has(name)) return;
      const tag = allowedTag(name);
      const inner = allowedMarkup(child);
      if (tag === undefined) out += inner;
      else if (tag === 'br') out += '<br>';
      else out += `<${tag}>${inner}</${tag}>`;
    }
  });
  // An editor left with only a line break is empty.
  return out === '<br>' || out === '<p><br></p>' ? '' : out;
}

/** Fills `target` with `html`'s allowed elements and text only. */
export function renderAllowed(html: string, target: HTMLElement): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html').body;
  const build = (from: Node, into: Node) => {
    from.childNodes.forEach((child) => {
      if (child.nodeType === Node.TEXT_NODE) into.appendChild(document.createTextNode(child.textContent ?? ''));
      else if (child instanceof Element && !DROPPED.has(child.tagName.toLowerCase())) {
        const tag = allowedTag(child.tagName.toLowerCase());
        if (tag === undefined) build(child, into);
        else build(child, into.appendChild(document.createElement(tag)));
      }
    });
  };
  target.replaceChildren();
  build(parsed, target);
}
