/**
 * Leads as records: what Lantern keeps for every acquisition, "Contact me" and test lead, the
 * payload each destination receives, the retry schedule of the delivery outbox and the signature
 * an HTTPS endpoint verifies. Pure: the caller passes the clock's time and the random source.
 */
import { createHmac } from 'node:crypto';
import type { LeadDestinationType } from './model.js';

/** Why the lead exists: an acquisition ("Get It Now" / Create), a "Contact me", or a test lead. */
export type LeadKind = 'acquisition' | 'contactMe' | 'test';

export const LEAD_KINDS: readonly LeadKind[] = ['acquisition', 'contactMe', 'test'];

/**
 * Where a lead stands: waiting in the outbox (first try or a retry), delivered, given up after the
 * delivery window (dead letter, shown to the publisher), or kept in Lantern only (no destination).
 */
export type LeadStatus = 'pending' | 'delivered' | 'deadLettered' | 'notConnected';

export const LEAD_STATUSES: readonly LeadStatus[] = ['pending', 'delivered', 'deadLettered', 'notConnected'];

/** The customer's details as Microsoft's lead schema names them (not all are always present). */
export interface LeadCustomer {
  readonly FirstName: string;
  readonly LastName: string;
  readonly Email: string;
  readonly Phone: string;
  readonly Country: string;
  readonly Company: string;
  readonly Title: string;
}

/** One lead, as the Referrals list shows it and as every destination receives it. */
export interface LeadRecord {
  readonly id: string;
  /** The same for every delivery of this lead: receivers drop repeats by it (delivery is at-least-once). */
  readonly idempotencyKey: string;
  readonly kind: LeadKind;
  readonly publisherId: string;
  readonly offerId: string;
  readonly offerTitle: string;
  readonly planId?: string;
  readonly customerTenantId?: string;
  readonly subscriptionId?: string;
  /** A test lead of a submission's automated validation: that submission's number. */
  readonly submission?: number;
  /** `Source-Action|publisher.offer`, Microsoft's documented LeadSource form. */
  readonly leadSource: string;
  /** INS (acquire), PLT (Contact me), Create (portal purchase) or the test lead's marker. */
  readonly actionCode: string;
  readonly customer: LeadCustomer;
  /** The customer's note ("Contact me") or what the lead is about. */
  readonly description: string;
  readonly createdAt: string;
  readonly destinationType: LeadDestinationType;
  readonly status: LeadStatus;
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** When the outbox tries next (pending leads only). */
  readonly nextAttemptAt?: string;
  /** Start of the current delivery window: retries go on for DELIVERY_WINDOW_MS after it. */
  readonly windowStartedAt: string;
  readonly deliveredAt?: string;
  /** What the last failed attempt answered, in words. */
  readonly lastError?: string;
}

/** Retries go on for at least this long before a lead is dead-lettered. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;

/** .NET ticks (100 ns since 0001-01-01), the suffix of Microsoft's test leads. */
export function dotNetTicks(now: Date): string {
  return (BigInt(now.getTime()) * 10_000n + 621_355_968_000_000_000n).toString();
}

/** Microsoft's test-lead customer: every field `MSFT_TEST_<ticks>`, country US, phone 1234567890. */
export function testLeadCustomer(now: Date): LeadCustomer {
  const t = `MSFT_TEST_${dotNetTicks(now)}`;
  return { FirstName: t, LastName: t, Email: `${t}@test.com`, Phone: '1234567890', Country: 'US', Company: t, Title: t };
}

/** What a new lead is made from; the outbox fields are filled in by `newLead`. */
export interface NewLead {
  readonly id: string;
  readonly kind: LeadKind;
  readonly publisherId: string;
  readonly offerId: string;
  readonly offerTitle: string;
  readonly planId?: string | undefined;
  readonly customerTenantId?: string | undefined;
  readonly subscriptionId?: string | undefined;
  readonly submission?: number | undefined;
  /** AzureMarketplace (storefront) or AzurePortal (ARM onboarding). */
  readonly source: 'AzureMarketplace' | 'AzurePortal';
  readonly customer: LeadCustomer;
  readonly description?: string | undefined;
  readonly destinationType: LeadDestinationType;
  readonly now: Date;
}

/** A lead ready for the outbox: pending at once, or kept only when no destination is connected. */
export function newLead(input: NewLead): LeadRecord {
  const at = input.now.toISOString();
  const testMark = input.kind === 'test' ? input.customer.FirstName : undefined;
  const action = testMark ?? (input.kind === 'contactMe' ? 'PLT' : input.source === 'AzurePortal' ? 'Create' : 'INS');
  const leadSource = testMark === undefined ? `${input.source}-${action}|${input.publisherId}.${input.offerId}` : `${testMark}-${testMark}|${input.offerTitle}`;
  const connected = input.destinationType !== 'none';
  return {
    id: input.id,
    idempotencyKey: input.id,
    kind: input.kind,
    publisherId: input.publisherId,
    offerId: input.offerId,
    offerTitle: input.offerTitle,
    ...(input.planId === undefined ? {} : { planId: input.planId }),
    ...(input.customerTenantId === undefined ? {} : { customerTenantId: input.customerTenantId }),
    ...(input.subscriptionId === undefined ? {} : { subscriptionId: input.subscriptionId }),
    ...(input.submission === undefined ? {} : { submission: input.submission }),
    leadSource,
    actionCode: action,
    customer: input.customer,
    description: input.description ?? (input.kind === 'test' ? 'Test lead sent by Lantern to validate the lead destination.' : ''),
    createdAt: at,
    destinationType: input.destinationType,
    status: connected ? 'pending' : 'notConnected',
    attempts: 0,
    ...(connected ? { nextAttemptAt: at } : {}),
    windowStartedAt: at,
  };
}

