// End-to-end check of the sidecar comparison and the dense view on the release build, with
// screenshots at 1280×800 and 800×500: the sidecar preset shows two simulated fleets side by side
// and a table counted from both; at 10,000 instances the grid is one canvas, hovering names a cell's
// instance and a click selects it. Usage: node fleets.mjs URL OUT_DIR
import {
  check, collectErrors, finish, launch, MINUTE, scriptArgs, simulatedDetail, untilSimulated,
} from './harness.mjs';
import { join } from 'node:path';

const { url, outDir } = scriptArgs('fleets.mjs');

const context = await launch('ecs-daemon-sim-fleets-', { width: 1280, height: 800 });
try {
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = collectErrors(page);

  // Sidecar vs managed daemon, played at 100× until both updates are under way, then to its end.
  const sidecar = new URL(url);
  sidecar.search = '?preset=sidecar-vs-daemon&speed=100';
  await page.goto(sidecar.toString(), { waitUntil: 'load' });
  await page.waitForSelector('#sidecar-compare', { timeout: 30000 });
  if ((await page.textContent('#play')).trim() === 'Play') await page.click('#play');
  const underWay = await untilSimulated(page, () => {
    const cell = document.querySelector('#sidecar-table tr[data-measure=update] td[data-world=daemon]');
    return cell?.textContent.startsWith('in progress') && document.querySelector('#grid .tile[data-status="DRAINING"]');
  }, null, 30 * MINUTE);
  await page.keyboard.press(' ');
  check('sidecar preset: the daemon update drains within 30 simulated minutes', underWay.met,
    simulatedDetail(underWay));
  await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
  await page.screenshot({ path: join(outDir, 'sidecar-mid-update-1280x800.png') });
  await page.keyboard.press('9');
  await page.keyboard.press(' ');
  // The preset settles by its own simulated safety stop (90 minutes).
  const settled = await untilSimulated(page, () => document.querySelector('#preset-result')?.dataset.met !== 'pending',
    null, 91 * MINUTE);
  check('sidecar preset meets its caption',
    settled.met && await page.getAttribute('#preset-result', 'data-met') === 'true',
    `${(await page.textContent('#preset-result'))?.trim()}; ${simulatedDetail(settled)}`);
  const cell = (measure, world) =>
    page.textContent(`#sidecar-table tr[data-measure=${measure}] td[data-world=${world}]`);
  const restarted = [await cell('restarted', 'sidecar'), await cell('restarted', 'daemon')];
  check('the two fleets restarted different app tasks for the same agent update',
    restarted[0] !== restarted[1] && restarted[1] === '0', restarted.join(' vs '));
  const fleets = await page.locator('#sidecar-compare .fleets').boundingBox();
  const managed = await page.locator('#sidecar-compare .fleet.managed').boundingBox();
  const side = await page.locator('#sidecar-fleet').boundingBox();
  check('1280×800: the fleets sit side by side', managed && side && Math.abs(managed.y - side.y) < 2 && side.x > managed.x,
    JSON.stringify({ fleets, managed, side }));
  await page.locator('#sidecar-compare').screenshot({ path: join(outDir, 'sidecar-comparison.png') });
  await page.screenshot({ path: join(outDir, 'sidecar-comparison-1280x800.png') });
  await page.setViewportSize({ width: 800, height: 500 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, 'sidecar-comparison-800x500.png') });
  const table = await page.locator('#sidecar-table').boundingBox();
  check('800×500: the comparison table fits the width', table && table.x + table.width <= 800, JSON.stringify(table));
  await page.setViewportSize({ width: 1280, height: 800 });

  // 10,000 instances: the dense view, mid-rollout.
  const dense = new URL(url);
  dense.search = '?preset=rolling-update&instances=10000&speed=100';
  await page.goto(dense.toString(), { waitUntil: 'load' });
  await page.waitForSelector('#grid canvas#dense-canvas', { timeout: 120000 });
  check('10,000 instances: no tiles, one canvas', await page.locator('#grid .tile').count() === 0);
  if ((await page.textContent('#play')).trim() === 'Play') await page.click('#play');
  await page.waitForFunction(() => {
    const grid = document.querySelector('#grid');
    const status = document.querySelector('#deployment-status');
    return grid && Number(grid.dataset.instances) >= 10000 && status?.dataset.status === 'IN_PROGRESS'
      && document.querySelector('#count-draining') && Number(document.querySelector('#count-draining').textContent) > 0;
  }, null, { timeout: 180000, polling: 250 });
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play')?.textContent === 'Play', null, { timeout: 5000 });
  const canvas = page.locator('#dense-canvas');
  const box = await canvas.boundingBox();
  const pitch = Number(await canvas.getAttribute('data-pitch'));
  await page.mouse.move(box.x + pitch * 5 + 2, box.y + pitch * 2 + 2);
  await page.waitForSelector('.dense-tip', { timeout: 5000 });
  const hovered = await page.getAttribute('.dense-tip', 'data-instance');
  check('hovering a cell names its instance', Boolean(hovered), hovered);
  await page.screenshot({ path: join(outDir, 'dense-10000-1280x800.png') });
  await page.mouse.click(box.x + pitch * 5 + 2, box.y + pitch * 2 + 2);
  await page.waitForSelector('#inspector', { timeout: 5000 });
  check('a click on a cell opens that instance in the inspector', await page.getAttribute('#inspector', 'data-instance') === hovered);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 800, height: 500 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'dense-10000-800x500.png') });
  const grid = await page.locator('#grid').boundingBox();
  check('800×500: the dense view fits the width', grid && grid.x + grid.width <= 800, JSON.stringify(grid));
  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | '));
} finally {
  await context.close();
}
finish();
