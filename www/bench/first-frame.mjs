// Time to first interactive frame of the release build: a cold load (fresh browser profile) of the
// playground from 127.0.0.1 in Debian's Chromium, until the grid has tiles and the page has painted
// a frame after them (performance.now() in the page: ms since navigation start). Five cold loads,
// median printed as `first-frame-ms: N`. Usage: node first-frame.mjs URL
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// playwright-core is installed (from the committed lockfile) in www/e2e by the xtask.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node first-frame.mjs URL');
  process.exit(2);
}

const samples = [];
for (let i = 0; i < 5; i++) {
  const profile = mkdtempSync(join(tmpdir(), 'ecs-daemon-sim-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    // Polled inside the page on every animation frame, so the time is the frame's, not the poll's.
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const poll = () => {
        if (document.querySelector('#grid .tile')) {
          requestAnimationFrame(() => resolve(performance.now()));
        } else {
          requestAnimationFrame(poll);
        }
      };
      poll();
    }));
    samples.push(ms);
    console.log(`load ${i + 1}: ${ms.toFixed(0)} ms`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
samples.sort((a, b) => a - b);
console.log(`first-frame-ms: ${samples[2].toFixed(1)}`);
