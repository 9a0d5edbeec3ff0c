/**
 * Lead delivery across real processes (test/marketplace/outbox-process.ts, the real outbox
 * over its own connection): a process killed with SIGKILL in the middle of deliveries loses no
 * lead — a new process delivers every one, repeats carrying the same idempotency key and body —
 * on SQLite and PostgreSQL; and on PostgreSQL two processes draining one outbox at once never have
 * the same lead in flight twice, and deliver each exactly once.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { leadPayload } from '../../src/core/marketplace/lead-records.js';
import { systemContext } from '../../src/services/context.js';
import { recordLead } from '../../src/services/marketplace/lead-service.js';
import { createMarketplace } from '../../src/services/marketplace/marketplace.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/port.js';
import { testDatabases, type TestDatabase } from '../support/databases.js';

const WORKER = join(process.cwd(), 'test/marketplace/outbox-process.ts');

interface Received {
  readonly leadId: string;
  readonly idempotencyKey: string | undefined;
  readonly body: Record<string, unknown>;
}

/**
 * A lead endpoint the test steers: it answers 200 to the first `answer` requests and holds the
 * rest open (a slow destination) until `release()`; it records every request and how many of one
 * lead were in flight at once.
 */
async function startEndpoint() {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const inFlight = new Map<string, number>();
  let mostAtOnce = 0;
  const state = { answer: Number.POSITIVE_INFINITY, delayMs: 0 };
  const server = createServer({ cert: readFileSync(process.env.LANTERN_TEST_TLS_CERT ?? ''), key: readFileSync(process.env.LANTERN_TEST_TLS_KEY ?? '') }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const leadId = String(body.LeadId);
      const key = req.headers['idempotency-key'];
      received.push({ leadId, idempotencyKey: Array.isArray(key) ? key[0] : key, body });
      const now = (inFlight.get(leadId) ?? 0) + 1;
      inFlight.set(leadId, now);
      mostAtOnce = Math.max(mostAtOnce, now);
      const done = () => inFlight.set(leadId, (inFlight.get(leadId) ?? 1) - 1);
      res.on('close', done);
      if (received.length > state.answer) {
        held.push(res);
        return;
      }
      setTimeout(() => res.end('accepted'), state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}/leads`,
    received,
    held,
    state,
    mostAtOnce: () => mostAtOnce,
    /** Ends every held request (as a dropped connection) and answers all later ones. */
    release() {
      state.answer = Number.POSITIVE_INFINITY;
      for (const res of held.splice(0)) res.destroy();
    },
    stop: () => new Promise<void>((resolve) => {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Starts a delivery process; resolves its exit once it ends. */
function startWorker(db: TestDatabase['name'], location: string, leaseMs: number): { child: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, db, location, String(leaseMs)], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let out = '';
  let err = '';
  const started = new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.includes('delivering')) resolve();
  }));
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`outbox process exited ${code}: ${err}`);
    resolve(code);
  }));
  return { child, exited, started };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The publisher, an offer sending to `url`, and `count` pending leads, each committed in its own transaction. */
async function seed(store: Store, url: string, count: number): Promise<string[]> {
  const ids = { guid: () => randomUUID() };
  const clock = { now: () => new Date() };
  const ctx = systemContext(ids);
  const tenantId = randomUUID();
  await store.identity.putTenant({ id: tenantId, displayName: 'Contoso', defaultDomain: `contoso-${tenantId.slice(0, 8)}.example` });
  const mp = createMarketplace({ store, clock, ids, smtpUrl: undefined, mailFrom: 'Lantern <no-reply@lantern.localhost>', options: { allowPrivateLeadEndpoints: true } });
  await mp.publishers.enroll(ctx, { publisherId: 'contoso', displayName: 'Contoso Ltd', contacts: [{ name: 'Contoso Admin', email: 'admin@contoso.example' }], tenantId });
  await mp.offers.create(ctx, 'contoso', { offerId: 'crash-leads', alias: 'Crash leads' });
  await mp.offers.updateSetup(ctx, { publisherId: 'contoso', offerId: 'crash-leads' }, { type: 'httpsEndpoint', httpsEndpointUrl: url, contactEmails: [] });
  const leads: string[] = [];
  for (let i = 0; i < count; i++) {
    const lead = await store.transaction((tx) => recordLead(tx, {
      kind: 'acquisition', publisherId: 'contoso', offerId: 'crash-leads', planId: 'gold', customerTenantId: randomUUID(), subscriptionId: randomUUID(),
      customer: { FirstName: `Ada${i}`, LastName: 'Lovelace', Email: `ada${i}@fabrikam.example`, Phone: '', Country: 'GB', Company: 'Fabrikam', Title: '' },
    }, { id: ids.guid(), now: clock.now() }));
    leads.push(lead.id);
  }
  return leads;
}

for (const db of testDatabases()) {
  describe(`lead delivery across processes (${db.name})`, () => {
    let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
    let opened: Awaited<ReturnType<TestDatabase['open']>>;
    before(async () => {
      endpoint = await startEndpoint();
      opened = await db.open();
    });
    after(async () => {
      await endpoint.stop();
      await opened.cleanup();
    });

    it('loses no lead when a delivering process is killed with SIGKILL: a new process delivers every one, repeats identical', async (t) => {
      const ids = await seed(opened.store, endpoint.url, 30);
      // The destination answers 5 leads, then hangs: the process is killed with deliveries in flight.
      endpoint.state.answer = 5;
      const first = startWorker(db.name, opened.url, 2000);
      await until(() => endpoint.held.length > 0, 'a delivery in flight');
      first.child.kill('SIGKILL');
      assert.equal(await first.exited, null, 'killed, not exited');
      const beforeRestart = new Set(endpoint.received.map((r) => r.leadId)).size;
      endpoint.release();

      const second = startWorker(db.name, opened.url, 2000);
      assert.equal(await second.exited, 0, 'the new process drained the outbox');
      const reopened = db.name === 'sqlite' ? opened.store : await openStore({ kind: 'postgres', url: opened.url });
      try {
        for (const id of ids) {
          const stored = await reopened.leads.get(id);
          assert.equal(stored?.lead.status, 'delivered', `lead ${id} delivered`);
          const copies = endpoint.received.filter((r) => r.leadId === id);
          assert.ok(copies.length >= 1, `lead ${id} reached the destination`);
          for (const copy of copies) {
            assert.equal(copy.idempotencyKey, stored.lead.idempotencyKey, 'every copy carries the lead\'s idempotency key');
            assert.deepEqual(copy.body, leadPayload(stored.lead), 'every copy is the lead exactly as recorded');
          }
          assert.ok((await reopened.leads.listAttempts(id)).length >= 1, 'its delivery is logged');
        }
      } finally {
        if (reopened !== opened.store) await reopened.close();
      }
      assert.ok(beforeRestart < ids.length, `the killed process left leads undelivered (${beforeRestart} of ${ids.length} reached)`);
      assert.ok(endpoint.received.length >= ids.length);
      t.diagnostic(`${ids.length} leads; ${beforeRestart} reached the destination before the kill; ${endpoint.received.length} requests in all (${endpoint.received.length - ids.length} repeats)`);
    });

    if (db.name === 'postgres') {
      it('never has one lead in flight twice when two processes drain one PostgreSQL outbox, and delivers each once', async () => {
        endpoint.received.length = 0;
        const fresh = await db.open();
        try {
          const ids = await seed(fresh.store, endpoint.url, 60);
          // Slow answers keep many deliveries in flight in both processes at once.
          endpoint.state.delayMs = 30;
          const workers = [startWorker('postgres', fresh.url, 120_000), startWorker('postgres', fresh.url, 120_000)];
          assert.deepEqual(await Promise.all(workers.map((w) => w.exited)), [0, 0]);
          assert.equal(endpoint.mostAtOnce(), 1, 'no lead was ever in flight twice at once');
          assert.deepEqual(endpoint.received.map((r) => r.leadId).sort(), [...ids].sort(), 'each lead delivered exactly once');
          for (const id of ids) {
            assert.equal((await fresh.store.leads.get(id))?.lead.status, 'delivered');
            assert.equal((await fresh.store.leads.listAttempts(id)).length, 1, 'one attempt logged per lead');
          }
        } finally {
          endpoint.state.delayMs = 0;
          await fresh.cleanup();
        }
      });
    }
  });
}
