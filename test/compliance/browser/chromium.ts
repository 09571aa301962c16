/**
 * The Chromium the browser tests drive, installed by `npm ci` itself: the headless build shipped inside
 * the @sparticuz/chromium npm package (a brotli-compressed binary in the package's tarball, no download
 * at install or run time), unpacked by the package to `/tmp/chromium` on first use and reused after.
 * So `npm ci && npm test` needs no system browser and no root; it runs on Debian x86_64 (checked with
 * playwright-core on the project's machines). The package is ESM-only and jest runs these tests as
 * CommonJS, so a child `node` process asks it for the binary's path.
 */
import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/** The flags of every launch: headless, and no background traffic (a closed network refuses it). */
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let executable: string | undefined;

/**
 * The path of the packaged Chromium, unpacked on first use (~6 s once per machine, then reused).
 * @throws when the package is missing (run `npm ci`) or cannot unpack its binary, with the package's message
 */
export function chromiumExecutable(): string {
  executable ??= execFileSync(process.execPath, ['--input-type=module', '-e', "import c from '@sparticuz/chromium'; process.stdout.write(await c.executablePath());"], {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: 120_000,
  }).trim();
  return executable;
}

/** Launches the packaged Chromium headless through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: ARGS });
}
