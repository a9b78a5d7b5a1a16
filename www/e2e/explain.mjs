// End-to-end check that the playground explains what it shows, on the release build in Debian's
// Chromium: at 1280×800 and 800×500 the grid, the story line, the drainPercent knob and a fault
// action are on screen together without scrolling; at the default speed with explain mode the
// daemon-first hold, a drain batch and an auto-repair each stay narrated for at least 2 s of wall
// time; an app chip is seen in transit between two tiles during a rolling update; screenshots of each
// moment are kept. Usage: node explain.mjs URL OUT_DIR
import {
  check, collectErrors, finish, launch, MINUTE, scriptArgs, simulatedDetail, untilSimulated,
} from './harness.mjs';
import { join } from 'node:path';

const { url, outDir } = scriptArgs('explain.mjs');
const MIN_NARRATED_MS = 2000;

const context = await launch('ecs-daemon-sim-explain-', { width: 1280, height: 800 });
try {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = collectErrors(page);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#grid .tile', { timeout: 30000 });

  /// Whether the element's box lies inside the viewport.
  const inView = async (selector) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
      && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
  }, selector);
  const layoutAt = async (width, height) => {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    const scrolls = await page.evaluate(() => document.scrollingElement.scrollHeight > window.innerHeight + 1
      || document.scrollingElement.scrollWidth > window.innerWidth + 1);
    const seen = {};
    // The grid scrolls inside its column: the column is in view, and the grid starts inside it.
    for (const sel of ['.main-column', '#grid .tile', '#narration', '#drain-percent', '#fault-capacity', '#play', '#clock']) {
      seen[sel] = await inView(sel);
    }
    const missing = Object.entries(seen).filter(([, ok]) => !ok).map(([sel]) => sel);
    check(`${width}×${height}: grid, story, time controls, drainPercent and a fault action in view, no page scroll`,
      !scrolls && missing.length === 0, missing.length ? `not in view: ${missing.join(', ')}` : (scrolls ? 'the page scrolls' : ''));
  };

  /// Loads a preset at the default speed (20×, key 5) with explain mode on.
  const loadPreset = async (id) => {
    await page.click(`button.preset[data-preset="${id}"]`);
    await page.waitForSelector(`#preset-caption[data-preset="${id}"]`, { timeout: 5000 });
    await page.keyboard.press('5');
    check(`${id}: explain mode is on`, await page.isChecked('#explain'));
  };

  /// Watches the story line until `moment` has been narrated and is gone again (or `limitMs` passed);
  /// returns the longest unbroken stretch (wall ms) it was narrated, and calls `during` once while it is.
  const narratedFor = async (moment, limitMs, during) => {
    const start = Date.now();
    let since = null;
    let longest = 0;
    let called = false;
    while (Date.now() - start < limitMs) {
      const moments = (await page.getAttribute('#narration', 'data-moments')) ?? '';
      const now = Date.now();
      if (moments.split(' ').includes(moment)) {
        if (since === null) since = now;
        longest = Math.max(longest, now - since);
        if (!called && during && now - since > 500) {
          called = true;
          await during();
        }
      } else if (since !== null) {
        break;
      }
      await page.waitForTimeout(50);
    }
    return longest;
  };

  await layoutAt(1280, 800);
  await page.screenshot({ path: join(outDir, 'explain-1280x800.png') });
  await layoutAt(800, 500);
  await page.screenshot({ path: join(outDir, 'explain-800x500.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The daemon-first hold of a fleet's first launch.
  await loadPreset('first-deployment');
  let holdText = '';
  const hold = await narratedFor('hold', 60000, async () => {
    holdText = (await page.textContent('#narration')) ?? '';
    await page.screenshot({ path: join(outDir, 'daemon-first-hold.png') });
  });
  check('daemon-first hold narrated ≥ 2 s at the default speed', hold >= MIN_NARRATED_MS, `${hold} ms`);
  check('the hold names the instance and its daemon', /Instance [0-9a-f]{8} is held in REGISTERING until its daemon monitoring-agent:1 is RUNNING/.test(holdText),
    holdText.slice(0, 160));

  // A rolling update: a drain batch narrated, both revision hues, an app chip in transit.
  await loadPreset('rolling-update');
  let transit = null;
  const watchTransit = async (limitMs) => {
    const start = Date.now();
    while (!transit && Date.now() - start < limitMs) {
      transit = await page.evaluate(() => {
        const ghost = document.querySelector('.chip-travel');
        if (!ghost) return null;
        const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; };
        const from = document.querySelector(`#grid .tile[data-instance="${ghost.dataset.from}"]`);
        const to = document.querySelector(`#grid .tile[data-instance="${ghost.dataset.to}"]`);
        if (!from || !to) return null;
        return { ghost: box(ghost), from: box(from), to: box(to) };
      });
      if (transit) {
        const moved = Math.hypot(transit.ghost.x - transit.from.x, transit.ghost.y - transit.from.y);
        const left = Math.hypot(transit.ghost.x - transit.to.x, transit.ghost.y - transit.to.y);
        if (moved < 4 || left < 4) transit = null; // at an end: not in transit yet
        else await page.screenshot({ path: join(outDir, 'chip-in-transit.png') });
      }
      await page.waitForTimeout(30);
    }
  };
  const batch = await narratedFor('batch', 60000, async () => {
    await page.waitForFunction(() => {
      const revs = new Set([...document.querySelectorAll('#grid .tile:not(.ghost)')].map((t) => t.dataset.revision));
      return revs.has('1') && revs.has('2');
    }, null, { timeout: 30000 }).catch(() => {});
    await page.screenshot({ path: join(outDir, 'mid-rollout.png') });
  });
  check('a drain batch narrated ≥ 2 s at the default speed', batch >= MIN_NARRATED_MS, `${batch} ms`);
  const hues = await page.evaluate(() => new Set([...document.querySelectorAll('#grid .tile:not(.ghost)')]
    .map((t) => t.style.getPropertyValue('--rev'))).size);
  check('mid-rollout: two revision hues on the grid', hues >= 2, `${hues} hues`);
  await watchTransit(60000);
  check('an app chip is seen in transit between two tiles', transit !== null, transit ? JSON.stringify(transit) : '');

  // The inspector of a draining or replacement tile.
  await page.click('#grid .tile[data-status="DRAINING"], #grid .tile[data-status="ACTIVE"]');
  await page.waitForSelector('#inspector', { timeout: 5000 });
  check('the inspector says why', ((await page.textContent('#inspector-cause')) ?? '').length > 10);
  await page.screenshot({ path: join(outDir, 'inspector.png') });

  // Auto-repair.
  await loadPreset('auto-repair');
  const repair = await narratedFor('auto-repair', 60000, async () => {
    await page.screenshot({ path: join(outDir, 'auto-repair.png') });
  });
  check('an auto-repair narrated ≥ 2 s at the default speed', repair >= MIN_NARRATED_MS, `${repair} ms`);

  // Mid-rollback: a bad image trips the breaker; :2 and :1 both on the grid while rolling back.
  await loadPreset('bad-image');
  await page.keyboard.press('7');
  const rollingBack = await untilSimulated(page,
    () => (document.querySelector('#narration')?.dataset.moments ?? '').includes('rollback'), null, 60 * MINUTE);
  await page.keyboard.press(' ');
  const rollbackHues = await page.evaluate(() => new Set([...document.querySelectorAll('#grid .tile:not(.ghost)')]
    .map((t) => t.dataset.revision)).size);
  check('mid-rollback (within 60 simulated minutes): narrated, two revisions on the grid',
    rollingBack.met && rollbackHues >= 2, `${rollbackHues} revisions, ${simulatedDetail(rollingBack)}`);
  await page.screenshot({ path: join(outDir, 'mid-rollback.png') });

  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} finally {
  await context.close();
}
finish();
