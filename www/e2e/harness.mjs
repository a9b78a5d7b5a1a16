// What every end-to-end script shares: its arguments, the pass/fail tally and its closing line (which
// `cargo xtask test` counts), and Debian's Chromium started headless with a fresh profile and the flags
// this closed network needs (no background connections).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// `node SCRIPT URL OUT_DIR`: the served site and where screenshots go (created).
export function scriptArgs(script) {
  const [url, outDir] = process.argv.slice(2);
  if (!url || !outDir) {
    console.error(`usage: node ${script} URL OUT_DIR`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  return { url, outDir };
}

let passed = 0;
let failed = 0;

export function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
}

/// Prints the tally `cargo xtask test` reads and exits with its verdict.
export function finish() {
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/// A browser of its own: a new profile directory, so nothing (localStorage included) is shared.
export async function launch(profilePrefix, viewport) {
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/// Collects the page's uncaught errors and failed responses (and console errors unless
/// `consoleToo` is false) into the returned array.
export function collectErrors(page, consoleToo = true) {
  const errors = [];
  if (consoleToo) page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('response', (res) => { if (res.status() >= 400) errors.push(`${res.status()} ${res.url()}`); });
  return errors;
}

/// One simulated minute, in the clock's milliseconds.
export const MINUTE = 60000;

/// Waits until `predicate(arg)` holds in `target` (a page or a frame), or until the simulated clock
/// (`#clock[data-elapsed-ms]`) has run `simulatedMs` past where it stood when the wait began: what
/// the playground promises is promised by a simulated time, so that is the budget, whatever the
/// machine's speed. The wall-clock timeout only guards against a page that stopped (a paused clock
/// never reaches its bound). Returns `{ met, at }` (the simulated ms when it stopped waiting) and
/// `hung: true` when the guard fired.
export async function untilSimulated(target, predicate, arg, simulatedMs, hangMs = 600000) {
  const clock = async () => Number(await target.getAttribute('#clock', 'data-elapsed-ms'));
  const limit = (await clock()) + simulatedMs;
  // A string expression, evaluated by the driver, so the page's Content-Security-Policy (no eval)
  // does not apply to it.
  const expression = `(() => {
    const met = Boolean((${predicate})(${JSON.stringify(arg ?? null)}));
    const at = Number(document.querySelector('#clock')?.dataset.elapsedMs);
    return met || at > ${limit} ? { met, at } : false;
  })()`;
  try {
    const handle = await target.waitForFunction(expression, null, { timeout: hangMs });
    return await handle.jsonValue();
  } catch {
    return { met: false, at: await clock().catch(() => NaN), hung: true };
  }
}

/// `untilSimulated`'s result as a check's detail.
export function simulatedDetail(result) {
  const at = Number.isFinite(result.at) ? `${(result.at / 60000).toFixed(1)} simulated min` : 'clock unreadable';
  return result.hung ? `the page stopped at ${at}` : `at ${at}`;
}
