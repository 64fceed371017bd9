// The cache dashboard end to end in Debian's Chromium (issue 9 point 3), driven by
// playwright-core: the built server on a free loopback port with its own SQLite file and the
// demo data (`fruitpak demo`), plus the suite's Redis as L2 when scripts/test provides one.
//
//   - an administrator logs in through the page's form and sees the figures move after API
//     requests; invalidating a prefix (confirmed in the dialog) makes the next request of
//     that prefix answer X-Cache: MISS;
//   - an operator sees "Administrators only"; a dead token sends the page back to the form.
//
// Screenshots go to docs/img/ (dashboard.png is the one the README shows). Every wait is on
// a condition (a DOM state, an HTTP answer), never a fixed delay.
//
// Environment: see harness.mjs; also FRUITPAK_IMG_DIR (docs/img) and, optional,
// FRUITPAK_TEST_REDIS_URL.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { BIN, WAIT_MS, launchBrowser, startServer, until } from './harness.mjs';

const IMG_DIR = process.env.FRUITPAK_IMG_DIR;
assert.ok(IMG_DIR, 'FRUITPAK_IMG_DIR must name docs/img');

let workDir;
let server;
let baseUrl;
let logins;   // role -> {email, password}, as `fruitpak demo` prints them
let browser;

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-dashboard-'));
  fs.mkdirSync(IMG_DIR, { recursive: true });
  const env = {
    ...process.env,
    ENVIRONMENT: 'test',
    DATABASE_URL: `sqlite:///${path.join(workDir, 'fruitpak.db')}`,
    BCRYPT_COST: '4',
    // One login per page here, but the whole suite shares the loopback address.
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    CACHE_VERSION: `browser-${process.pid}-${Date.now()}`,  // a private namespace in the shared Redis
    LOG_LEVEL: 'info',
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1',
  };
  delete env.REDIS_URL;
  if (process.env.FRUITPAK_TEST_REDIS_URL) env.REDIS_URL = process.env.FRUITPAK_TEST_REDIS_URL;

  // Demo data: an onboarded enterprise with an administrator and an operator.
  const { stdout } = await promisify(execFile)(BIN, ['demo'], { cwd: workDir, env, maxBuffer: 1 << 24 });
  logins = {};
  for (const m of stdout.matchAll(/^\s+(\w+) login: (\S+) \/ (\S+)$/gm)) logins[m[1]] = { email: m[2], password: m[3] };
  assert.ok(logins.administrator && logins.operator, `unexpected demo output:\n${stdout}`);

  server = await startServer(workDir, env);
  baseUrl = server.baseUrl;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  await page.goto(`${baseUrl}/dashboard`);
  return { context, page, problems };
}

async function logIn(page, who) {
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await page.click('#login-submit');
}

// An API request from the page, with the page's token; returns status and X-Cache.
function apiFromPage(page, target) {
  return page.evaluate(async (t) => {
    const res = await fetch(t, { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('fruitpak.dashboard.token') } });
    return { status: res.status, cache: res.headers.get('X-Cache') };
  }, target);
}

const cellNumber = async (page, prefix, cls) =>
  Number(await page.locator(`#prefixes tr[data-prefix="${prefix}"] .${cls}`).textContent());

