/**
 * A flood of device-code requests: each one is stored until it expires, so one source address gets
 * 120 an hour and then 429 (AADSTS50196, Retry-After) with nothing stored, however the requests
 * race; another address is not held back by it, and the first gets in again as its bucket refills.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { offsetClock } from '../identity/support.js';

const AZURE_CLI = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const SCOPE = 'https://management.azure.com/user_impersonation';
const PER_HOUR = 120;

interface Answer { readonly status: number; readonly retryAfter: string | undefined; readonly body: Record<string, unknown> }

for (const database of testDatabases()) {
  describe(`device-code flood (${database.name})`, () => {
    const clock = offsetClock();
    let lantern: TestLantern;
    let tenantId: string;

    // POST /devicecode from `localAddress` (any address of 127.0.0.0/8 reaches the loopback listener).
    const startDevice = (localAddress = '127.0.0.1') => new Promise<Answer>((resolve, reject) => {
      const url = new URL(`${lantern.baseUrl}/${tenantId}/oauth2/v2.0/devicecode`);
      const body = new URLSearchParams({ client_id: AZURE_CLI, scope: SCOPE }).toString();
      const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(body);
    });
    const storedDeviceCodes = async () => (await lantern.services.store.documents.list('identity.deviceCodes')).length;

    before(async () => {
      lantern = await startTestLantern(database, { clock });
      tenantId = (await lantern.services.identity.directory.createTenant({ displayName: 'Flood', defaultDomain: `flood-${Date.now()}.example` })).id;
    });
    after(() => lantern.stop());

    it(`answers ${PER_HOUR} racing requests from one address and refuses the rest, storing nothing for them`, async () => {
      const answers = await Promise.all(Array.from({ length: PER_HOUR + 15 }, () => startDevice()));
      assert.equal(answers.filter((a) => a.status === 200).length, PER_HOUR);
      const refused = answers.filter((a) => a.status !== 200);
      assert.equal(refused.length, 15);
      for (const a of refused) {
        assert.equal(a.status, 429);
        assert.equal(a.body.error, 'temporarily_unavailable');
        assert.deepEqual(a.body.error_codes, [50196]);
        // A token comes back every 30 seconds (120 an hour), counted from the moment the bucket ran dry.
        const seconds = Number(a.retryAfter);
        assert.ok(seconds >= 1 && seconds <= 30, `Retry-After ${a.retryAfter}`);
        assert.match(String(a.body.error_description), new RegExp(`^AADSTS50196: .*too many device codes.*Try again in ${seconds} seconds`));
      }
      assert.equal(await storedDeviceCodes(), PER_HOUR, 'one stored device code per answer given');
    });

    it('does not hold back another address, and lets the first in again once its bucket refills', async () => {
      assert.equal((await startDevice('127.0.0.2')).status, 200, 'another address');
      assert.equal((await startDevice()).status, 429, 'still refused');
      clock.advance(30);
      assert.equal((await startDevice()).status, 200, 'one more after 30 seconds');
      assert.equal((await startDevice()).status, 429);
    });
  });
}
