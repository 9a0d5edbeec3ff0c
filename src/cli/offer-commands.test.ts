import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toIngestionResources } from '../core/marketplace/ingestion.js';
import { contosoOffer } from '../core/marketplace/test-fixtures.js';
import { DEMO_IDS } from '../services/demo/demo-ids.js';
import { runOfferCommand, type CliIo } from './offer-commands.js';

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), env, stdout: () => out, stderr: () => err };
}

describe('runOfferCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'offer-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers unknown subcommands, unknown options and missing arguments with usage and exit 2', async () => {
    const usage = [['frobnicate'], ['validate'], ['validate', 'x.json', '--bogus'], ['template', 'offer'], ['publish', 'offer', '--target', 'staging'], ['init', 'a.json', 'b.json'],
      ['template', 'offer', '--plan', 'gold', '--part', 'both'], ['template', 'offer', '--plan', 'gold', '--part', 'template', '--out-dir', 'x']];
    for (const args of usage) {
      const io = capture();
      assert.equal(await runOfferCommand(args, io), 2, args.join(' '));
      assert.match(io.stderr(), /Usage:/);
    }
  });

  it('needs connection settings before calling a server', async () => {
    const io = capture();
    assert.equal(await runOfferCommand(['export', 'contoso-managed-ops'], io), 2);
    assert.match(io.stderr(), /--url \(or LANTERN_URL\) is required/);
  });

  it("init writes the demo world's complete offer and its images, which validate passes, and overwrites nothing without --force", async () => {
    const file = join(dir, 'init', 'contoso-offer.json');
    const io = capture();
    assert.equal(await runOfferCommand(['init', file], io), 0, io.stderr());
    const body = JSON.parse(readFileSync(file, 'utf8')) as { resources: { $schema: string; url?: string; manifests?: { tenantId: string; authorizations: { principalId: string }[] }[] }[] };
    const manifest = body.resources.find((r) => r.manifests !== undefined)!.manifests![0]!;
    assert.equal(manifest.tenantId, DEMO_IDS.contosoTenant);
    assert.deepEqual(manifest.authorizations.map((a) => a.principalId), [DEMO_IDS.contosoL2Engineers, DEMO_IDS.contosoL1Support, DEMO_IDS.contosoOffboarding]);
    const logo = body.resources.find((r) => r.url === 'logo-300.png');
    assert.ok(logo, 'images are files beside the offer, not data URLs');
    assert.ok(existsSync(join(dir, 'init', 'logo-300.png')));
    const validated = capture();
    assert.equal(await runOfferCommand(['validate', file, '--publisher', 'contoso'], validated), 0, validated.stdout());
    assert.match(validated.stdout(), /contoso-offer\.json: valid\n$/);
    // Without --publisher the product's own id stands for its publisher: the file passes as written…
    const unnamed = capture();
    assert.equal(await runOfferCommand(['validate', file], unnamed), 0, unnamed.stdout());
    // …and ids that do not derive from it are still refused, as they are against a named publisher.
    const planId = /"id": "(plan\/[^"]+)"/.exec(readFileSync(file, 'utf8'))![1]!;
    const forged = join(dir, 'init', 'forged-plan-id.json');
    writeFileSync(forged, readFileSync(file, 'utf8').replaceAll(planId, `${planId.slice(0, -12)}000000000000`));
    const refused = capture();
    assert.equal(await runOfferCommand(['validate', forged], refused), 1);
    assert.match(refused.stdout(), /is not the durable id of plan "gold"|does not name a plan of this offer/);
    const other = capture();
    assert.equal(await runOfferCommand(['validate', file, '--publisher', 'fabrikam'], other), 1, 'another publisher\'s ids are not contoso\'s');
    assert.match(other.stdout(), /is not the durable id of offer "contoso-managed-ops"/);

    writeFileSync(file, '{}');
    const again = capture();
    assert.equal(await runOfferCommand(['init', file], again), 1);
    assert.match(again.stderr(), /already exist.*nothing was written \(--force overwrites\)/);
    assert.equal(readFileSync(file, 'utf8'), '{}');
    assert.equal(await runOfferCommand(['init', file, '--force'], capture()), 0);
    assert.notEqual(readFileSync(file, 'utf8'), '{}');
  });

  it('reports violations as JSON with --json and exits 1', async () => {
    const file = join(dir, 'no-plans.json');
    writeFileSync(file, JSON.stringify(toIngestionResources({ ...contosoOffer(), plans: [] })));
    const io = capture();
    assert.equal(await runOfferCommand(['validate', file, '--publisher', 'contoso', '--json'], io), 1);
    const report = JSON.parse(io.stdout()) as { valid: boolean; violations: { rule: string }[] };
    assert.equal(report.valid, false);
    assert.ok(report.violations.some((v) => v.rule === 'plans.required'));
  });
});
