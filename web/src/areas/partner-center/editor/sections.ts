/**
 * The offer editor's left-hand menu: the core's sections (validate-offer.ts names them: Offer setup …
 * `Plans/{id}` and `Plans/{id}/Technical configuration`), each with the page that edits it, and the
 * publishing pages beside them.
 */
import type { Offer } from '../../../../../src/core/marketplace/model.ts';

export interface MenuEntry {
  readonly name: string;
  /** The page under the offer's route ('' is the overview). */
  readonly page: string;
  /** The validation section whose status the entry shows. */
  readonly section?: string;
  readonly depth: number;
}

/** The menu for an offer's draft, in Partner Center's order. */
export function menuEntries(offer: Offer): MenuEntry[] {
  return [
    { name: 'Offer overview', page: '', depth: 0 },
    { name: 'Offer setup', page: 'setup', section: 'Offer setup', depth: 0 },
    { name: 'Properties', page: 'properties', section: 'Properties', depth: 0 },
    { name: 'Offer listing', page: 'listing', section: 'Offer listing', depth: 0 },
    { name: 'Preview audience', page: 'preview-audience', section: 'Preview audience', depth: 0 },
    { name: 'Plan overview', page: 'plans', section: 'Plan overview', depth: 0 },
    ...offer.plans.flatMap((p) => [
      { name: p.name || p.id, page: `plans/${encodeURIComponent(p.id)}`, section: `Plans/${p.id}`, depth: 1 },
      { name: 'Technical configuration', page: `plans/${encodeURIComponent(p.id)}/technical-configuration`, section: `Plans/${p.id}/Technical configuration`, depth: 2 },
    ]),
    { name: 'Review and publish', page: 'review', depth: 0 },
    { name: 'Compare', page: 'compare', depth: 0 },
    { name: 'History', page: 'history', depth: 0 },
  ];
}
