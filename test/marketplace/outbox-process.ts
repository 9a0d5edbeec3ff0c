/**
 * A Lantern lead-delivery process for the crash and two-process tests: the real marketplace (its
 * outbox included) over its own connection to the store named on the command line, delivering
 * until no lead of the publisher is pending, then exiting 0. Run as
 * `node --import tsx outbox-process.ts <sqlite|postgres> <path-or-url> <leaseMs>`; it prints
 * `delivering` once it has started.
 */
import { randomUUID } from 'node:crypto';
import { openStore } from '../../src/storage/open-store.js';
import { createMarketplace } from '../../src/services/marketplace/marketplace.js';

const [kind, location, lease] = process.argv.slice(2);
if ((kind !== 'sqlite' && kind !== 'postgres') || location === undefined || lease === undefined) {
  console.error('usage: outbox-process.ts <sqlite|postgres> <path-or-url> <leaseMs>');
  process.exit(2);
}
const store = await openStore(kind === 'sqlite' ? { kind, path: location } : { kind, url: location });
const marketplace = createMarketplace({
  store, clock: { now: () => new Date() }, ids: { guid: () => randomUUID() }, smtpUrl: undefined, mailFrom: 'Lantern <no-reply@lantern.localhost>',
  options: { allowPrivateLeadEndpoints: true, leadOutbox: { leaseMs: Number(lease) } },
  onError: (error) => console.error('outbox:', error),
});
console.log('delivering');
for (;;) {
  const tried = await marketplace.leadOutbox.runOnce();
  if (tried > 0) continue;
  // Nothing due: done when nothing is pending; otherwise a lease (of a killed process) or a retry is still running out.
  if ((await store.leads.list({ publisherId: 'contoso', status: 'pending', top: 1 })).leads.length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await store.close();
console.log('drained');
