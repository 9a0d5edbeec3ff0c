/** Partner Center's offer view (`GET …/offers[/{id}]`) as the portal reads it, and how a status is coloured. */
import type { BadgeProps } from '@fluentui/react-components';

export interface OfferView {
  readonly offerId: string;
  readonly status: string;
  readonly draft: { readonly alias?: string; readonly listing?: { readonly name?: string }; readonly plans?: readonly unknown[] };
  readonly publication: { readonly previewVersion?: number; readonly liveVersion?: number };
  readonly updatedAt: string;
}

export const STATUS_COLOR: Record<string, BadgeProps['color']> = {
  Live: 'success', Preview: 'informative', 'Publish in progress': 'brand', 'Attention needed': 'danger', Draft: 'subtle', 'Pending stop distribution': 'warning', 'Not available': 'subtle',
};
