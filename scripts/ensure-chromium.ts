/** Finds Debian's Chromium, installing it when missing (scripts/chromium.ts), and says which one the browser tests will drive. */
import { chromiumVersion, ensureChromium } from './chromium';

const path = ensureChromium();
console.log(`ensure-chromium: ${chromiumVersion(path)} at ${path}`);
