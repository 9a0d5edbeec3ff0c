/**
 * What needs a publisher's attention, gathered from the Partner Center API: offers whose publishing
 * stopped, previews waiting for Go live, leads whose delivery failed (for those who may see leads).
 */
import { ApiError, getJson } from '../../../api.ts';
import type { PublisherAccountView } from '../PublisherPicker.tsx';
import { offerName, offerPage, type OfferDetail } from '../publish/offer-api.ts';

export interface AttentionItem {
  readonly key: string;
  readonly publisher: string;
  readonly title: string;
  readonly detail: string;
  readonly action: { readonly name: string; readonly to: string };
}

async function deadLetteredLeads(publisherId: string, signal: AbortSignal): Promise<number | undefined> {
  try {
    return (await getJson<{ value: unknown[] }>(`/partner-center/publishers/${encodeURIComponent(publisherId)}/referrals?status=deadLettered&$top=1000`, signal)).value.length;
  } catch (error) {
    // Developers may not see leads (403): their action center simply has no lead items.
    if (error instanceof ApiError && error.status === 403) return undefined;
    throw error;
  }
}

/** Every item needing attention in the caller's publisher accounts. */
export async function attentionItems(signal: AbortSignal): Promise<AttentionItem[]> {
  const { value } = await getJson<{ value: { account: PublisherAccountView }[] }>('/partner-center/publishers', signal);
  const perPublisher = await Promise.all(value.map(async ({ account }) => {
    const base = `/partner-center/publishers/${encodeURIComponent(account.publisherId)}`;
    const [offers, dead] = await Promise.all([getJson<{ value: OfferDetail[] }>(`${base}/offers`, signal), deadLetteredLeads(account.publisherId, signal)]);
    const items: AttentionItem[] = [];
    for (const offer of offers.value) {
      const review = { name: 'Review and publish', to: offerPage(account.publisherId, offer.offerId, 'review') };
      if (offer.status === 'Attention needed') {
        items.push({ key: `${account.publisherId}/${offer.offerId}/failed`, publisher: account.displayName, title: `${offerName(offer)}: publishing stopped`, detail: 'The last submission failed its checks. See why, fix it and publish again.', action: review });
      } else if (offer.publication.submission?.step === 'publisherSignOff') {
        items.push({ key: `${account.publisherId}/${offer.offerId}/preview`, publisher: account.displayName, title: `${offerName(offer)}: preview ready`, detail: 'Check the preview, then select Go live to publish it.', action: review });
      }
    }
    if (dead !== undefined && dead > 0) {
      items.push({
        key: `${account.publisherId}/leads`, publisher: account.displayName, title: `${dead}${dead === 1000 ? '+' : ''} lead${dead === 1 ? '' : 's'} could not be delivered`,
        detail: 'Lantern stopped retrying after 24 hours. Fix the lead destination, then redeliver.',
        action: { name: 'Open Referrals', to: `/portal/partner-center/referrals?publisher=${encodeURIComponent(account.publisherId)}` },
      });
    }
    return items;
  }));
  return perPublisher.flat();
}
