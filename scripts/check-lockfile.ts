/**
 * SUPPLY-1 gate: dependencies are pinned by a lock file and CI installs exactly it.
 *   - package-lock.json exists, is lockfileVersion 2 or 3, and records package.json's dependency specs;
 *   - every installed package in it has a resolved version and an integrity hash (links and the root excepted);
 *   - the CI entry point installs with `npm ci` and never with `npm install` / `npm i`;
 *   - CI audits the production dependencies (`npm audit --omit=dev --audit-level=…`).
 *
 * Usage: node -r esbuild-register scripts/check-lockfile.ts [repoRoot]
 * Exit status 1 with one line per problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findCiStep, readCiSources } from '../lib/compliance/report/ci-catalog';
import { recordGate } from './record-gate';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockPackage extends PackageJson {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockPackage>;
}

/** The problems with the repository's lock file and how CI installs; empty when SUPPLY-1 holds. */
export function lockfileProblems(repoRoot: string, ciEntry = '.ci/run'): string[] {
  const problems: string[] = [];
  const lockPath = join(repoRoot, 'package-lock.json');
  if (!existsSync(lockPath)) return ['package-lock.json is missing: run `npm install` once and commit it'];
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as Lockfile;

  if (lock.lockfileVersion === undefined || lock.lockfileVersion < 2) {
    problems.push(`package-lock.json lockfileVersion must be 2 or 3, got ${String(lock.lockfileVersion)}`);
  }
  const packages = lock.packages ?? {};
  const root = packages[''] ?? {};
  for (const kind of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
    for (const [name, spec] of Object.entries(pkg[kind] ?? {})) {
      const locked = root[kind]?.[name];
      if (locked !== spec) problems.push(`${kind}.${name}: package.json asks for ${spec}, package-lock.json records ${locked ?? 'nothing'}: run npm install`);
      if (!packages[`node_modules/${name}`]) problems.push(`${kind}.${name}: not installed in package-lock.json`);
    }
  }
  for (const [path, entry] of Object.entries(packages)) {
    if (path === '' || entry.link || !path.includes('node_modules/')) continue;
    if (!entry.version) problems.push(`${path}: no pinned version in package-lock.json`);
    else if (entry.resolved && !entry.integrity) problems.push(`${path}@${entry.version}: no integrity hash in package-lock.json`);
  }

  const sources = readCiSources(repoRoot, ciEntry);
  if (sources.length === 0) problems.push(`${ciEntry} is missing: CI must install with npm ci`);
  else {
    if (!findCiStep('npm ci', sources)) problems.push(`${ciEntry} does not install with \`npm ci\``);
    // Shell sources only (.ci/run, shell scripts, npm scripts): a TypeScript gate that names the command in
    // its messages does not run it.
    for (const s of sources.filter((source) => !/\.(ts|js)$/.test(source.file))) {
      s.lines.forEach((line, i) => {
        if (/^\s*#/.test(line)) return;
        if (/\bnpm\s+(install|i|add)\b/.test(line)) problems.push(`${s.file}:${i + 1}: CI must not run \`npm install\` (it may change the lock): use \`npm ci\``);
      });
    }
    if (!sources.some((s) => s.lines.some((l) => !/^\s*#/.test(l) && /\bnpm\s+audit\b.*--omit=dev\b.*--audit-level=\w+/.test(l)))) {
      problems.push(`${ciEntry} does not audit production dependencies: add \`npm audit --omit=dev --audit-level=high\``);
    }
  }
  return problems;
}

if (require.main === module) {
  const repoRoot = resolve(process.argv[2] ?? join(__dirname, '..'));
  const problems = lockfileProblems(repoRoot);
  for (const p of problems) process.stderr.write(`SUPPLY-1: ${p}\n`);
  if (problems.length) {
    recordGate('lockfile', 'failed', `${problems.length} problem(s): ${problems[0]}`);
    process.exit(1);
  }
  const ok = 'package-lock.json pins every dependency; CI installs it with npm ci and audits production dependencies';
  recordGate('lockfile', 'passed', ok);
  process.stdout.write(`SUPPLY-1: ${ok}\n`);
}
