/**
 * The Chromium the browser tests drive, installed by `npm ci` itself: the headless build shipped inside
 * the @sparticuz/chromium npm package (a brotli-compressed binary in the package's tarball, no download
 * at install or run time), unpacked on first use into a folder named after the package's version (so a
 * binary another version left in the temp folder is never picked up) and reused after. So
 * `npm ci && npm test` needs no system browser and no root; it runs on Debian x86_64 (checked with
 * playwright-core on the project's machines). The package unpacks into `os.tmpdir()`, which Node reads
 * from the real environment, so a child `node` process with its own TMPDIR asks it for the path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The flags of every launch: headless, and no background traffic (a closed network refuses it). */
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let executable: string | undefined;

/**
 * The path of the packaged Chromium, unpacked on first use (~6 s once per machine and version, then reused).
 * @throws when the package is missing (run `npm ci`) or cannot unpack its binary, with the package's message
 */
export function chromiumExecutable(): string {
  if (executable) return executable;
  // (the package exports no ./package.json: read it beside its CommonJS build, build/cjs/index.cjs)
  const manifest = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const folder = join(tmpdir(), `mcp-perimeter-chromium-${version}`);
  mkdirSync(folder, { recursive: true });
  executable = execFileSync(process.execPath, ['-e', "require('@sparticuz/chromium').executablePath().then((p) => process.stdout.write(p))"], {
    cwd: __dirname,
    env: { ...process.env, TMPDIR: folder },
    encoding: 'utf8',
    timeout: 120_000,
  }).trim();
  return executable;
}

/** Launches the packaged Chromium headless through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: ARGS });
}
