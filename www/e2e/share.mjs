// End-to-end check of sharing and saving in the built playground, in
// Debian's Chromium from 127.0.0.1:
//   (a) a run made by hand (a preset, a live drainPercent change, a fault, time) is shared, and
//       the link opened in a new browser (fresh profile and context) reproduces its event-log hash
//       and simulated time;
//   (b) a reload restores the autosaved run at the same hash and time;
//   (c) a bad file chosen in the Import field is refused with a visible error, the run unchanged;
//       the exported file imported in the second browser gives the run back.
// Usage: node share.mjs URL OUT_DIR
import {
  check, collectErrors, finish, launch, MINUTE, scriptArgs, simulatedDetail, untilSimulated,
} from './harness.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { url, outDir } = scriptArgs('share.mjs');

/// A new browser: its own profile directory, so nothing (autosave included) is shared.
async function freshBrowser() {
  const context = await launch('ecs-daemon-sim-share-', { width: 1280, height: 900 });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = collectErrors(page, false);
  return { context, page, errors };
}

async function runInfo(page) {
  // A paused page shows the event-log hash once it has hashed the log (a frame's work at a time).
  if ((await page.textContent('#play')) === 'Play') await page.waitForSelector('#run-info[data-event-log-hash]', { timeout: 30000 });
  return page.$eval('#run-info', (e) => ({ hash: e.dataset.eventLogHash, elapsed: Number(e.dataset.elapsedMs),
    inputs: Number(e.dataset.inputs) }));
}

async function pause(page) {
  if (await page.textContent('#play') === 'Pause') await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
}

const first = await freshBrowser();
let shared = '';
let made = null;
let exported = '';
try {
  const { page } = first;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#grid .tile', { timeout: 30000 });
  await pause(page);

  // (a) A preset, at high speed until its deployment runs; then a live drainPercent change and a fault.
  await page.click('button.preset[data-preset="rolling-update"]');
  await page.keyboard.press('9');
  const rolling = await untilSimulated(page,
    () => document.querySelector('#deployment-status')?.dataset.status === 'IN_PROGRESS', null, 30 * MINUTE);
  await pause(page);
  check('the preset\'s deployment is under way within 30 simulated minutes', rolling.met, simulatedDetail(rolling));
  await page.locator('#drain-percent').fill('50');
  await page.click('#fault-capacity');
  await page.keyboard.press('4');
  await page.keyboard.press(' ');
  const moving = (await runInfo(page)).elapsed;
  await page.waitForFunction((t) => Number(document.querySelector('#run-info')?.dataset.elapsedMs) > t + 30000,
    moving, { timeout: 20000 });
  await pause(page);
  made = await runInfo(page);
  const log = await page.$eval('#run-info', (e) => e.textContent);
  check('the run records its inputs', made.inputs >= 16, log);

  await page.click('#share');
  await page.waitForSelector('#share-link', { timeout: 5000 });
  shared = await page.inputValue('#share-link');
  const logParam = new URL(shared).searchParams.get('log') ?? '';
  const entries = JSON.parse(Buffer.from(logParam, 'base64url').toString('utf8'));
  const sims = entries.filter((e) => e.sim).map((e) => e.sim.slice(0, 2).join(' '));
  check('the link carries the preset, the drainPercent change and the fault',
    new URL(shared).searchParams.get('preset') === 'rolling-update'
      && sims.includes('deployment drain-percent') && sims.includes('fault capacity'), sims.join(', '));
  check('Share puts a link to this page in the field', shared.startsWith(`${new URL(url).origin}/?`)
    && shared.includes('log='), `${shared.length} characters`);
  await page.screenshot({ path: join(outDir, 'share-source.png'), fullPage: true });

  // Export: the scenario file the browser downloads.
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('#export')]);
  exported = readFileSync(await download.path(), 'utf8');
  const file = JSON.parse(exported);
  check('Export downloads the scenario file', file.schemaVersion === 1 && file.preset === 'rolling-update'
    && download.suggestedFilename().endsWith('.json'), `${download.suggestedFilename()}, ${file.log.length} entries`);

  // (b) Reload: the autosave (written on pause) brings back the same run at the same time.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('#run-info', { timeout: 30000 });
  const restored = await runInfo(page);
  check('reload restores the autosaved run: same hash', restored.hash === made.hash, `${restored.hash} vs ${made.hash}`);
  check('reload restores the autosaved run: same simulated time', restored.elapsed === made.elapsed,
    `${restored.elapsed} vs ${made.elapsed} ms`);
  check('the restore says so', (await page.locator('#notices .notice[data-subject="autosave"]').count()) === 1);
  check('a restored run waits paused', await page.textContent('#play') === 'Play');

  // (c) Bad files through the file field: refused with an AWS-style error, the run unchanged.
  for (const [name, text, errorType] of [
    ['future.json', '{"schemaVersion": 99, "seed": 1}', 'UnsupportedSchemaVersionException'],
    ['corrupted.json', '{"schemaVersion": 1, "log": [', 'SerializationException'],
  ]) {
    await page.setInputFiles('#import-file', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForSelector('#import-error', { timeout: 10000 });
    await page.waitForFunction((t) => document.querySelector('#import-error')?.textContent.startsWith(t), errorType,
      { timeout: 10000 }).catch(() => {});
    const shown = await page.textContent('#import-error');
    const after = await runInfo(page);
    check(`import of ${name} is refused`, shown.startsWith(errorType), shown);
    check(`import of ${name} leaves the run unchanged`, after.hash === made.hash && after.elapsed === made.elapsed);
  }
  await page.screenshot({ path: join(outDir, 'import-refused.png'), fullPage: true });
  check('no page errors in the first browser', first.errors.length === 0, first.errors.join(' | '));
} finally {
  await first.context.close();
}

// (a, continued) The link in a new browser: fresh profile, fresh context, no autosave to lean on.
const second = await freshBrowser();
try {
  const { page } = second;
  if (!shared || !made) throw new Error('the first browser made no share link');
  await page.goto(shared, { waitUntil: 'load' });
  await page.waitForSelector('#run-info', { timeout: 60000 });
  const opened = await runInfo(page);
  check('the shared link reproduces the event-log hash in a new browser', opened.hash === made.hash,
    `${opened.hash} vs ${made.hash}`);
  check('the shared link reaches the same simulated time', opened.elapsed === made.elapsed,
    `${opened.elapsed} vs ${made.elapsed} ms`);
  check('the shared link replays the same inputs', opened.inputs === made.inputs, `${opened.inputs} vs ${made.inputs}`);
  check('no warnings when the link opens', (await page.locator('#notices .notice.warning').count()) === 0,
    await page.locator('#notices').textContent().catch(() => ''));
  check('the link opens paused', await page.textContent('#play') === 'Play');
  await page.screenshot({ path: join(outDir, 'share-opened.png'), fullPage: true });

  // Import of the exported file in this browser: the same run again (after a different one).
  await page.click('button.preset[data-preset="scale-in"]');
  await pause(page);
  await page.setInputFiles('#import-file', { name: 'exported.json', mimeType: 'application/json',
    buffer: Buffer.from(exported) });
  await page.waitForSelector('#import-status', { timeout: 60000 });
  const imported = await runInfo(page);
  check('importing the exported file gives the same hash and time', imported.hash === made.hash
    && imported.elapsed === made.elapsed, `${imported.hash} at ${imported.elapsed} ms`);
  check('no page errors in the second browser', second.errors.length === 0, second.errors.join(' | '));
} finally {
  await second.context.close();
}
finish();
