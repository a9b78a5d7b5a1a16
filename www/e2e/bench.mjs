// Benchmark (not a test): loads the playground's `?bench` page from a served release build in
// headless Chromium and prints the median frame work at 100, 1,000, 5,000 and 10,000 instances during a
// rolling update next to the plain-JavaScript baseline. Usage: node bench.mjs URL
// (serve first with `cargo xtask serve`, then: node www/e2e/bench.mjs http://127.0.0.1:8080/)
import { chromium } from 'playwright-core';

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench.mjs URL');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (msg) => { if (msg.text().startsWith('bench:')) console.log(msg.text()); });
  page.on('pageerror', (err) => console.error(`page error: ${err}`));
  const target = new URL(url);
  target.searchParams.set('bench', '1');
  await page.goto(target.toString(), { waitUntil: 'load' });
  await page.waitForSelector('#bench-status[data-done="true"]', { timeout: 600000 });
  const at1000 = await page.$eval('#bench-results', (e) => e.textContent.split('\n').find((l) => l.includes(' 1000 instances')));
  const ms = at1000 ? parseFloat(at1000.match(/frame work ([\d.]+) ms/)[1]) : NaN;
  console.log(`bench: 1,000 instances within the 8 ms frame budget: ${ms <= 8 ? 'yes' : 'no'} (${ms} ms)`);
} finally {
  await browser.close();
}
