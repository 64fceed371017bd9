// What the browser tests share: the environment they need, a free loopback port, condition
// waits, the built server started on its own SQLite file, and Debian's Chromium.
//
// Environment (set by tests/CMakeLists.txt): FRUITPAK_BIN (the server binary),
// FRUITPAK_WEB_DIR (web/, for node_modules); optional CHROMIUM (default /usr/bin/chromium).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const BIN = process.env.FRUITPAK_BIN;
const WEB_DIR = process.env.FRUITPAK_WEB_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const WAIT_MS = 30_000;  // generous: an ASan build under a parallel test run

assert.ok(BIN && fs.existsSync(BIN), `FRUITPAK_BIN must name the built server (got ${BIN})`);
assert.ok(WEB_DIR && fs.existsSync(path.join(WEB_DIR, 'node_modules', 'playwright-core')),
  'FRUITPAK_WEB_DIR/node_modules/playwright-core is missing: run scripts/setup');
assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup (Debian chromium)`);

const { chromium } = createRequire(path.join(WEB_DIR, 'package.json'))('playwright-core');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Retries `check` (which throws or returns falsy while not ready) until it succeeds; a
// condition wait, bounded by `timeoutMs`. The pause between tries only paces the polling.
export async function until(what, check, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last ? last.message : 'not yet'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// `fruitpak serve` in `workDir` with `env` on a free loopback port, once it answers
// /health. Returns {baseUrl, stop}; stop() ends it with SIGTERM and waits (a clean stop also
// lets ASan report leaks).
export async function startServer(workDir, env) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = '';
  const server = spawn(BIN, ['serve'], { cwd: workDir, env: { ...env, HOST: '127.0.0.1', PORT: String(port) } });
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
  await Promise.race([
    until('the server to answer /health', async () => (await fetch(`${baseUrl}/health`)).ok),
    exited.then((code) => { throw new Error(`the server exited (${code}):\n${log}`); }),
  ]);
  const stop = async () => {
    if (server.exitCode !== null) return;
    server.kill('SIGTERM');
    await exited;
  };
  return { baseUrl, stop };
}

// Headless Chromium with the flags this machine's closed network needs.
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
