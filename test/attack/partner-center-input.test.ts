/**
 * Issue 11.6: Partner Center refuses values of the wrong case or type at the edge (the route's
 * schema), so nothing is stored that a later call cannot read: the offer keeps answering 200.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../support/databases.js';
import { call, startWorld, type World } from '../marketplace/support.js';

const database = testDatabases()[0]!;
const offer = '/partner-center/publishers/contoso/offers/strict-input';

describe('Partner Center input is checked strictly (sqlite)', () => {
  let world: World;

  before(async () => {
    world = await startWorld(database);
    assert.equal((await call(world, world.owner, 'POST', '/partner-center/publishers/contoso/offers', { offerId: 'strict-input', alias: 'Strict input' })).status, 201);
  });
  after(async () => world.stop());

  const readsStillWork = async () => {
    for (const path of [offer, `${offer}/validation`, `${offer}/compare`]) {
      const answer = await call(world, world.owner, 'GET', path);
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 300)}`);
    }
  };

  it('refuses a lead destination type of the wrong case, naming the field', async () => {
    const answer = await call(world, world.owner, 'PUT', `${offer}/setup`, { customerLeads: { type: 'None' } });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.error.code, 'InvalidRequestContent');
    assert.match(String(answer.body.error.message), /customerLeads\/type/);
    await readsStillWork();
  });

  it('refuses wrong types in listing, properties, setup and manifest fields', async () => {
    for (const [path, body] of [
      [`${offer}/listing`, { name: 42 }],
      [`${offer}/listing`, { usefulLinks: 'https://contoso.example' }],
      [`${offer}/listing`, { supportContact: { name: 'a', email: 'b' } }],
      [`${offer}/listing`, { unknownField: 'x' }],
      [`${offer}/properties`, { categories: [{ category: 'monitoring', subcategories: 'x' }] }],
      [`${offer}/properties`, { categories: [], terms: { kind: 'TEXT', text: 'x' } }],
      [`${offer}/setup`, { customerLeads: { type: 'email', contactEmails: 'a@contoso.example' } }],
    ] as const) {
      const answer = await call(world, world.owner, 'PUT', path, body);
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(body)}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'InvalidRequestContent');
    }
    await readsStillWork();
  });

  it('stores a destination with exactly its type’s fields, missing ones empty for the core to report', async () => {
    const answer = await call(world, world.owner, 'PUT', `${offer}/setup`, { customerLeads: { type: 'httpsEndpoint', objectIdentifier: 'stray' } });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.draft.setup.customerLeads, { type: 'httpsEndpoint', httpsEndpointUrl: '', contactEmails: [] });
    const validation = await call(world, world.owner, 'GET', `${offer}/validation`);
    assert.equal(validation.status, 200);
    assert.ok(JSON.stringify(validation.body).includes('setup.customerLeads.httpsEndpointUrl'));
    await readsStillWork();
  });
});
