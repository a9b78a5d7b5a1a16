// End-to-end check of the embeds and the plain-JS example of the built site: the example
// documentation page at 1280×800 shows two embeds side by side, each loaded, playing, without scroll
// bars and at its own drainPercent (screenshot docs-embeds.png); the JS API example page shows its
// results; the full page's embed snippet replays its run in an embed whose "Open in playground"
// opens the same run; ?lesson=ID opens a lesson. Usage: node embed.mjs URL OUT_DIR
import {
  check, collectErrors, finish, launch, MINUTE, scriptArgs, simulatedDetail, untilSimulated,
} from './harness.mjs';
import { join } from 'node:path';

const { url, outDir } = scriptArgs('embed.mjs');
const site = url.endsWith('/') ? url : `${url}/`;

/// The frame's document scroll box: no scroll bars when the content fits the viewport both ways.
const scrollBox = () => {
  const s = document.scrollingElement;
  return { sw: s.scrollWidth, cw: s.clientWidth, sh: s.scrollHeight, ch: s.clientHeight,
    w: window.innerWidth, h: window.innerHeight };
};
const fits = (b) => b.sw <= b.cw && b.sh <= b.ch;
const describe = (b) => `${b.w}×${b.h} viewport, content ${b.sw}×${b.sh}`;

