// Concurrent writers against the invariants of the multi-step workflows (issue 11 §3), on both
// databases, over real HTTP as the demo world's users: one acquisition per plan and subscription
// delegated with one registration definition; one decision per PIM approval and no activation that
// outlives its delegation; one submission of an offer at a time, whether submitted directly or by
// product-ingestion configure jobs. Each test asserts the invariant and that every acknowledged
// write is what is stored. LANTERN_SOAK=1 runs more writers and rounds (`npm run soak`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { READER, VIRTUAL_MACHINE_CONTRIBUTOR } from '../../src/core/roles/builtin-catalog.js';
import { toIngestionResources } from '../../src/core/marketplace/ingestion.js';
import { DEMO_IDS } from '../../src/services/demo/demo-world.js';
import { marketplaceDocs } from '../../src/services/marketplace/records.js';
import { testDatabases } from '../support/databases.js';
import { startTestLantern, type TestLantern } from '../support/lantern.js';
import { call, demoOffer, publishOffer, seedDemo, type DemoWorld, type Reply } from '../support/demo-offer.js';
import { startLeadEndpoint } from '../marketplace/support.js';

const SOAK = process.env.LANTERN_SOAK === '1';
const WRITERS = SOAK ? 48 : 24;
const ROUNDS = SOAK ? 5 : 3;

const MS = 'providers/Microsoft.ManagedServices';
const AUTH = 'providers/Microsoft.Authorization';
const V = 'api-version=2022-10-01';
const PIM = 'api-version=2020-10-01';
const APPROVALS = 'api-version=2021-01-01-preview';
const INGESTION = '$version=2022-03-01-preview2';
const FAB = `/subscriptions/${DEMO_IDS.fabrikamProduction}`;
const NW = `/subscriptions/${DEMO_IDS.northwindDev}`;
const OFFER = 'contoso.contoso-managed-ops';
const ADMIN = 'admin@contoso.example';
const ALICE = 'alice@contoso.example';
const FAB_OWNER = 'owner@fabrikam.example';
const NW_OWNER = 'owner@northwind.example';

