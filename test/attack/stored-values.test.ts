/**
 * Issue 11.6: every stored value stays readable. Offers stored before the edge validated strictly
 * (a lead destination type of the wrong case, numbers and strings where the model has other types)
 * are written straight into the store here, then read and changed through every Partner Center and
 * ingestion route that loads them: no answer is a 5xx.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { call, startWorld, type World } from '../marketplace/support.js';
import { COLLECTIONS, offerKey } from '../../src/services/marketplace/records.js';

const database = testDatabases()[0]!;

// What earlier versions let through: each a case the strict edge now refuses.
type Doc = Record<string, unknown>;
const DAMAGE: Record<string, (draft: Doc) => void> = {
  'lead type of the wrong case': (d) => { d.setup = { customerLeads: { type: 'None' } }; },
  'lead type unknown, fields of the wrong type': (d) => { d.setup = { customerLeads: { type: 'Email', contactEmails: 'a@contoso.example' } }; },
  'listing fields of the wrong type': (d) => {
    d.listing = { ...(d.listing as Doc), name: 42, shortDescription: { text: 'x' }, usefulLinks: 'https://contoso.example', supportContact: { name: 'a', email: 7 }, screenshots: null, videos: {}, logos: 'none' };
  },
  'properties of the wrong type': (d) => { d.properties = { categories: [{ category: 'monitoring', subcategories: 'x' }, 5], terms: { kind: 'TEXT', text: 1 } }; },
  'missing sections': (d) => { delete d.listing; delete d.properties; delete d.setup; },
};

describe('offers stored with bad values stay readable (sqlite)', () => {
  let world: World;

  before(async () => {
    world = await startWorld(database);
  });
  after(async () => world.stop());

  for (const [name, damage] of Object.entries(DAMAGE)) {
    it(`reads and configures an offer with ${name}, without a 5xx`, async () => {
      const offerId = `damaged-${name.replace(/[^a-z]+/g, '-')}`.slice(0, 40).replace(/-$/, '');
      assert.equal((await call(world, world.owner, 'POST', `/partner-center/publishers/${world.publisherId}/offers`, { offerId, alias: offerId })).status, 201);
      const documents = world.lantern.services.store.documents;
      const key = offerKey(world.publisherId, offerId);
      const record = (await documents.get<Doc>(COLLECTIONS.offers, key))!;
      damage(record.draft as Doc);
      await documents.put(COLLECTIONS.offers, key, world.publisherId, record);

      const base = `/partner-center/publishers/${world.publisherId}/offers/${offerId}`;
      const answers: [string, number, string][] = [];
      const send = async (method: string, path: string, body?: unknown) => {
        const answer = await call(world, world.owner, method, path, body);
        answers.push([`${method} ${path}`, answer.status, answer.text.slice(0, 300)]);
        return answer;
      };
      const offer = await send('GET', base);
      await send('GET', `${base}/validation`);
      await send('GET', `${base}/compare`);
      await send('GET', `/partner-center/publishers/${world.publisherId}/offers`);
      await send('PUT', `${base}/listing`, { name: 'Repaired' });
      await send('PUT', `${base}/properties`, { categories: [] });
      await send('PUT', `${base}/setup`, { customerLeads: { type: 'none' } });
      await send('POST', `${base}/submit`, {});
      const product = (offer.body.draft as { productId?: string } | undefined)?.productId ?? (offer.body as { productId?: string }).productId;
      if (product !== undefined) await send('GET', `/rp/product-ingestion/resource-tree/product/${product}?$version=2022-03-01-preview5`);
      const failures = answers.filter(([, status]) => status >= 500);
      assert.deepEqual(failures, []);
      assert.equal(offer.status, 200, offer.text);
    });
  }
});
