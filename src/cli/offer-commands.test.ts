import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toIngestionResources } from '../core/marketplace/ingestion.js';
import { contosoOffer } from '../core/marketplace/test-fixtures.js';
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
    for (const args of [['frobnicate'], ['validate'], ['validate', 'x.json', '--bogus'], ['template', 'offer'], ['publish', 'offer', '--target', 'staging']]) {
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
