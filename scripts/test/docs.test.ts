// The docs site, opened as a reader would: headless Chromium (Debian's, no downloaded browser)
// against the built site served on localhost. Saves a screenshot of the index to artifacts/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProviders } from '../lib/providers.js';
import { specExamples } from '../testing/examples.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const site = mkdtempSync(join(tmpdir(), 'provider-sdk-site-'));
const profile = mkdtempSync(join(tmpdir(), 'provider-sdk-chromium-'));
let server: Server;
let base: string;
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/install-system-deps.sh)`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'docs.ts'), '--out', site], { stdio: 'pipe' });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(site, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(site) || !existsSync(file)) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html; charset=utf-8' : 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(site, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('the docs site in headless Chromium', () => {
  it('lists every package with its install line, operation count and stability, and saves a screenshot', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/index.html`);
    for (const p of allProviders()) {
      const row = page.locator(`tr[data-package="${p.npmName}"]`);
      await expect(row.locator('code').first().textContent()).resolves.toBe(`npm i ${p.npmName}`);
      await expect(row.locator('td.operations').textContent()).resolves.toBe(String(specExamples(p.name).model.operations.length));
    }
    await expect(page.locator('tr[data-package="@provider-sdk/pax8-v3"] td.unstable').count()).resolves.toBe(1);
    await expect(page.locator('tr[data-package="@provider-sdk/enhance"] td.stable').count()).resolves.toBe(1);
    mkdirSync(join(ROOT, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'artifacts', 'docs-index.png'), fullPage: true });
    expect(readFileSync(join(ROOT, 'artifacts', 'docs-index.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('renders the API reference with every operation of the spec, and opens one', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/index.html`);
    await page.click('tr[data-package="@provider-sdk/enhance"] a:text("API reference")');
    await page.waitForURL(/enhance\/reference\.html/);
    // Redoc renders client-side, one tag's section at a time: open each tag and read its operations.
    const { model } = specExamples('enhance');
    const operations = model.operations;
    let text = '';
    for (const tag of model.tags) {
      await page.locator(`a[href="/${tag.name}"]`).first().click();
      const first = `${tag.operations[0]!.method}\n${tag.operations[0]!.path}`;
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, line breaks and all, is what a reader sees.
      await expect.poll(() => page.locator('body').innerText(), { timeout: 30_000 }).toContain(first);
      // biome-ignore lint/performance/useDomNodeTextContent: as above.
      text += await page.locator('body').innerText();
    }
    for (const op of operations) expect(text, op.id).toContain(`${op.method}\n${op.path}`);
    await page.locator(`a[href="/${model.tags[0]!.name}"]`).first().click();
    await page.getByText(operations[0]!.path, { exact: true }).first().click();
    await page.getByText(operations[0]!.summary!, { exact: true }).first().waitFor({ timeout: 15_000 });
  });

  it('renders a package README with its generated API table', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/enhance/index.html`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('@provider-sdk/enhance');
    await expect(page.locator('table td code', { hasText: 'getOrgCustomers' }).count()).resolves.toBeGreaterThan(0);
  });
});
