// The Azure CLI against Lantern, the way it reaches Azure Stack Hub (docs/azure-clients.md §4):
// `az cloud register` reads /metadata/endpoints, `az login --service-principal` signs in through the
// ADFS-style authority, then accounts, resource groups, a Lighthouse onboarding deployment and
// `az managedservices`. Runs when `az` is installed; otherwise skipped with how to get it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { childEnv } from '../support/cli.js';
import { freePort } from '../support/lantern.js';
import { LIGHTHOUSE_SAMPLES, SKIP_WITHOUT_SAMPLES } from '../support/shared-data.js';

const run = promisify(execFile);
const AZ_FOUND = (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'az')));
const SKIP = AZ_FOUND ? false : "az not found: install the Azure CLI (Debian: apt-get install -y azure-cli) to run the az conformance test";
const SYSTEM_CAS = '/etc/ssl/certs/ca-certificates.crt';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
// The Azure-Lighthouse-samples onboarding template when the samples are found, else Lantern's own.
const TEMPLATE = SKIP_WITHOUT_SAMPLES === false
  ? join(LIGHTHOUSE_SAMPLES, 'templates/delegated-resource-management/subscription/subscription.json')
  : new URL('fixtures/lighthouse-subscription.json', import.meta.url).pathname;

interface DemoCredentials {
  tenants: { name: string; tenantId: string }[];
  groups: { displayName: string; objectId: string }[];
  servicePrincipals: { displayName: string; tenant: string; clientId: string; clientSecret: string }[];
}

describe('the Azure CLI against Lantern', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-az-'));
  let server: ChildProcess | undefined;
  let port = 0;
  const env = () => ({ ...process.env, AZURE_CONFIG_DIR: join(dir, 'az'), REQUESTS_CA_BUNDLE: join(dir, 'bundle.pem'), AZURE_CORE_COLLECT_TELEMETRY: 'false', AZURE_CORE_NO_COLOR: 'true' });
  const az = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run('az', [...args, '--only-show-errors', '-o', 'json'], { env: env(), maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim() === '' ? undefined : JSON.parse(stdout);
  };

  before(async () => {
    port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--demo', '--data-dir', join(dir, 'data'), '--http-port', '0', '--https-port', String(port), '--public-url', url, '--log-level', 'warn'], { env: childEnv({}) });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('lantern demo --json')) resolve();
      });
      server?.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    // REQUESTS_CA_BUNDLE replaces the CA list: the system's, plus Lantern's certificate.
    const cert = readFileSync(join(dir, 'data', 'tls', 'cert.pem'), 'utf8');
    writeFileSync(join(dir, 'bundle.pem'), `${existsSync(SYSTEM_CAS) ? readFileSync(SYSTEM_CAS, 'utf8') : ''}\n${cert}`);
  });
  after(() => {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the cloud, signs a service principal in, lists, deploys a Lighthouse onboarding, lists the delegation', async () => {
    const demo = JSON.parse(readFileSync(join(dir, 'data', 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const deployer = demo.servicePrincipals.find((s) => s.displayName === 'fabrikam-deployer');
    const fabrikam = demo.tenants.find((t) => t.name === 'Fabrikam');
    const contoso = demo.tenants.find((t) => t.name === 'Contoso');
    const engineers = demo.groups.find((g) => g.displayName === 'Contoso L2 Engineers');
    assert.ok(deployer && fabrikam && contoso && engineers);

    await az('cloud', 'register', '-n', 'Lantern', '--endpoint-resource-manager', `https://127.0.0.1:${port}/`);
    const cloud = (await az('cloud', 'show', '-n', 'Lantern')) as { endpoints: Record<string, string> };
    assert.equal(cloud.endpoints.activeDirectory, `https://127.0.0.1:${port}/adfs`, 'the login endpoint comes from /metadata/endpoints');
    await az('cloud', 'set', '-n', 'Lantern');
    const login = (await az('login', '--service-principal', '-u', deployer.clientId, '-p', deployer.clientSecret, '--tenant', fabrikam.tenantId)) as { tenantId: string }[];
    assert.deepEqual(login.map((s) => s.tenantId), [fabrikam.tenantId]);

    const accounts = (await az('account', 'list')) as { name: string; id: string }[];
    assert.deepEqual(accounts.map((a) => a.name), ['Fabrikam Production']);
    const groups = (await az('group', 'list')) as { name: string }[];
    assert.deepEqual(groups.map((g) => g.name).sort(), ['rg-data', 'rg-network', 'rg-web']);

    const parameters = join(dir, 'onboard.parameters.json');
    writeFileSync(parameters, JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#',
      contentVersion: '1.0.0.0',
      parameters: {
        mspOfferName: { value: 'Contoso Managed Operations' },
        mspOfferDescription: { value: 'Contoso operates this subscription' },
        managedByTenantId: { value: contoso.tenantId },
        authorizations: { value: [{ principalId: engineers.objectId, principalIdDisplayName: engineers.displayName, roleDefinitionId: CONTRIBUTOR }] },
      },
    }));
    const deployment = (await az('deployment', 'sub', 'create', '--name', 'onboard-contoso', '--location', 'westeurope', '--template-file', TEMPLATE, '--parameters', `@${parameters}`)) as { properties: { provisioningState: string } };
    assert.equal(deployment.properties.provisioningState, 'Succeeded');

    const definitions = (await az('managedservices', 'definition', 'list')) as { properties: { managedByTenantId: string; registrationDefinitionName: string } }[];
    assert.deepEqual(definitions.map((d) => [d.properties.registrationDefinitionName, d.properties.managedByTenantId]), [['Contoso Managed Operations', contoso.tenantId]]);
    const assignments = (await az('managedservices', 'assignment', 'list')) as { properties: { provisioningState: string } }[];
    assert.deepEqual(assignments.map((a) => a.properties.provisioningState), ['Succeeded']);
  });
});
