/**
 * What the commerce plane persists, as documents in `store.documents`: one collection per kind,
 * partitioned by publisher (or by user for the action center) so listings stay cheap.
 */
import type { Offer } from '../../core/marketplace/model.js';
import type { PublicationState } from '../../core/marketplace/pipeline.js';
import type { OfferVersion } from '../../core/marketplace/versions.js';
import type { EligibilityCredential, PublisherAccount } from '../../core/marketplace/publisher.js';
import type { Repositories } from '../../storage/port.js';
import { decodeBytes, encodeBytes } from './codec.js';
import { repairOffer } from '../../core/marketplace/offer-repair.js';

export const COLLECTIONS = {
  publishers: 'mp-publishers',
  offers: 'mp-offers',
  versions: 'mp-offer-versions',
  jobs: 'mp-publish-jobs',
  notifications: 'mp-notifications',
  configureJobs: 'mp-configure-jobs',
} as const;

/** A credential the publisher claims, and what the platform operator decided about it. */
export interface EligibilityClaim {
  readonly credential: EligibilityCredential;
  /** Free text the operator checks (designation id, partner id …). */
  readonly evidence: string;
  readonly status: 'pending' | 'verified' | 'rejected';
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
}

export interface PublisherRecord {
  readonly account: PublisherAccount;
  /** The directory that enrolled: its users and service principals are the publisher's members. */
  readonly tenantId: string;
  readonly claims: readonly EligibilityClaim[];
  readonly createdAt: string;
}

/** The offer's draft and its publication state (the core's pipeline state, history included). */
export interface OfferRecord {
  readonly publisherId: string;
  readonly offerId: string;
  readonly draft: Offer;
  readonly publication: PublicationState;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A submitted version: an immutable snapshot (customers accept one specific version later). */
export interface StoredVersion extends OfferVersion {
  readonly publisherId: string;
  readonly createdBy: string;
  /** A full submission, or a private-audience sync of the version before. */
  readonly origin: 'submission' | 'syncPrivateAudience';
}

/** Progress of one publish request, for `GET …/jobs/{id}`, the CLI and the ingestion API. */
export interface PublishJob {
  readonly id: string;
  readonly publisherId: string;
  readonly offerId: string;
  readonly target: 'preview' | 'live';
  readonly submission: number;
  /** The offer version the submission publishes. */
  readonly version?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Steps done so far, oldest first, in words for the publisher. */
  readonly progress: readonly { readonly at: string; readonly step: string; readonly message: string }[];
  readonly state: 'running' | 'waiting' | 'completed';
  readonly result: 'pending' | 'succeeded' | 'failed' | 'cancelled';
}

export const offerKey = (publisherId: string, offerId: string): string => `${publisherId}/${offerId}`;

// Each damaged document is reported once per process; the next write of the offer stores the repair.
const reported = new Set<string>();

/** A stored offer conformed to the model (values stored before strict validation), with a warning naming what changed. */
function readable<T extends { readonly offer?: unknown; readonly draft?: unknown }>(record: T, field: 'draft' | 'offer', publisherId: string, offerId: string, key: string): T {
  const { offer, repairs } = repairOffer(record[field], { publisherId, offerId });
  if (repairs.length === 0) return record;
  if (!reported.has(key)) {
    reported.add(key);
    process.emitWarning(`Stored offer ${key} had values of the wrong case or type; read as repaired: ${repairs.slice(0, 20).join(', ')}`, 'LanternStoredValueWarning');
  }
  return { ...record, [field]: offer };
}

const readableOffer = (r: OfferRecord): OfferRecord => readable(r, 'draft', r.publisherId, r.offerId, offerKey(r.publisherId, r.offerId));
const readableVersion = (v: StoredVersion): StoredVersion => readable(v, 'offer', v.publisherId, v.offer.id, `${offerKey(v.publisherId, v.offer.id)}/${v.number}`);

/** Typed access to the commerce documents over any repositories (the store or a transaction). */
export function marketplaceDocs(repos: Repositories) {
  const docs = repos.documents;
  return {
    getPublisher: (id: string) => docs.get<PublisherRecord>(COLLECTIONS.publishers, id),
    putPublisher: (r: PublisherRecord) => docs.put(COLLECTIONS.publishers, r.account.publisherId, r.tenantId, r),
    listPublishers: (tenantId?: string) => docs.list<PublisherRecord>(COLLECTIONS.publishers, tenantId),

    async getOffer(publisherId: string, offerId: string): Promise<OfferRecord | undefined> {
      const raw = await docs.get<unknown>(COLLECTIONS.offers, offerKey(publisherId, offerId));
      return raw === undefined ? undefined : readableOffer(decodeBytes<OfferRecord>(raw));
    },
    putOffer: (r: OfferRecord) => docs.put(COLLECTIONS.offers, offerKey(r.publisherId, r.offerId), r.publisherId, encodeBytes(r)),
    async listOffers(publisherId?: string): Promise<OfferRecord[]> {
      return (await docs.list<unknown>(COLLECTIONS.offers, publisherId)).map((r) => readableOffer(decodeBytes<OfferRecord>(r)));
    },
    deleteOffer: (publisherId: string, offerId: string) => docs.delete(COLLECTIONS.offers, offerKey(publisherId, offerId)),

    async getVersion(publisherId: string, offerId: string, number: number): Promise<StoredVersion | undefined> {
      const raw = await docs.get<unknown>(COLLECTIONS.versions, `${offerKey(publisherId, offerId)}/${number}`);
      return raw === undefined ? undefined : readableVersion(decodeBytes<StoredVersion>(raw));
    },
    async putVersion(v: StoredVersion): Promise<void> {
      const id = `${offerKey(v.publisherId, v.offer.id)}/${v.number}`;
      // Published versions are immutable: writing one twice is a bug, not an update.
      if ((await docs.get(COLLECTIONS.versions, id)) !== undefined) throw new Error(`offer version ${id} already exists`);
      await docs.put(COLLECTIONS.versions, id, offerKey(v.publisherId, v.offer.id), encodeBytes(v));
    },
    async listVersions(publisherId: string, offerId: string): Promise<StoredVersion[]> {
      const all = (await docs.list<unknown>(COLLECTIONS.versions, offerKey(publisherId, offerId))).map((r) => readableVersion(decodeBytes<StoredVersion>(r)));
      return all.sort((a, b) => a.number - b.number);
    },

    getJob: (id: string) => docs.get<PublishJob>(COLLECTIONS.jobs, id),
    putJob: (j: PublishJob) => docs.put(COLLECTIONS.jobs, j.id, offerKey(j.publisherId, j.offerId), j),
    listJobs: (publisherId: string, offerId: string) => docs.list<PublishJob>(COLLECTIONS.jobs, offerKey(publisherId, offerId)),
  };
}

export type MarketplaceDocs = ReturnType<typeof marketplaceDocs>;
