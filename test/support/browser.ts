/**
 * The portal in a real browser, for every browser test: a whole Lantern over HTTPS with the demo world
 * seeded, and Debian's Chromium driven by playwright-core. The browser trusts exactly the test
 * server's key (an SPKI pin); no certificate check is switched off. Users sign in through Lantern's
 * real sign-in page with MSAL (authorization code with PKCE). `review` checks the page with axe-core
 * (no serious or critical violation) and saves its screenshot at 1280×800 into docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WEB_BUILD_DIR } from '../../src/http/routes/portal-app-route.js';
import { testDatabases } from './databases.js';
import { startTestLantern, type TestLantern } from './lantern.js';
import { seedDemo, type DemoWorld } from './demo-offer.js';

type LanternOptions = Parameters<typeof startTestLantern>[1];

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** `false`, or why browser tests skip here (for `describe(…, { skip })`). */
export const browserSkip: string | false = existsSync(CHROMIUM) ? false : `no browser: ${CHROMIUM} is absent (apt-get install -y chromium)`;

/** base64(SHA-256(SPKI)) of the test certificate: Chromium accepts that key and no other. */
function spkiPin(certPath: string): string {
  const spki = new X509Certificate(readFileSync(certPath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] }

/** axe-core's serious and critical violations on the page as it is now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page (this project's types have no DOM): the whole document.
    const page = globalThis as unknown as { axe: { run: (context: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return (await page.axe.run(page.document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.html.slice(0, 120)).join(', ')}`);
}

export interface PortalWorld {
  readonly lantern: TestLantern;
  readonly demo: DemoWorld;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages of script errors the pages raised; a test ends by asserting it is empty. */
  readonly pageErrors: string[];
  /** Checks the page with axe-core and saves its screenshot as docs/screenshots/{name}.png. */
  review(name: string): Promise<void>;
  /** Signs `upn` in from the portal's landing page through Lantern's sign-in page (screenshotted as `screenshot` if given). */
  signIn(upn: string, screenshot?: string): Promise<void>;
  signOut(): Promise<void>;
  stop(): Promise<void>;
}

/** A Lantern on SQLite with the demo world, and a browser on its portal. */
export async function startPortalWorld(options: LanternOptions = {}): Promise<PortalWorld> {
  assert.ok(existsSync(join(WEB_BUILD_DIR, 'index.html')), 'the portal is built (npm run build)');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const sqlite = testDatabases().find((d) => d.name === 'sqlite')!;
  const lantern = await startTestLantern(sqlite, options);
  const demo = await seedDemo(lantern);
  const profile = mkdtempSync(join(tmpdir(), 'lantern-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...ARGS, `--ignore-certificate-errors-spki-list=${spkiPin(process.env.LANTERN_TEST_TLS_CERT!)}`],
    viewport: { width: 1280, height: 800 },
    // Fluent's buttons fade their colours when they become enabled; axe-core sampling one mid-fade
    // reports a contrast it never settles at. With reduced motion they change at once.
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const review = async (name: string) => {
    assert.deepEqual(await accessibilityProblems(page), [], `axe-core on ${name} (${page.url()})`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  };
  return {
    lantern, demo, context, page, pageErrors, review,
    async signIn(upn, screenshot) {
      await page.goto(`${lantern.baseUrl}/`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
      await page.getByLabel('User name (e-mail address)').fill(upn);
      await page.getByLabel('Password').fill(demo.credentials.users.find((u) => u.userPrincipalName === upn)!.password);
      if (screenshot) await review(screenshot);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('banner').getByText(upn, { exact: false }).waitFor();
    },
    async signOut() {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    },
    async stop() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await lantern.stop();
    },
  };
}
