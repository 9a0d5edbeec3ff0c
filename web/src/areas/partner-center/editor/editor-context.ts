/**
 * What every page of the offer editor shares: the offer as Lantern holds it, the API's validation of it
 * (section statuses and every violation), a refresh after each save, and the unsaved-changes flag the
 * left-hand menu guards.
 */
import { createContext, useContext } from 'react';
import type { Offer } from '../../../../../src/core/marketplace/model.ts';
import type { OfferValidation } from '../../../../../src/core/marketplace/validate-offer.ts';
import type { OfferView } from '../offers.ts';

/** `GET …/offers/{o}`: the draft as the API answers it (images are `{$base64}`, never read here). */
export interface EditorOffer extends Omit<OfferView, 'draft'> {
  readonly draft: Offer;
}

export interface EditorData {
  readonly offer: EditorOffer;
  readonly validation: OfferValidation;
}

export interface OfferEditorContext extends EditorData {
  readonly publisherId: string;
  readonly offerId: string;
  /** The offer's API path, `/partner-center/publishers/{p}/offers/{o}`. */
  readonly api: string;
  /** The offer's portal path, `/portal/partner-center/offers/{p}/{o}`. */
  readonly route: string;
  /** Reads the offer and its validation again (after a save), keeping the page on screen. */
  readonly refresh: () => Promise<void>;
  /** The page says whether it holds unsaved changes. */
  readonly setDirty: (dirty: boolean) => void;
}

export const EditorContext = createContext<OfferEditorContext | undefined>(undefined);

export function useEditor(): OfferEditorContext {
  const editor = useContext(EditorContext);
  if (editor === undefined) throw new Error('useEditor outside the offer editor');
  return editor;
}

/** The portal path of a section page (`setup`, `plans/gold`, …) of the offer. */
export function sectionRoute(route: string, page: string): string {
  return page === '' ? route : `${route}/${page}`;
}
