// End-to-end check of the built playground: load it from 127.0.0.1 in Debian's Chromium, find the
// grid, click pause, and keep a screenshot. Usage: node smoke.mjs URL OUT_DIR
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node smoke.mjs URL OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
}

const profile = mkdtempSync(join(tmpdir(), 'ecs-daemon-sim-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  page.on('response', (res) => { if (res.status() >= 400) consoleErrors.push(`${res.status()} ${res.url()}`); });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#grid .tile', { timeout: 30000 });
  check('page title names the product', (await page.title()).includes('ecs-daemon-sim'));
  const tiles = await page.locator('#grid .tile').count();
  check('the instance grid is visible', tiles > 0 && await page.locator('#grid').isVisible(), `${tiles} tiles`);

  // The playground starts playing: the clock moves on its own.
  const clock0 = await page.textContent('#clock');
  await page.waitForFunction((c) => document.querySelector('#clock')?.textContent !== c, clock0, { timeout: 10000 });
  check('the clock runs on the animation loop', true);

  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
  check('the play button pauses', await page.getAttribute('#play', 'aria-pressed') === 'true');
  const paused = await page.textContent('#clock');
  await page.waitForTimeout(300);
  check('a paused clock stays still', await page.textContent('#clock') === paused);

  await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });
  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} finally {
  await context.close();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
