import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDefaultCredentials, scanText } from '../../../scripts/check-default-credentials';
import { lockfileProblems } from '../../../scripts/check-lockfile';
import { CI_GATES, gitState, locateGate, readCiSources, readGateResult, writeGateResult } from '../../../lib/compliance/report';
import { recordGate } from '../../../scripts/record-gate';
import { completeFixtureRepo, fixtureRepo } from './fixture-app';

const REPO_ROOT = join(__dirname, '..', '..', '..');
// Built at run time so that no scanner finds a token-shaped literal in this file.
const FAKE_TOKEN = ['mcp', '_', 'Zq8', 'x'.repeat(20), 'K2v9', 'y'.repeat(16)].join('');

test('AUTH-6: no default token or password exists in the repository outside test fixtures', () => {
  // WHEN the AUTH-6 gate scans the repository
  const found = findDefaultCredentials(REPO_ROOT);
  // THEN
  expect(found).toEqual([]);
});

test('AUTH-6: the default-credential scan catches tokens, secret env values and defaults, config secrets and URL credentials', () => {
  // GIVEN
  const cases: Array<[string, string, string]> = [
    ['lib/x.ts', `const DEFAULT = '${FAKE_TOKEN}';`, 'token-literal'],
    ['.env.example', 'ADMIN_PASSWORD=hunter22', 'secret-env-value'],
    ['Dockerfile', 'ENV MCP_API_TOKEN abcdef123', 'secret-env-value'],
    ['lib/y.ts', "const t = process.env.MCP_TOKEN ?? 'letmein';", 'secret-env-default'],
    ['lib/config/presets/a.json', '{ "apiKey": "0123456789" }', 'secret-config-value'],
    ['README.md', ['postgres', '://admin:', 's3cret', '@db:5432/x'].join(''), 'url-credentials'],
  ];
  // THEN each is caught, and its secret is masked in the excerpt
  for (const [file, text, rule] of cases) {
    const found = scanText(text, file);
    expect(found.map((f) => f.rule)).toEqual([rule]);
    expect(found[0].line).toBe(1);
  }
  expect(scanText(`const DEFAULT = '${FAKE_TOKEN}';`, 'lib/x.ts')[0].excerpt).not.toContain(FAKE_TOKEN);
});

test('AUTH-6: references and placeholders are not default credentials', () => {
  // THEN
  expect(scanText('export ADMIN_PASSWORD="$FROM_SSM"', 'run.sh')).toEqual([]);
  expect(scanText("const t = process.env.MCP_TOKEN ?? '<none>';", 'lib/y.ts')).toEqual([]);
  expect(scanText('{ "token": "${TOKEN}" }', 'a.json')).toEqual([]);
  expect(scanText('tokenPrefix: mcp_ (short)', 'README.md')).toEqual([]);
  expect(scanText('https://example.com/path@v1', 'README.md')).toEqual([]);
});

test('AUTH-6: test files are fixtures and are not scanned; the rest of the tree is', () => {
  // GIVEN
  const root = fixtureRepo({
    'test/x.test.ts': `const t = '${FAKE_TOKEN}';`,
    'test/fixtures/tokens.ts': `export const T = '${FAKE_TOKEN}';`,
    'lib/leak.ts': `export const T = '${FAKE_TOKEN}';`,
  });
  // WHEN
  const found = findDefaultCredentials(root);
  // THEN
  expect(found.map((f) => f.file)).toEqual(['lib/leak.ts']);
});

test('SUPPLY-1: the lock check passes a pinned lock file installed with npm ci and audited, and names each problem otherwise', () => {
  // GIVEN a good repository
  const pkg = { dependencies: { zod: '^4.1.0' } };
  const lock = {
    lockfileVersion: 3,
    packages: { '': pkg, 'node_modules/zod': { version: '4.1.0', resolved: 'https://registry.npmjs.org/zod/-/zod-4.1.0.tgz', integrity: 'sha512-x' } },
  };
  const good = fixtureRepo({
    'package.json': JSON.stringify(pkg),
    'package-lock.json': JSON.stringify(lock),
    '.ci/run': 'npm ci\nbash scripts/audit.sh\n',
    'scripts/audit.sh': 'npm audit --omit=dev --audit-level=high\n',
  });
  // THEN
  expect(lockfileProblems(good)).toEqual([]);
  // AND a bad one fails on each point
  const bad = fixtureRepo({
    'package.json': JSON.stringify({ dependencies: { zod: '^4.2.0' } }),
    'package-lock.json': JSON.stringify({ ...lock, packages: { ...lock.packages, 'node_modules/zod': { version: '4.1.0', resolved: 'x' } } }),
    '.ci/run': 'npm install\n',
  });
  expect(lockfileProblems(bad)).toEqual([
    'dependencies.zod: package.json asks for ^4.2.0, package-lock.json records ^4.1.0: run npm install',
    'node_modules/zod@4.1.0: no integrity hash in package-lock.json',
    '.ci/run does not install with `npm ci`',
    '.ci/run:1: CI must not run `npm install` (it may change the lock): use `npm ci`',
    '.ci/run does not audit production dependencies: add `npm audit --omit=dev --audit-level=high`',
  ]);
  expect(lockfileProblems(fixtureRepo({ 'package.json': '{}' }))).toEqual(['package-lock.json is missing: run `npm install` once and commit it']);
});

