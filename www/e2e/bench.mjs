// Benchmark (not a test): loads the playground's `?bench` page from a served release build in
// headless Chromium and prints, at 100, 1,000, 5,000 and 10,000 instances during a rolling update, the
// median frame work next to the plain-JavaScript baseline and the interval between animation frames
// (src/ui/bench.rs). First it prints the animation-frame rate of an empty page: the ceiling every
// interval below is quantised to. Usage: node bench.mjs URL [SIZES]
// (serve first with `cargo xtask serve`, then: node www/e2e/bench.mjs http://127.0.0.1:8080/;
// SIZES, e.g. 10000 or 1000,10000, measures only those fleet sizes)
import { chromium } from 'playwright-core';

const [url, sizes] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench.mjs URL [SIZES]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Headless Chromium drives animation frames from a 60 Hz clock whether or not anything is drawn:
  // measured here rather than assumed.
  const idle = await page.evaluate(() => new Promise((resolve) => {
    const stamps = [];
    const step = (t) => { stamps.push(t); if (stamps.length < 61) requestAnimationFrame(step); else resolve(stamps); };
    requestAnimationFrame(step);
  }));
  const gaps = idle.slice(1).map((t, i) => t - idle[i]).sort((a, b) => a - b);
  const gap = gaps[gaps.length >> 1];
  console.log(`bench: empty page animation frames every ${gap.toFixed(1)} ms (${(1000 / gap).toFixed(1)} fps), fastest ${gaps[0].toFixed(1)} ms`);
  page.on('console', (msg) => { if (msg.text().startsWith('bench:')) console.log(msg.text()); });
  page.on('pageerror', (err) => console.error(`page error: ${err}`));
  const target = new URL(url);
  target.searchParams.set('bench', '1');
  if (sizes) target.searchParams.set('sizes', sizes);
  await page.goto(target.toString(), { waitUntil: 'load' });
  await page.waitForSelector('#bench-status[data-done="true"]', { timeout: 600000 });
  const lines = await page.$eval('#bench-results', (e) => e.textContent.split('\n'));
  const at1000 = lines.find((l) => l.includes(' 1000 instances'));
  if (at1000) {
    const ms = parseFloat(at1000.match(/frame work ([\d.]+) ms/)[1]);
    console.log(`bench: 1,000 instances within the 8 ms frame budget: ${ms <= 8 ? 'yes' : 'no'} (${ms} ms)`);
  }
  const at10000 = lines.find((l) => l.includes(' 10000 instances'));
  if (at10000) {
    const ms = parseFloat(at10000.match(/frame interval median ([\d.]+) ms/)[1]);
    console.log(`bench: 10,000 instances at 30 fps or more: ${ms <= 33.4 ? 'yes' : 'no'} (frames every ${ms} ms)`);
  }
  // The real playground page, not only the benchmark page: the whole app (event log, timeline,
  // controls) playing the rolling-update preset at 100×, frame intervals sampled for 6 s once the
  // fleet is up and the update is rolling; then the time from a real Pause click (input through
  // the browser, queued behind whatever the page is doing) to the page showing the paused clock.
  // Printed so docs/performance.md's full-page figures have a command. Targets at 10,000 instances: median frame interval ≤ 33.4 ms (30 fps), Pause ≤ 100 ms.
  for (const instances of [1000, 10000]) {
    if (sizes && !sizes.split(',').includes(String(instances))) continue;
    const app = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    app.on('pageerror', (err) => console.error(`page error: ${err}`));
    const query = new URL(url);
    query.search = `?preset=rolling-update&instances=${instances}&speed=100`;
    await app.goto(query.toString(), { waitUntil: 'load' });
    await app.waitForSelector('#grid .tile, #grid canvas', { timeout: 120000 });
    if ((await app.textContent('#play')).trim() === 'Play') await app.click('#play');
    // Tiles, or the dense view's instance count.
    await app.waitForFunction((n) => {
      const grid = document.querySelector('#grid');
      const shown = grid && grid.dataset.instances ? Number(grid.dataset.instances) : document.querySelectorAll('#grid .tile').length;
      const status = document.querySelector('#deployment-status');
      return shown >= n && status && status.dataset.status === 'IN_PROGRESS';
    }, instances, { timeout: 180000, polling: 500 }).catch(() => console.log(`bench: (${instances}: the update was not seen rolling before sampling)`));
    await app.waitForTimeout(2000);
    const gaps = await app.evaluate(() => new Promise((resolve) => {
      const stamps = [];
      const end = performance.now() + 6000;
      const step = (t) => { stamps.push(t); if (t < end) requestAnimationFrame(step); else resolve(stamps.slice(1).map((x, i) => x - stamps[i])); };
      requestAnimationFrame(step);
    }));
    gaps.sort((a, b) => a - b);
    const at = (p) => gaps[Math.max(0, Math.ceil((gaps.length * p) / 100) - 1)];
    const behind = await app.$eval('#pace', (e) => e.textContent.trim()).catch(() => '');
    await app.evaluate(() => {
      const play = document.getElementById('play');
      window.__paused = new Promise((resolve) => {
        let downAt = null;
        play.addEventListener('pointerdown', (e) => { downAt = e.timeStamp; }, { capture: true, once: true });
        const observer = new MutationObserver(() => {
          if (downAt !== null && play.textContent.trim() === 'Play') {
            observer.disconnect();
            resolve({ ms: performance.now() - downAt, clock: document.getElementById('clock').textContent });
          }
        });
        observer.observe(play, { childList: true, subtree: true, characterData: true });
      });
    });
    // A page that blocks its main thread for longer than playwright's click allows never shows
    // the pause: reported as the time waited.
    const clicked = await app.click('#play', { timeout: 30000 }).then(() => true, () => false);
    const paused = clicked ? await app.evaluate(() => window.__paused) : { ms: 30000, clock: '' };
    await app.waitForTimeout(500);
    const clockLater = clicked ? await app.textContent('#clock') : '';
    const still = !clicked ? 'the click was not taken within 30 s' : clockLater === paused.clock ? 'clock stopped' : `clock moved on to ${clockLater}`;
    console.log(`bench: full playground page, ${instances} instances, playing at 100×: frame interval median ${at(50).toFixed(1)} ms (${(1000 / at(50)).toFixed(1)} fps), 90th percentile ${at(90).toFixed(1)} ms, ${gaps.length} frames in 6 s; pause click to paused clock ${clicked ? '' : '≥ '}${paused.ms.toFixed(0)} ms (${still})${behind ? `; ${behind}` : ''}`);
    if (instances === 10000) {
      console.log(`bench: full page at 10,000 instances: 30 fps or more: ${at(50) <= 33.4 ? 'yes' : 'no'} (frames every ${at(50).toFixed(1)} ms); Pause within 100 ms: ${paused.ms <= 100 ? 'yes' : 'no'} (${paused.ms.toFixed(0)} ms)`);
    }
    await app.close();
  }
} finally {
  await browser.close();
}
