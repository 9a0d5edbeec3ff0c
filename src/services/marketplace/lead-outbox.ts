/**
 * The lead delivery outbox. A lead row is committed with the event that caused it (status
 * `pending`); this worker claims due leads under a lease, sends each once, and records the attempt
 * and the lead's next state in one transaction. A process killed at any moment loses nothing: a
 * lead it had claimed becomes due again when its lease runs out, and one it had sent but not yet
 * recorded is sent again (at-least-once; the idempotency key lets the receiver drop the repeat).
 */
import { afterAttempt, type AttemptOutcome, type LeadRecord } from '../../core/marketplace/lead-records.js';
import type { StoredLead, Store } from '../../storage/port.js';
import type { Clock, IdGenerator } from '../context.js';
import type { ActionCenter } from './action-center.js';
import type { ConnectorOptions } from './lead-connector.js';
import { deliverLead } from './lead-delivery.js';
import { marketplaceDocs } from './records.js';

export interface LeadOutboxOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly actionCenter: ActionCenter;
  /** Everything a connector needs but the time (the outbox adds the clock's). */
  readonly connector: Omit<ConnectorOptions, 'now'>;
  /** A number in [0, 1) for the retry jitter (Math.random unless a test fixes it). */
  readonly random?: () => number;
  /** How long a claimed lead stays this process's (default 2 minutes: well past a connector's timeouts). */
  readonly leaseMs?: number;
  /** How often the worker looks for due leads when it found none (default 1 s). */
  readonly pollMs?: number;
  /** Leads claimed per round (default 10). */
  readonly batch?: number;
  readonly onError?: (error: unknown) => void;
}

export interface LeadOutbox {
  /** Claims the due leads and delivers them once each; resolves with how many it tried. */
  runOnce(): Promise<number>;
  /**
   * Records a new lead already leased to this outbox, sends it at once and records the attempt
   * (Validate, the test lead at submit); with `retry` false a failure dead-letters it at once.
   */
  sendNow(stored: StoredLead, retry: boolean): Promise<{ lead: LeadRecord; outcome: AttemptOutcome }>;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Asks the loop to look now (a lead was just committed). */
  kick(): void;
  /** Stops the loop and waits for the round in progress. */
  stop(): Promise<void>;
}

/** The outbox over the store. */
export function createLeadOutbox(options: LeadOutboxOptions): LeadOutbox {
  const { store, clock, ids } = options;
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 1000;
  const batch = options.batch ?? 10;
  // Each process (each outbox) is its own lease owner.
  const owner = ids.guid();
  let running = false;
  let round: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  async function deadLettered(lead: LeadRecord): Promise<void> {
    const publisher = await marketplaceDocs(store).getPublisher(lead.publisherId);
    if (publisher === undefined) return;
    await options.actionCenter.notify(publisher, {
      offerId: lead.offerId,
      subject: `Lead not delivered: ${lead.offerTitle} (${lead.offerId})`,
      body: `Lead ${lead.id} (${lead.leadSource}, ${lead.createdAt}) could not be delivered to your ${lead.destinationType} destination after ${lead.attempts} attempt(s) over 24 hours.\n` +
        `Last answer: ${lead.lastError ?? 'none'}\n\nIt is kept in Referrals: fix the destination and redeliver it (one lead, or all dead-lettered leads).`,
    });
  }

  /** One attempt of a lead leased to this outbox: send, then record the outcome and the next state together, while the lease is ours. */
  async function attempt(stored: StoredLead, retry: boolean): Promise<{ lead: LeadRecord; outcome: AttemptOutcome }> {
    const now = clock.now();
    const outcome = await deliverLead(stored.destination, stored.lead, { ...options.connector, now });
    const done = clock.now();
    const lead = afterAttempt(stored.lead, outcome, done, random(), retry);
    const kept = await store.transaction(async (tx) => {
      await tx.leads.appendAttempt({
        leadId: lead.id, attempt: lead.attempts, at: now.toISOString(), ok: outcome.ok,
        ...(outcome.status === undefined ? {} : { status: outcome.status }), message: outcome.message, excerpt: outcome.excerpt,
      });
      return tx.leads.finish({ ...stored, lead }, owner);
    });
    if (kept && lead.status === 'deadLettered' && retry) await deadLettered(lead);
    return { lead, outcome };
  }

  async function runOnce(): Promise<number> {
    const now = clock.now();
    const claimed = await store.leads.claimDue(now.toISOString(), owner, new Date(now.getTime() + leaseMs).toISOString(), batch);
    await Promise.all(claimed.map((stored) => attempt(stored, true).catch((error: unknown) => options.onError?.(error))));
    return claimed.length;
  }

  async function loop(): Promise<void> {
    while (running) {
      let tried = 0;
      try {
        tried = await runOnce();
      } catch (error) {
        options.onError?.(error);
      }
      if (tried === 0 && running) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, pollMs);
        });
        wake = undefined;
      }
    }
  }

  return {
    runOnce,
    async sendNow(stored, retry) {
      const now = clock.now();
      await store.leads.insert(stored, { owner, until: new Date(now.getTime() + leaseMs).toISOString() });
      return attempt(stored, retry);
    },
    start() {
      if (running) return;
      running = true;
      round = loop();
    },
    kick() {
      wake?.();
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      wake?.();
      await round;
    },
  };
}
