// End-to-end check of the built playground: load it from 127.0.0.1 in Debian's Chromium, find the
// grid, pause, play every preset to its end at high speed, and keep screenshots (the grid
// mid-deployment, the chart after it). Usage: node smoke.mjs URL OUT_DIR
import { check, collectErrors, finish, launch, MINUTE, scriptArgs, simulatedDetail, untilSimulated } from './harness.mjs';
import { join } from 'node:path';

const { url, outDir } = scriptArgs('smoke.mjs');
// The longest preset safety stop (src/ui/presets.rs) and a minute's grace.
const PRESET_BOUND = 121 * MINUTE;

const context = await launch('ecs-daemon-sim-e2e-', { width: 1280, height: 800 });
try {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = collectErrors(page);

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#grid .tile', { timeout: 30000 });
  check('page title names the product', (await page.title()).includes('ecs-daemon-sim'));
  const tiles = await page.locator('#grid .tile').count();
  check('the instance grid is visible', tiles > 0 && await page.locator('#grid').isVisible(), `${tiles} tiles`);

  // The playground starts playing: the simulated clock moves forward on its own, read twice.
  const clockMs = (text) => (text ?? '').trim().split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;
  const clock0 = await page.textContent('#clock');
  const moved = await page.waitForFunction((c) => document.querySelector('#clock')?.textContent !== c, clock0,
    { timeout: 10000 }).then(() => true, () => false);
  const clock1 = await page.textContent('#clock');
  check('the clock runs on the animation loop', moved && clockMs(clock1) > clockMs(clock0), `${clock0} → ${clock1}`);

  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
  check('the play button pauses', await page.getAttribute('#play', 'aria-pressed') === 'true');
  const paused = await page.textContent('#clock');
  await page.waitForTimeout(300);
  check('a paused clock stays still', await page.textContent('#clock') === paused);

  await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });

  // Every preset plays to its end at high speed and meets the expectation its caption states.
  const presets = await page.$$eval('button.preset', (bs) => bs.map((b) => b.dataset.preset));
  // Exactly the presets of src/ui/presets.rs, in its order: one missing or one extra fails.
  const expectedPresets = ['first-deployment', 'rolling-update', 'auto-repair', 'bad-image', 'alarm-in-bake',
    'scale-in', 'daemon-after-fleet', 'sidecar-vs-daemon'];
  check('the eight presets are offered', JSON.stringify(presets) === JSON.stringify(expectedPresets),
    presets.join(', '));
  for (const id of presets) {
    await page.click(`button.preset[data-preset="${id}"]`);
    await page.waitForSelector(`#preset-caption[data-preset="${id}"]`, { timeout: 5000 });
    // This loop checks each preset's outcome at high speed, not its telling: explain mode (which a
    // preset turns on, and which slows every key moment to a readable pace) is explain.mjs's to test.
    if (await page.isChecked('#explain')) await page.click('#explain');
    // The keys below are the page's shortcuts: give focus back to the page, not the checkbox.
    await page.evaluate(() => document.activeElement?.blur());
    if (id === 'rolling-update') {
      // Watch at 100× until a drain batch is on screen, pause, and keep the grid mid-deployment.
      await page.keyboard.press('7');
      const drained = await untilSimulated(page, () => document.querySelector('#grid .tile[data-status="DRAINING"]'),
        null, 30 * MINUTE);
      await page.keyboard.press(' ');
      await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
      const draining = await page.locator('#grid .tile[data-status="DRAINING"]').count();
      const status = await page.getAttribute('#deployment-status', 'data-status');
      check('rolling update: grid caught mid-deployment within 30 simulated minutes',
        drained.met && status === 'IN_PROGRESS' && draining >= 1 && draining <= 2,
        `${status}, ${draining} draining, ${simulatedDetail(drained)}`);
      await page.locator('#grid').screenshot({ path: join(outDir, 'grid-mid-deployment.png') });
      await page.keyboard.press(' ');
    }
    await page.keyboard.press('9');
    // Every preset settles by its own simulated safety stop (at most two simulated hours).
    const settled = await untilSimulated(page, () => document.querySelector('#preset-result')?.dataset.met !== 'pending',
      null, PRESET_BOUND);
    const met = await page.getAttribute('#preset-result', 'data-met');
    const result = (await page.textContent('#preset-result'))?.trim();
    check(`preset ${id} plays to its end`, settled.met && met === 'true', `${result}; ${simulatedDetail(settled)}`);
    if (id === 'rolling-update') {
      await page.click('#tab-timeline');
      await page.waitForSelector('#chart svg polyline', { timeout: 5000 });
      await page.locator('#chart').screenshot({ path: join(outDir, 'chart-after-deployment.png') });
      check('timeline chart drawn after the deployment', await page.locator('#chart .band').count() > 0);
      await page.click('#tab-events');
    }
  }
  await page.screenshot({ path: join(outDir, 'playground-after-presets.png'), fullPage: true });

  // The console runs seed 002's tutorial (preloaded) at high speed, every command succeeding.
  await page.click('#tab-console');
  await page.click('#console-run');
  await page.keyboard.press('9');
  await page.waitForSelector('#console-status[data-running="false"]', { timeout: 120000 }).catch(() => {});
  const consoleStatus = await page.textContent('#console-status');
  const failedRecords = await page.locator('#console-output .record.failed').count();
  check('console: the tutorial runs to its end', failedRecords === 0
    && await page.getAttribute('#console-status', 'data-running') === 'false', consoleStatus);
  await page.screenshot({ path: join(outDir, 'console-tutorial.png'), fullPage: true });
  await page.click('#tab-events');

  // A narrow frame (800×500) still shows the grid and the controls.
  await page.setViewportSize({ width: 800, height: 500 });
  const gridBox = await page.locator('#grid').boundingBox();
  const playBox = await page.locator('#play').boundingBox();
  check('800×500: grid and play button fit the width', gridBox && playBox && gridBox.x + gridBox.width <= 800 && playBox.x + playBox.width <= 800);
  await page.screenshot({ path: join(outDir, 'playground-800x500.png') });
  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} finally {
  await context.close();
}
finish();
