/**
 * Leads and their delivery outbox over Kysely (migrations 0008, 0011). The outbox claims due leads with a
 * lease: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so several Lantern processes never take the same
 * lead at once; SQLite runs one writer at a time, so its single UPDATE … RETURNING is the same claim.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { LeadAttempt, LeadRecord } from '../core/marketplace/lead-records.js';
import type { Database } from './schema.js';
import type { Dialect } from './open-store.js';
import type { LeadPage, LeadQuery, LeadRepository, StoredLead } from './port.js';

type Db = Kysely<Database> | Transaction<Database>;

function row(l: StoredLead) {
  return {
    id: l.lead.id,
    publisher_id: l.lead.publisherId.toLowerCase(),
    offer_id: l.lead.offerId.toLowerCase(),
    kind: l.lead.kind,
    created_at: l.lead.createdAt,
    status: l.lead.status,
    destination: l.lead.destinationType,
    next_attempt_at: l.lead.status === 'pending' ? (l.lead.nextAttemptAt ?? l.lead.createdAt) : null,
    body: JSON.stringify(l),
  };
}

const parse = (r: { body: string }): StoredLead => JSON.parse(r.body) as StoredLead;

/** A page cursor: the created-at and id of the last lead shown. */
function cursor(l: LeadRecord): string {
  return Buffer.from(`${l.createdAt}|${l.id}`, 'utf8').toString('base64url');
}

function fromCursor(token: string): [string, string] | undefined {
  const [at, id] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  return at === undefined || id === undefined || at === '' || id === '' ? undefined : [at, id];
}

/** The lead repository bound to one connection or transaction. */
export function leadRepository(db: Db, dialect: Dialect): LeadRepository {
  return {
    async insert(l, lease) {
      await db.insertInto('leads').values({ ...row(l), lease_owner: lease?.owner ?? null, lease_until: lease?.until ?? null }).execute();
    },
    async get(id) {
      const r = await db.selectFrom('leads').select('body').where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : parse(r);
    },
    async list(q: LeadQuery): Promise<LeadPage> {
      let sel = db.selectFrom('leads').select('body').where('publisher_id', '=', q.publisherId.toLowerCase());
      if (q.offerId !== undefined) sel = sel.where('offer_id', '=', q.offerId.toLowerCase());
      if (q.kind !== undefined) sel = sel.where('kind', '=', q.kind);
      if (q.status !== undefined) sel = sel.where('status', '=', q.status);
      if (q.destination !== undefined) sel = sel.where('destination', '=', q.destination);
      if (q.from !== undefined) sel = sel.where('created_at', '>=', q.from);
      if (q.to !== undefined) sel = sel.where('created_at', '<', q.to);
      const after = q.skipToken === undefined ? undefined : fromCursor(q.skipToken);
      if (after !== undefined) {
        const [at, id] = after;
        sel = sel.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
      }
      const rows = await sel.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.top + 1).execute();
      const leads = rows.slice(0, q.top).map(parse);
      const last = leads.at(-1);
      return rows.length > q.top && last !== undefined ? { leads, skipToken: cursor(last.lead) } : { leads };
    },
    async claimDue(now, owner, leaseUntil, limit) {
      // Due and not held by a live lease; a lease left by a killed process runs out and the lead is due again.
      const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
      const result = await sql<{ body: string }>`update leads set lease_owner = ${owner}, lease_until = ${leaseUntil}
        where id in (select id from leads where status = 'pending' and next_attempt_at <= ${now}
          and (lease_until is null or lease_until <= ${now}) order by next_attempt_at, id limit ${limit} ${lock})
        returning body`.execute(db);
      return result.rows.map(parse);
    },
    async finish(l, owner) {
      const r = row(l);
      let upd = db.updateTable('leads').set({ ...r, lease_owner: null, lease_until: null }).where('id', '=', l.lead.id);
      if (owner !== undefined) upd = upd.where('lease_owner', '=', owner);
      const [result] = await upd.execute();
      return (result?.numUpdatedRows ?? 0n) > 0n;
    },
    async appendAttempt(a: LeadAttempt) {
      const last = await db.selectFrom('lead_attempts').select((eb) => eb.fn.max<number | null>('attempt').as('n')).where('lead_id', '=', a.leadId).executeTakeFirst();
      const attempt = Number(last?.n ?? 0) + 1;
      await db.insertInto('lead_attempts').values({ lead_id: a.leadId, attempt, at: a.at, body: JSON.stringify({ ...a, attempt }) }).execute();
    },
    async listAttempts(leadId) {
      const rows = await db.selectFrom('lead_attempts').select('body').where('lead_id', '=', leadId).orderBy('attempt').execute();
      return rows.map((r) => JSON.parse(r.body) as LeadAttempt);
    },
  };
}
