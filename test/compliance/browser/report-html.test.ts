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
import { FIXTURE_ACK, fixtureApp, FixtureChecks, threeProblemsFixture } from '../report/fixture-app';
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
  expect(order.slice(0, 5)).toEqual(['Summary', 'Legend', 'Evidence runs', 'Packs', 'Checklist sections']);
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

describe("issue #16's fixture run: one failing test, one CI gate not run, one unacknowledged finding", () => {
  const fixture = threeProblemsFixture();

  test('REPORT: report.html shows exactly those three as such, explains every status in a legend, and renders inline code', async () => {
    // GIVEN
    const page = await browser.newPage();
    await page.goto(pathToFileURL(fixture.files.html).href, { waitUntil: 'load' });
    // WHEN
    const statuses = await page.evaluate(() =>
      Object.fromEntries(Array.from(document.querySelectorAll('article.item')).map((a) => [a.id, a.querySelector('.pill')?.className.replace('pill ', '') ?? ''])),
    );
    const count = (selector: string) => page.locator(selector).count();
    // THEN
    expect(statuses).toEqual({ 'T-1': 'enforced', 'T-2': 'failing', 'T-3': 'not-verified', 'T-4': 'failing', 'D-1': 'documented' });
    await expect(count('article.item .pill.test-failed')).resolves.toBe(1);
    await expect(page.locator('article#T-4 .pill.test-failed').isVisible()).resolves.toBe(true);
    await expect(count('article.item .pill.gate-not-run')).resolves.toBe(1);
    await expect(page.locator('article#T-3 .pill.gate-not-run').isVisible()).resolves.toBe(true);
    await expect(count('#unacknowledged > li')).resolves.toBe(1);
    await expect(page.locator('#unacknowledged').innerText()).resolves.toContain('Fixture/Store/Forgotten/Resource');
    await expect(count('dl.legend dt')).resolves.toBe(5);
    await expect(page.locator('dl.legend').innerText()).resolves.toMatch(/Not verified\s+nothing failed, but a mechanism/);
    await expect(page.locator('article#T-4 p.text code').innerText()).resolves.toBe('token');
    await expect(page.locator('article#T-4 p.text').innerText()).resolves.not.toContain('`');
    await page.close();
  });

  test('REPORT: report.html lists each rule\'s compliant resources, collapsed until opened', async () => {
    // GIVEN
    const page = await browser.newPage();
    await page.goto(pathToFileURL(fixture.files.html).href, { waitUntil: 'load' });
    const details = page.locator('article#T-1 details.compliant');
    const resource = details.locator('li', { hasText: 'Fixture/Store/Versioned/Resource' });
    // THEN collapsed by default
    await expect(details.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
    await expect(resource.isVisible()).resolves.toBe(false);
    // WHEN opened
    await details.locator('summary').click();
    // THEN the resource is listed
    await expect(resource.isVisible()).resolves.toBe(true);
    await page.close();
  });
});
