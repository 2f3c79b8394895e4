/**
 * The browser the browser tests and `npm run screenshots` drive: Debian's `chromium` package,
 * never a browser build downloaded by a test tool (these machines reach the npm registry and
 * Debian's mirror only, so `npx playwright install` cannot work here).
 *
 * `findChromium()` looks for it: CHROMIUM_PATH if set, else /usr/bin/chromium, chromium-browser,
 * or either name on PATH. `ensureChromium()` also installs it with apt-get when it is missing
 * and this process is root (CI and the developers' machines run as root; elsewhere it says
 * what to install). Run it alone with `npx tsx scripts/ensure-chromium.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Chromium to launch, or undefined when there is none. A CHROMIUM_PATH that is not an executable is an error, not a fallback. */
export const findChromium = (): string | undefined => {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!executable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return configured;
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const candidates = [...NAMES.map((n) => `/usr/bin/${n}`), ...onPath.flatMap((dir) => NAMES.map((n) => join(dir, n)))];
  return candidates.find(executable);
};

/** Flags for this machine: headless as root, and none of Chromium's background connections (a closed network refuses them, many at a time). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const apt = (args: string[]) => {
  console.log(`ensure-chromium: apt-get ${args.join(' ')}`);
  // Waits for the package lock rather than failing when another install holds it.
  const res = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return res.status === 0;
};

/** Installs Debian's chromium (and a font family for legible screenshots); refreshes the package lists only if the install fails without. */
const install = () => {
  const pkgs = ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-liberation'];
  if (apt(pkgs)) return;
  console.log('ensure-chromium: the install failed with the package lists as they are; refreshing them');
  if (!apt(['update']) || !apt(pkgs)) throw new Error('ensure-chromium: apt-get could not install chromium');
};

/** The Chromium to launch, installed first when missing and this process may install it. */
export const ensureChromium = (): string => {
  const found = findChromium();
  if (found) return found;
  const root = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!root || !hasApt)
    throw new Error(
      "No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, chromium-browser on PATH). Install Debian's package (`sudo apt-get install chromium`) or point CHROMIUM_PATH at a Chromium or Chrome.",
    );
  console.log("ensure-chromium: no Chromium found; installing Debian's chromium package");
  install();
  const installed = findChromium();
  if (!installed) throw new Error('ensure-chromium: chromium was installed but no executable was found');
  return installed;
};

export const chromiumVersion = (path: string): string => execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