test('SUPPLY-1: the repository pins every dependency in package-lock.json, CI installs with npm ci and audits production dependencies', () => {
  // WHEN
  const problems = lockfileProblems(REPO_ROOT);
  // THEN
  expect(problems).toEqual([]);
});

test('SUPPLY-2: the repository secretlint config catches a secret in a synthesized template and passes the repository', () => {
  // GIVEN a cdk.out with a Slack-shaped token in a template, and the repository's config
  const slack = ['xox', 'b-', '1234567890', '12-', '1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('');
  const root = fixtureRepo({ 'cdk.out/Edge.template.json': JSON.stringify({ Resources: { F: { Properties: { Environment: { Variables: { T: slack } } } } } }) });
  copyFileSync(join(REPO_ROOT, '.secretlintrc.json'), join(root, '.secretlintrc.json'));
  writeFileSync(join(root, 'clean.md'), 'nothing to see\n');
  const secretlint = join(REPO_ROOT, 'node_modules', '.bin', 'secretlint');
  const scan = (cwd: string) => spawnSync(secretlint, ['--format=compact', '**/*'], { cwd, encoding: 'utf8' });
  // WHEN
  const fixture = scan(root);
  const repository = scan(REPO_ROOT);
  // THEN the template fails the scan
  expect(fixture.status).toBe(1);
  expect(fixture.stdout).toMatch(/cdk\.out\/Edge\.template\.json: .*SLACK_TOKEN/);
  // AND the repository itself passes it (node_modules and scratch output ignored by .secretlintignore)
  expect(repository.stdout).toBe('');
  expect(repository.status).toBe(0);
});

test('SUPPLY-1: the audit step is located at the npm audit line of scripts/audit-dependencies.sh, which CI reaches; no gate is located on a comment', () => {
  // GIVEN what CI runs in this repository
  const sources = readCiSources(REPO_ROOT);
  // WHEN
  const audit = locateGate(CI_GATES['npm-audit'], sources)!;
  // THEN
  expect(audit.file).toBe('scripts/audit-dependencies.sh');
  const line = readFileSync(join(REPO_ROOT, audit.file), 'utf8').split('\n')[audit.line - 1];
  expect(line).toMatch(/^\s*report=\$\(npm audit --omit=dev --audit-level=high --json/);
  for (const gate of Object.values(CI_GATES)) {
    const at = locateGate(gate, sources);
    expect({ gate: gate.script, found: at !== undefined }).toEqual({ gate: gate.script, found: true });
    const text = readFileSync(join(REPO_ROOT, at!.file), 'utf8').split('\n')[at!.line - 1];
    expect(text).not.toMatch(/^\s*(#|\/\/|\*)/);
  }
});

test('SUPPLY-1: a gate outcome is recorded with the commit and tree state it ran on; a bad step or outcome is refused, naming it', () => {
  // GIVEN a committed repository
  const root = completeFixtureRepo({ tests: null, gates: {} });
  // WHEN
  writeGateResult(root, 'npm-audit', 'not-run', 'the registry does not serve the advisory endpoint', new Date('2026-01-02T03:04:05Z'));
  // THEN
  expect(readGateResult(root, 'npm-audit')).toEqual({
    step: 'npm-audit',
    outcome: 'not-run',
    reason: 'the registry does not serve the advisory endpoint',
    finishedAt: '2026-01-02T03:04:05.000Z',
    ...gitState(root),
  });
  expect(gitState(root).dirty).toBe(false);
  expect(() => recordGate('npm-audits', 'passed', '')).toThrow("step must be one of npm-audit, secretlint, lockfile, no-default-credentials, got 'npm-audits'");
  expect(() => recordGate('npm-audit', 'skipped', '')).toThrow("outcome must be one of passed, failed, not-run, got 'skipped'");
});