const context = await launch('ecs-daemon-sim-e2e-embed-', { width: 1280, height: 800 });
try {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = collectErrors(page);

  // ----- the example documentation page ----------------------------------------------------------
  await page.goto(`${site}docs/rolling-update.html`, { waitUntil: 'load' });
  const iframes = page.locator('iframe');
  check('the docs page has two embeds', await iframes.count() === 2);
  const boxes = [await iframes.nth(0).boundingBox(), await iframes.nth(1).boundingBox()];
  check('the embeds sit side by side at 1280 px, each inside the window', boxes[0] && boxes[1]
    && Math.abs(boxes[0].y - boxes[1].y) < 1 && boxes[1].x >= boxes[0].x + boxes[0].width
    && boxes[1].x + boxes[1].width <= 1280, JSON.stringify(boxes));

  const frames = [];
  for (let n = 0; n < 2; n++) {
    const handle = await iframes.nth(n).elementHandle();
    const frame = await handle.contentFrame();
    await frame.waitForSelector('#embed #grid .tile', { timeout: 30000 });
    frames.push(frame);
  }
  // Each embed is its own playground, configured by its own URL: tiles on screen, and the knob shows
  // the drainPercent its iframe asked for (25 and 50), so the two are not one page shown twice.
  const loaded = [];
  for (const frame of frames) {
    loaded.push({
      tiles: await frame.locator('#embed #grid .tile').count(),
      drainPercent: await frame.inputValue('#drain-percent'),
      asked: new URL(frame.url()).searchParams.get('drainPercent'),
    });
  }
  check('both embeds loaded the grid with their own drainPercent',
    loaded.every((l) => l.tiles > 0 && l.drainPercent === l.asked)
      && JSON.stringify(loaded.map((l) => l.drainPercent)) === JSON.stringify(['25', '50']),
    JSON.stringify(loaded));

  for (const [n, frame] of frames.entries()) {
    const box = await frame.evaluate(scrollBox);
    check(`embed ${n + 1}: at least 560×500 and without scroll bars at load`, box.w >= 560 && box.h === 500 && fits(box),
      describe(box));
    const controls = await frame.$$eval('#embed button, #embed input', (els) => els.map((e) => e.id).sort());
    check(`embed ${n + 1}: only play, speed, one knob and the snippet button`,
      JSON.stringify(controls) === JSON.stringify(['copy-embed', 'drain-percent', 'play', 'speed']), controls.join(', '));
    const open = await frame.getAttribute('#open-playground', 'href');
    check(`embed ${n + 1}: open-in-playground link drops embed=1`, open && !/[?&]embed=/.test(open)
      && await frame.getAttribute('#open-playground', 'target') === '_blank', open);
  }

  // Playing: the simulated clock of each frame moves on its own.
  for (const [n, frame] of frames.entries()) {
    const clock = await frame.textContent('#clock');
    const moved = await frame.waitForFunction((c) => document.querySelector('#clock')?.textContent !== c, clock,
      { timeout: 15000 }).then(() => true, () => false);
    check(`embed ${n + 1}: playing (its clock advances)`, moved, `${clock} → ${await frame.textContent('#clock')}`);
  }

  const percents = await Promise.all(frames.map((f) => f.inputValue('#drain-percent')));
  check('the embeds show different drainPercent values', percents[0] !== percents[1]
    && percents.includes('25') && percents.includes('50'), percents.join(' vs '));

  // Mid-deployment, with replacements and draining instances on the grid, the frames still fit.
  for (const [n, frame] of frames.entries()) {
    const draining = await untilSimulated(frame,
      () => document.querySelector('#grid .tile[data-drain-cause="DEPLOYMENT"]'), null, 30 * MINUTE);
    const box = await frame.evaluate(scrollBox);
    const tiles = await frame.locator('#grid .tile').count();
    check(`embed ${n + 1}: mid-deployment (within 30 simulated minutes), still no scroll bars`,
      draining.met && fits(box), `${tiles} tiles, ${describe(box)}, ${simulatedDetail(draining)}`);
  }
  await page.locator('.embeds').screenshot({ path: join(outDir, 'docs-embeds.png') });

  // ----- the plain-JS example page ---------------------------------------------------------------
  await page.goto(`${site}examples/js-api.html`, { waitUntil: 'load' });
  await page.waitForSelector('#status:not([data-state="loading"])', { timeout: 60000 }).catch(() => {});
  const state = await page.getAttribute('#status', 'data-state');
  check('JS example: runs to the end', state === 'done', (await page.textContent('#status'))?.trim());
  const statuses = await page.$$eval('#counts tbody tr', (rows) => rows.map((r) => r.dataset.status));
  check('JS example: snapshot counts shown', statuses.includes('ACTIVE'), statuses.join(', '));
  const events = await page.$$eval('#events li', (items) => items.map((i) => i.textContent));
  check('JS example: filtered deployment events listed',
    events.length >= 2 && events.every((e) => e.includes('DAEMON_DEPLOYMENT')), `${events.length} events`);
  const changes = (await page.textContent('#changes')) ?? '';
  check('JS example: the subscriber heard changes', /^[1-9]\d* notifications/.test(changes), changes);
  const errorType = await page.getAttribute('#error', 'data-error-type');
  check('JS example: bad input answered by a typed error', /Exception$/.test(errorType ?? ''), errorType);
  check('JS example: no playground mounted', await page.locator('#grid').count() === 0);
  await page.screenshot({ path: join(outDir, 'js-api-example.png'), fullPage: true });

  // ----- the full page's embed snippet: the same run in an embed, and back ------------------------
  // A run with inputs after time zero: the rolling update at high speed, paused mid-deployment, a
  // live drainPercent change, a little more time.
  const pauseIn = async (p) => {
    if (await p.textContent('#play') === 'Pause') await p.click('#play');
    await p.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
  };
  // Without autoplay in its URL, so that the embed and the page opened from it wait paused, where
  // the hash is shown.
  await page.goto(`${site}index.html?preset=rolling-update&seed=11&speed=500`, { waitUntil: 'load' });
  await page.waitForSelector('#grid .tile', { timeout: 30000 });
  await page.click('#play');
  const rolling = await untilSimulated(page,
    () => document.querySelector('#deployment-status')?.dataset.status === 'IN_PROGRESS', null, 30 * MINUTE);
  await pauseIn(page);
  check('the full page\'s deployment is under way within 30 simulated minutes', rolling.met, simulatedDetail(rolling));
  await page.locator('#drain-percent').fill('50');
  const paused = Number(await page.getAttribute('#run-info', 'data-elapsed-ms'));
  await page.click('#play');
  await page.waitForFunction((t) => Number(document.querySelector('#run-info')?.dataset.elapsedMs) > t + 30000,
    paused, { timeout: 20000 });
  await pauseIn(page);
  await page.waitForSelector('#run-info[data-event-log-hash]', { timeout: 30000 });
  const source = await page.$eval('#run-info', (e) => ({ hash: e.dataset.eventLogHash, elapsed: e.dataset.elapsedMs }));
  await page.click('#copy-embed');
  const snippet = await page.inputValue('#embed-snippet', { timeout: 5000 }).catch(() => '');
  const src = (snippet.match(/src="([^"]*)"/)?.[1] ?? '').replaceAll('&amp;', '&');
  check('the full page copies an embed snippet of its run', /^<iframe src="[^"]*embed=1/.test(snippet)
    && src.includes('log=') && snippet.includes('width="800" height="500"'), `${snippet.length} characters`);

  await page.goto(src, { waitUntil: 'load' });
  const embedHash = await page.waitForSelector('#embed[data-event-log-hash]', { timeout: 30000 })
    .then((e) => e.getAttribute('data-event-log-hash'), () => null);
  check('the snippet\'s embed replays the run (same event-log hash)', embedHash === source.hash,
    `${embedHash} vs ${source.hash} at ${source.elapsed} ms`);
  const openLink = await page.getAttribute('#open-playground', 'href');
  await page.goto(openLink, { waitUntil: 'load' });
  const openedHash = await page.waitForSelector('#run-info[data-event-log-hash]', { timeout: 30000 })
    .then((e) => e.getAttribute('data-event-log-hash'), () => null);
  check('its "Open in playground" opens the same run', openedHash === source.hash
    && await page.locator('#embed').count() === 0, `${openedHash} vs ${source.hash}`);

  // ----- ?lesson=ID ------------------------------------------------------------------------------
  await page.goto(`${site}index.html?lesson=daemon-first`, { waitUntil: 'load' });
  const lesson = await page.waitForSelector('#lesson-active[data-lesson="daemon-first"]', { timeout: 30000 })
    .then(() => true, () => false);
  check('?lesson=daemon-first opens the lesson', lesson
    && await page.getAttribute('#lesson-progress', 'data-met') === 'false');

  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} finally {
  await context.close();
}
finish();