test('an administrator watches the cache and invalidates a prefix', async () => {
  const { context, page, problems } = await openPage();
  await page.screenshot({ path: path.join(IMG_DIR, 'dashboard-login.png') });
  await logIn(page, logins.administrator);
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
  const growersRow = page.locator('#prefixes tr[data-prefix="growers"]');
  await growersRow.waitFor();
  assert.equal(await page.evaluate(() => typeof sessionStorage.getItem('fruitpak.dashboard.token')), 'string');

  // The figures follow API traffic: a miss then a hit of growers, and requests/s appears.
  const missesBefore = await cellNumber(page, 'growers', 'misses');
  const hitsBefore = await cellNumber(page, 'growers', 'l1-hits');
  const totalBefore = await page.locator('#requests-total').textContent();
  assert.equal((await apiFromPage(page, '/api/growers/?limit=5')).cache, 'MISS');
  assert.equal((await apiFromPage(page, '/api/growers/?limit=5')).cache, 'HIT-L1');
  await until('the growers row to count the miss and the hit', async () =>
    (await cellNumber(page, 'growers', 'misses')) === missesBefore + 1 &&
    (await cellNumber(page, 'growers', 'l1-hits')) === hitsBefore + 1);
  await until('the request total to change', async () =>
    (await page.locator('#requests-total').textContent()) !== totalBefore);
  await page.waitForFunction(() => /^[0-9.]+$/.test(document.getElementById('rps').textContent));
  assert.notEqual(await growersRow.locator('.l1-bytes').textContent(), '0 B');
  assert.match(await growersRow.locator('.ratio-total').textContent(), /%$/);
  assert.match(await page.locator('#l1-detail').textContent(), /^of /);
  assert.match(await page.locator('#redis-state').textContent(),
    process.env.FRUITPAK_TEST_REDIS_URL ? /^circuit closed$/ : /^not configured$/);

  // Some traffic over several polls, for the charts and the screenshot.
  const lists = ['/api/growers/', '/api/packhouses/', '/api/batches/', '/api/pallets/', '/api/lots/'];
  await until('the charts to hold five polls of traffic', async () => {
    for (const target of lists) await apiFromPage(page, target);
    return Number(await page.locator('#chart-rps').getAttribute('data-points')) >= 5;
  }, 60_000);

  // Invalidate growers: cancel first (nothing happens), then confirm.
  await growersRow.locator('button.invalidate').click();
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirm-text').textContent(), /"growers"/);
  await page.click('#confirm-cancel');
  await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
  assert.equal((await apiFromPage(page, '/api/growers/?limit=5')).cache, 'HIT-L1');

  await growersRow.locator('button.invalidate').click();
  await page.click('#confirm-ok');
  await page.locator('#action-result', { hasText: 'Invalidated "growers"' }).waitFor();
  const next = await apiFromPage(page, '/api/growers/?limit=5');
  assert.equal(next.status, 200);
  assert.equal(next.cache, 'MISS');
  assert.equal((await apiFromPage(page, '/api/growers/?limit=5')).cache, 'HIT-L1');

  // The screenshot once the table shows the miss that followed the invalidation.
  const missesAfter = await cellNumber(page, 'growers', 'misses');
  await until('the dashboard to show the miss after the invalidation', async () =>
    (await cellNumber(page, 'growers', 'misses')) > missesAfter);
  await page.screenshot({ path: path.join(IMG_DIR, 'dashboard.png'), fullPage: true });

  // Clearing the tenant's cache, confirmed, makes every prefix miss.
  assert.equal((await apiFromPage(page, '/api/packhouses/')).cache, 'HIT-L1');
  await page.click('#clear-tenant');
  await page.click('#confirm-ok');
  await page.locator('#action-result', { hasText: 'Cleared' }).waitFor();
  assert.equal((await apiFromPage(page, '/api/packhouses/')).cache, 'MISS');

  assert.deepEqual(problems, []);
  await context.close();
});

test('an operator is told the dashboard is for administrators only', async () => {
  const { context, page, problems } = await openPage();
  await logIn(page, logins.operator);
  await page.locator('#denied-view', { hasText: 'Administrators only' }).waitFor({ state: 'visible' });
  assert.equal(await page.locator('#dashboard-view').isVisible(), false);
  // The refusal is the server's, not the page's: the stats route answers 403.
  assert.equal((await apiFromPage(page, '/api/cache/stats')).status, 403);
  await page.screenshot({ path: path.join(IMG_DIR, 'dashboard-denied.png') });
  await page.click('#denied-logout');
  await page.locator('#login-view').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fruitpak.dashboard.token')), null);
  // 403s of the stats poll are expected here; nothing else may fail.
  assert.deepEqual(problems.filter((p) => !/status of 403/.test(p)), []);
  await context.close();
});

test('a rejected token sends the page back to the login form', async () => {
  const { context, page } = await openPage();
  await page.evaluate(() => sessionStorage.setItem('fruitpak.dashboard.token', 'not-a-valid-token'));
  await page.reload();
  await page.locator('#login-view').waitFor({ state: 'visible' });
  await page.locator('#login-error', { hasText: 'log in again' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fruitpak.dashboard.token')), null);
  await context.close();
});
