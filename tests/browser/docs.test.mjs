// The API docs page end to end in Debian's Chromium (issue 9 point 2), driven by
// playwright-core: the built server on a free loopback port with its own SQLite file.
//
//   - /docs renders Swagger UI over /openapi.json with every request staying on the
//     server's origin (no internet: the UI is embedded in the binary);
//   - "Authorize" with the access_token of a login, then "Try it out" + "Execute" on
//     GET /api/auth/me sends that bearer token and shows the 200 answer with the user.
//
// Every wait is on a condition (a DOM state), never a fixed delay.
// Environment: see harness.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { WAIT_MS, launchBrowser, startServer, until } from './harness.mjs';

let workDir;
let server;
let baseUrl;
let browser;

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-docs-'));
  const env = {
    ...process.env,
    ENVIRONMENT: 'test',
    DATABASE_URL: `sqlite:///${path.join(workDir, 'fruitpak.db')}`,
    BCRYPT_COST: '4',
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000',
    RATE_LIMIT_REGISTER_PER_5_MINUTES: '1000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
    CACHE_ENABLED: 'false',
    ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1',
  };
  delete env.REDIS_URL;
  server = await startServer(workDir, env);
  baseUrl = server.baseUrl;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('Swagger UI authorizes with a token and tries a request', async () => {
  // An account to authorize with, made through the API itself.
  const email = `docs-${process.pid}@example.com`;
  const registered = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse', full_name: 'Docs Reader' }),
  });
  assert.equal(registered.status, 201, await registered.clone().text());
  const token = (await registered.json()).access_token;

  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  const foreign = [];
  const meRequests = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl) && !req.url().startsWith('data:')) foreign.push(req.url());
    if (req.url() === `${baseUrl}/api/auth/me`) meRequests.push(req.headers().authorization);
  });

  await page.goto(`${baseUrl}/docs`);
  await page.locator('.swagger-ui .info .title', { hasText: 'FruitPAK API' }).waitFor();
  // Every registered route is rendered; spot-check two tags' operations.
  await page.locator('#operations-growers-get_api_growers').waitFor({ state: 'attached' });
  const me = page.locator('#operations-auth-get_api_auth_me');
  await me.waitFor();

  // Authorize with the token (bearerAuth).
  await page.click('.swagger-ui .btn.authorize');
  const modal = page.locator('.swagger-ui .modal-ux');
  await modal.waitFor();
  const bearer = modal.locator('.auth-container', { hasText: 'bearerAuth' });
  await bearer.locator('input').fill(token);
  await bearer.locator('button', { hasText: 'Authorize' }).click();
  // Authorized: the button turned into "Logout".
  await bearer.locator('button[aria-label="Remove authorization"]').waitFor();
  await modal.locator('button.btn-done').first().click();
  await modal.waitFor({ state: 'detached' });

  // Try GET /api/auth/me.
  await me.locator('.opblock-summary').first().click();
  await me.locator('button.try-out__btn').click();
  await me.locator('button.execute').click();
  const status = me.locator('.live-responses-table tbody .response-col_status').first();
  await until('the response to show 200', async () => (await status.textContent()).trim() === '200');
  assert.match(await me.locator('.live-responses-table tbody .response-col_description').first().textContent(),
    new RegExp(email.replace(/[.@]/g, '\\$&')));
  assert.deepEqual(meRequests, [`Bearer ${token}`]);

  assert.deepEqual(foreign, [], 'every request stays on the server');
  assert.deepEqual(problems, []);
  await context.close();
});