/** Customers with a .edu address are students: no personal data leaves Lantern for them (Microsoft's rule). */
export function shareableCustomer(c: LeadCustomer): LeadCustomer {
  if (!/\.edu$/i.test(c.Email.trim())) return c;
  return { FirstName: '', LastName: '', Email: '', Phone: '', Country: c.Country, Company: c.Company, Title: '' };
}

/**
 * The JSON every destination's mapping starts from: Microsoft's HTTPS-endpoint (Power Automate)
 * schema, plus the ids its schema lacks (pain 10) and the idempotency key.
 */
export function leadPayload(lead: LeadRecord): Record<string, unknown> {
  return {
    UserDetails: shareableCustomer(lead.customer),
    LeadSource: lead.leadSource,
    ActionCode: lead.actionCode,
    OfferTitle: lead.offerTitle,
    Description: lead.description,
    LeadId: lead.id,
    IdempotencyKey: lead.idempotencyKey,
    OfferId: `${lead.publisherId}.${lead.offerId}`,
    PublisherId: lead.publisherId,
    PlanId: lead.planId ?? null,
    CustomerTenantId: lead.customerTenantId ?? null,
    SubscriptionId: lead.subscriptionId ?? null,
    CreatedAt: lead.createdAt,
  };
}

/** The wait before retry number `attempt` (1 = after the first failure): doubling from 30 s to 1 h, with full jitter on the upper half. */
export function retryDelayMs(attempt: number, random: number): number {
  const ceiling = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** One delivery attempt's outcome, as the connector saw it. */
export interface AttemptOutcome {
  readonly ok: boolean;
  /** The HTTP status (or SMTP reply code) the destination answered; absent when nothing answered. */
  readonly status?: number;
  /** What happened, in words for the publisher. */
  readonly message: string;
  /** The start of what the destination answered. */
  readonly excerpt: string;
}

/** One line of a lead's delivery log. */
export interface LeadAttempt {
  readonly leadId: string;
  readonly attempt: number;
  readonly at: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly message: string;
  readonly excerpt: string;
}

const EXCERPT_CHARS = 500;

/** The first characters of an answer, for the delivery log. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}

/**
 * The lead after an attempt: delivered, retried later (backoff with jitter), or dead-lettered once
 * the delivery window has passed. `retry: false` (a Validate test lead) gives up after one try.
 */
export function afterAttempt(lead: LeadRecord, outcome: AttemptOutcome, now: Date, random: number, retry = true): LeadRecord {
  const attempts = lead.attempts + 1;
  const { nextAttemptAt: _next, lastError: _error, ...rest } = lead;
  if (outcome.ok) return { ...rest, attempts, status: 'delivered', deliveredAt: now.toISOString() };
  const next = new Date(now.getTime() + retryDelayMs(attempts, random));
  const windowEnds = new Date(lead.windowStartedAt).getTime() + DELIVERY_WINDOW_MS;
  if (!retry || now.getTime() >= windowEnds) return { ...rest, attempts, status: 'deadLettered', lastError: outcome.message };
  return { ...rest, attempts, status: 'pending', nextAttemptAt: next.toISOString(), lastError: outcome.message };
}

/** The lead sent again: pending now, with a fresh delivery window. */
export function requeued(lead: LeadRecord, now: Date): LeadRecord {
  const { lastError: _error, deliveredAt: _delivered, ...rest } = lead;
  const at = now.toISOString();
  return { ...rest, status: 'pending', nextAttemptAt: at, windowStartedAt: at };
}

/** Name of the header carrying the signature of an HTTPS-endpoint lead. */
export const SIGNATURE_HEADER = 'x-lantern-signature';

/**
 * The signature header value of a body sent at `timestamp` (Unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the destination's secret>`.
 */
export function leadSignature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

const CSV_COLUMNS = [
  'LeadId', 'CreatedAt', 'Kind', 'OfferId', 'PlanId', 'CustomerTenantId', 'SubscriptionId', 'LeadSource', 'ActionCode',
  'FirstName', 'LastName', 'Email', 'Phone', 'Country', 'Company', 'Title', 'Description', 'Destination', 'Status', 'Attempts', 'DeliveredAt', 'LastError',
] as const;

function csvCell(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The Referrals export: one header line, one line per lead. */
export function leadsCsv(leads: readonly LeadRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const l of leads) {
    const c = l.customer;
    const row = [
      l.id, l.createdAt, l.kind, l.offerId, l.planId ?? '', l.customerTenantId ?? '', l.subscriptionId ?? '', l.leadSource, l.actionCode,
      c.FirstName, c.LastName, c.Email, c.Phone, c.Country, c.Company, c.Title, l.description, l.destinationType, l.status, String(l.attempts), l.deliveredAt ?? '', l.lastError ?? '',
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
