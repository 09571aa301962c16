/**
 * The auditor page in a real browser: the Chromium of the @sparticuz/chromium npm package (./chromium.ts)
 * driven by playwright-core (no browser download, no system browser).
 * The page comes from a synthesis of the fixture app against the kit's real checklist, so every checklist
 * id must be on it whatever the stacks' state.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Browser } from 'playwright-core';
import { CHECKLIST } from '../../../lib/compliance/checklist';
import { AuditedSynthesisError, synthesizeWithAudit } from '../../../lib/compliance/report';
import { FIXTURE_ACK, fixtureApp, FixtureChecks } from '../report/fixture-app';
import { launchChromium } from './chromium';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

let browser: Browser;
let htmlFile: string;

beforeAll(async () => {
  const { app, outdir } = fixtureApp({ violating: true });
  try {
    synthesizeWithAudit(app, { packs: [new FixtureChecks(app), new AwsSolutionsChecks(app)], acknowledgments: [FIXTURE_ACK], repoRoot: REPO_ROOT });
  } catch (e) {
    if (!(e instanceof AuditedSynthesisError)) throw e;
  }
  htmlFile = join(outdir, 'audit', 'report.html');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

test('REPORT: report.html loads in Chromium without console errors or requests, shows every checklist id, and is kept as a screenshot', async () => {
  // GIVEN
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  // WHEN
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
  // THEN
  expect(await page.title()).toBe('mcp-perimeter auditor report');
  const text = await page.locator('body').innerText();
  for (const item of CHECKLIST) {
    await expect(page.locator(`article#${item.id} .id`).isVisible()).resolves.toBe(true);
    expect(text).toContain(item.id);
  }
  expect(problems).toEqual([]);
  expect(requests).toEqual([]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: false });
  await page.close();
});

test('REPORT: report.html prints: the summary comes first and every item is on the printed pages', async () => {
  // GIVEN
  const page = await browser.newPage();
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  // WHEN
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const order = await page.evaluate(() => Array.from(document.querySelectorAll('h2')).map((h) => h.textContent ?? ''));
  // THEN
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10_000);
  expect(order.slice(0, 3)).toEqual(['Summary', 'Packs', 'Checklist sections']);
  await page.close();
});

test('REPORT: report.html is self-contained: no script, no external stylesheet, image or font', () => {
  // GIVEN
  const html = readFileSync(htmlFile, 'utf8');
  // THEN
  expect(html).not.toMatch(/<script|<link\b|<img\b|<iframe|@import|url\(/i);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
});