const all = <T>(count: number, write: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: count }, (_, i) => write(i)));
const codes = (replies: readonly Reply[]) => [...new Set(replies.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.body?.error?.code ?? r.body?.code ?? JSON.stringify(r.body)}`))].sort();

for (const database of testDatabases()) {
  describe(`concurrent writers keep every workflow invariant (${database.name})`, () => {
    let lantern: TestLantern;
    let demo: DemoWorld;
    let leads: Awaited<ReturnType<typeof startLeadEndpoint>>;
    const as = async (upn: string, method: string, path: string, body?: unknown) => call(lantern, await demo.token(upn), method, path, body);

    before(async () => {
      leads = await startLeadEndpoint();
      lantern = await startTestLantern(database, { marketplace: { allowPrivateLeadEndpoints: true } });
      demo = await seedDemo(lantern);
      await publishOffer(lantern, await demo.token(ADMIN), demoOffer(demo, leads.url));
      // Signed in one by one before the races: the token endpoint checks few sign-ins per address at once.
      for (const upn of [ADMIN, ALICE, FAB_OWNER, NW_OWNER]) await demo.token(upn);
    });
    after(async () => {
      await lantern.stop();
      await leads.stop();
    });

    it('keeps one acquisition per plan and subscription, delegated with one registration definition and one assignment per scope', async () => {
      const { store } = lantern.services;
      for (const [upn, sub, scope] of [[NW_OWNER, NW, NW], [FAB_OWNER, FAB, `${FAB}/resourceGroups/rg-data`]] as const) {
        const accepted = await all(WRITERS, () => as(upn, 'POST', `/marketplace${sub}/acquisitions`, { offerId: OFFER, planId: 'gold', acceptLegalTerms: true }));
        assert.deepEqual(codes(accepted), [], 'accepting the same terms again is idempotent');
        const ids = new Set(accepted.map((r) => r.body.id as string));
        assert.equal(ids.size, 1, 'one acquisition of the plan for the subscription');
        const [id] = [...ids];
        const delegated = await all(WRITERS, () => as(upn, 'POST', `/marketplace${sub}/acquisitions/${id}/delegate`, { scopes: [scope] }));
        for (const code of codes(delegated)) assert.match(code, /^409 (Conflict|AcquisitionChanged)$/, 'a losing delegation is told to retry');
        const ok = delegated.filter((r) => r.status === 200);
        assert.ok(ok.length >= 1);
        const acquisition = (await as(upn, 'GET', `/marketplace${sub}/acquisitions/${id}`)).body as { registrationDefinitionId: string; scopes: { scope: string; registrationAssignmentId: string }[] };
        assert.deepEqual(new Set(ok.map((r) => r.body.registrationDefinitionId as string)), new Set([acquisition.registrationDefinitionId]), 'every acknowledged delegation names the stored definition');
        const withPlan = (await store.delegation.listDefinitions(sub.split('/')[2])).filter((d) => d.plan?.product === 'contoso-managed-ops');
        assert.deepEqual(withPlan.map((d) => d.id), [acquisition.registrationDefinitionId.split('/').at(-1)], 'one registration definition for the acquisition');
        const here = (await store.delegation.listAssignments(scope)).filter((a) => a.scope.toLowerCase() === scope.toLowerCase());
        assert.equal(here.length, 1, 'one registration assignment at the scope');
        assert.deepEqual(acquisition.scopes.map((s) => s.registrationAssignmentId.split('/').at(-1)), here.map((a) => a.id));
      }
    });

    it('decides a PIM approval once, and no activation outlives the delegation it came from', async () => {
      const { store } = lantern.services;
      const rg = `${FAB}/resourceGroups/rg-web`;
      const l2 = demo.id('Contoso L2 Engineers');
      const definition = randomUUID();
      const definitionId = `${FAB}/${MS}/registrationDefinitions/${definition}`;
      const put = await as(FAB_OWNER, 'PUT', `${definitionId}?${V}`, {
        properties: {
          registrationDefinitionName: 'Contoso JIT (races)',
          managedByTenantId: DEMO_IDS.contosoTenant,
          authorizations: [{ principalId: l2, roleDefinitionId: READER }],
          eligibleAuthorizations: [{
            principalId: l2, roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR,
            justInTimeAccessPolicy: { multiFactorAuthProvider: 'None', maximumActivationDuration: 'PT2H', managedByTenantApprovers: [{ principalId: demo.id(ADMIN) }] },
          }],
        },
      });
      assert.equal(put.status, 201, JSON.stringify(put.body));
      for (let round = 0; round < ROUNDS; round++) {
        const assignment = `${rg}/${MS}/registrationAssignments/${randomUUID()}`;
        assert.equal((await as(FAB_OWNER, 'PUT', `${assignment}?${V}`, { properties: { registrationDefinitionId: definitionId } })).status, 201);
        const request = await as(ALICE, 'PUT', `${rg}/${AUTH}/roleAssignmentScheduleRequests/${randomUUID()}?${PIM}`, {
          properties: { principalId: demo.id(ALICE), roleDefinitionId: VIRTUAL_MACHINE_CONTRIBUTOR, requestType: 'SelfActivate', justification: `race round ${round}`, scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } } },
        });
        assert.equal(request.status, 201, JSON.stringify(request.body));
        const approvalId = request.body.properties.approvalId as string;
        const stage = ((await as(ADMIN, 'GET', `${approvalId}?${APPROVALS}`)).body.properties.stages as { id: string }[])[0]!.id;
        // Every other round, the customer removes the delegation while the approver's reviews race.
        const offboard = round % 2 === 1;
        const writes = await all(WRITERS, (i) =>
          offboard && i === Math.floor(WRITERS / 2)
            ? as(FAB_OWNER, 'DELETE', `${assignment}?${V}`)
            : as(ADMIN, 'PUT', `${stage}?${APPROVALS}`, { properties: { reviewResult: i % 2 === 0 ? 'Approve' : 'Deny', justification: `review ${i}` } }),
        );
        const reviews = writes.filter((_, i) => !(offboard && i === Math.floor(WRITERS / 2)));
        const decided = reviews.filter((r) => r.status === 200);
        assert.ok(decided.length <= 1, `one review decides the approval, ${decided.length} did`);
        for (const code of codes(reviews)) assert.match(code, /^(409 RoleAssignmentApprovalStageCompleted|403 RoleAssignmentDoesNotExist)$/);
        const activations = (await store.delegation.listActivations()).filter((a) => a.justification === `race round ${round}`);
        const assignments = new Set((await store.delegation.listAssignments(rg)).map((a) => `${a.scope.toLowerCase()}|${a.id.toLowerCase()}`));
        for (const a of await store.delegation.listActivations()) {
          assert.ok(assignments.has(`${a.assignmentScope.toLowerCase()}|${a.registrationAssignmentId.toLowerCase()}`), `activation ${a.id} has its registration assignment`);
        }
        const approved = decided[0]?.body.properties.reviewResult === 'Approve';
        const gone = offboard && !assignments.has(`${rg.toLowerCase()}|${assignment.split('/').at(-1)}`);
        assert.equal(activations.length, approved && !gone ? 1 : 0, 'an approval that held activated once; a removed delegation took its activation with it');
        if (!gone) assert.equal((await as(FAB_OWNER, 'DELETE', `${assignment}?${V}`)).status, 200);
      }
    });

    it('runs one submission of an offer at a time: direct submits and configure jobs that submit, at once', async () => {
      const { store, marketplace } = lantern.services;
      const admin = await demo.token(ADMIN);
      const offer = demoOffer(demo, leads.url);
      const configureBody = toIngestionResources(offer, { submit: 'preview' });
      for (let round = 0; round < ROUNDS; round++) {
        await marketplace.idle();
        const versionsBefore = (await marketplaceDocs(store).listVersions('contoso', 'contoso-managed-ops')).length;
        const half = Math.floor(WRITERS / 2);
        const [submits, jobs] = await Promise.all([
          all(half, () => call(lantern, admin, 'POST', '/partner-center/publishers/contoso/offers/contoso-managed-ops/submit', {})),
          all(WRITERS - half, () => call(lantern, admin, 'POST', `/rp/product-ingestion/configure?${INGESTION}&publisherId=contoso`, configureBody)),
        ]);
        for (const code of codes(submits)) assert.match(code, /^409 /, 'a submit that lost is a conflict');
        assert.ok(jobs.every((j) => j.status === 202), codes(jobs).join(', '));
        await marketplace.idle();
        const details = await Promise.all(jobs.map((j) => call(lantern, admin, 'GET', `/rp/product-ingestion/configure/${j.body.jobId as string}?${INGESTION}`)));
        assert.ok(details.every((d) => d.body.jobStatus === 'completed'), 'every configure job ended');
        const jobSubmissions = details.filter((d) => d.body.jobResult === 'succeeded' && d.body.publishJobId !== undefined);
        const acknowledged = submits.filter((r) => r.status === 202).length + jobSubmissions.length;
        const versions = await marketplaceDocs(store).listVersions('contoso', 'contoso-managed-ops');
        assert.equal(acknowledged, 1, `one submission is accepted, ${acknowledged} were`);
        assert.equal(versions.length, versionsBefore + 1, 'and one version is snapshotted for it');
        assert.equal(new Set(versions.map((v) => v.number)).size, versions.length, 'version numbers are unique');
        // The winner ran to preview (or failed a step: the lead check has a deadline a loaded machine can miss);
        // a preview is signed off so the next round can submit again.
        const record = await marketplaceDocs(store).getOffer('contoso', 'contoso-managed-ops');
        const running = record?.publication.submission;
        if (running !== undefined) {
          assert.equal(running.version, versionsBefore + 1, 'the submission runs the version snapshotted for it');
          assert.equal((await call(lantern, admin, 'POST', '/partner-center/publishers/contoso/offers/contoso-managed-ops/go-live', {})).status, 202);
          await marketplace.idle();
        } else {
          assert.ok(record?.publication.lastFailure, `the submission ended in a reported failure: ${JSON.stringify(record?.publication)}`);
        }
      }
    });
  });
}
