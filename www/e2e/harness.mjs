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
