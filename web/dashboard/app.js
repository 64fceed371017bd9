// FruitPAK cache dashboard: logs in through the API, polls GET /api/cache/stats every 2 s and
// drives POST /api/cache/invalidate and /api/cache/clear. Plain browser JavaScript, no build
// step; charts with the vendored uPlot (global `uPlot`).
//
// Rates and windowed latencies come from the difference between two polls: requests/s is
// the change of http.requests_total over the change of the server's uptime, p50/p99 are
// estimated from the change of the latency buckets (the way Prometheus' histogram_quantile
// does), and the hit ratio chart plots hits / served per poll.
'use strict';

(() => {
  const POLL_MS = 2000;
  const HISTORY = 150;  // points kept in the charts (5 minutes at one poll per 2 s)
  const TOKEN_KEY = 'fruitpak.dashboard.token';
  const WHO_KEY = 'fruitpak.dashboard.who';

  const $ = (id) => document.getElementById(id);
  const views = { login: $('login-view'), denied: $('denied-view'), dashboard: $('dashboard-view') };

  let pollTimer = null;
  let previous = null;   // the last stats answer
  let charts = null;
  const history = { t: [], total: [], l1: [], l2: [], rps: [] };

  // ---- formatting ----------------------------------------------------------------------

  const pct = (x) => (x == null || Number.isNaN(x) ? '–' : (100 * x).toFixed(1) + ' %');
  const msText = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) + ' ms' : x.toFixed(0) + ' ms');
  function bytesText(n) {
    if (n == null) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
  }
  function durationText(s) {
    if (s < 120) return s.toFixed(0) + ' s';
    if (s < 7200) return (s / 60).toFixed(0) + ' min';
    return (s / 3600).toFixed(1) + ' h';
  }

  // ---- views and session ---------------------------------------------------------------

  function show(name) {
    for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
    $('logout').hidden = name !== 'dashboard';
    $('who').textContent = name === 'dashboard' ? sessionStorage.getItem(WHO_KEY) || '' : '';
  }

  function stopPolling() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  }

  function logout(message) {
    stopPolling();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(WHO_KEY);
    previous = null;
    $('login-error').textContent = message || '';
    $('password').value = '';
    show('login');
    $('email').focus();
  }

  // Calls the API with the stored token. 401 means the session is over: back to the form.
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await res.json(); } catch (_) { /* not JSON */ }
    return { status: res.status, json };
  }

  function errorText(json, fallback) {
    if (json && typeof json.detail === 'string') return json.detail;
    if (json && Array.isArray(json.detail) && json.detail[0]) return json.detail[0].msg;
    return fallback;
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    $('login-submit').disabled = true;
    try {
      const email = $('email').value.trim();
      const { status, json } = await api('POST', '/api/auth/login', { email, password: $('password').value });
      if (status !== 200 || !json || !json.access_token) {
        $('login-error').textContent = errorText(json, 'Login failed (' + status + ')');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, json.access_token);
      sessionStorage.setItem(WHO_KEY, (json.user && json.user.email) || email);
      $('password').value = '';
      start();
    } catch (err) {
      $('login-error').textContent = 'Cannot reach the server: ' + err.message;
    } finally {
      $('login-submit').disabled = false;
    }
  });
  $('logout').addEventListener('click', () => logout());
  $('denied-logout').addEventListener('click', () => logout());

  // ---- polling -------------------------------------------------------------------------

  function start() {
    stopPolling();
    previous = null;
    for (const series of Object.values(history)) series.length = 0;
    poll();
  }

  async function poll() {
    pollTimer = null;
    let answer;
    try {
      answer = await api('GET', '/api/cache/stats');
    } catch (err) {
      setMeta('Server unreachable (' + err.message + '); retrying.');
      schedule();
      return;
    }
    if (!sessionStorage.getItem(TOKEN_KEY)) return;  // logged out meanwhile
    const { status, json } = answer;
    if (status === 401) { logout('Your session has ended; please log in again.'); return; }
    if (status === 403 || status === 400) {
      stopPolling();
      $('denied-text').textContent = 'The cache dashboard is for administrators only. ' +
        errorText(json, '');
      show('denied');
      return;
    }
    if (status === 200 && json) {
      show('dashboard');
      render(json);
    } else {
      setMeta('The server answered ' + status + '; retrying.');
    }
    schedule();
  }

  function schedule() {
    if (sessionStorage.getItem(TOKEN_KEY)) pollTimer = setTimeout(poll, POLL_MS);
  }

  function setMeta(text) { $('meta').textContent = text; }

  // ---- figures -------------------------------------------------------------------------

  // The q-quantile of a histogram given per-bucket counts and upper bounds (the last bucket
  // is +Inf), interpolated inside its bucket; null without observations.
  function quantile(q, counts, bounds) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const rank = q * total;
    let below = 0;
    for (let i = 0; i < counts.length; i += 1) {
      if (counts[i] === 0 || below + counts[i] < rank) { below += counts[i]; continue; }
      if (i >= bounds.length) return bounds[bounds.length - 1];
      const lower = i === 0 ? 0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - below) / counts[i]);
    }
    return bounds[bounds.length - 1];
  }

  function sumPrefixes(stats) {
    const sum = { l1: 0, l2: 0, served: 0 };
    for (const p of Object.values(stats.prefixes || {})) {
      sum.l1 += p.l1_hits;
      sum.l2 += p.l2_hits;
      sum.served += p.l1_hits + p.l2_hits + p.misses + p.stale + p.bypass;
    }
    return sum;
  }

  function render(stats) {
    const now = Date.now() / 1000;
    const http = stats.http;
    let rps = null, p50 = null, p99 = null, ratio = null;
    if (previous && previous.http && http && stats.uptime_s > previous.uptime_s) {
      const seconds = stats.uptime_s - previous.uptime_s;
      rps = Math.max(0, http.requests_total - previous.http.requests_total) / seconds;
      const delta = http.latency.buckets.map((n, i) => Math.max(0, n - (previous.http.latency.buckets[i] || 0)));
      p50 = quantile(0.5, delta, http.latency.bounds_ms);
      p99 = quantile(0.99, delta, http.latency.bounds_ms);
    }
    const sums = sumPrefixes(stats);
    if (previous && previous.prefixes) {
      const before = sumPrefixes(previous);
      const served = sums.served - before.served;
      ratio = served > 0
        ? { total: (sums.l1 + sums.l2 - before.l1 - before.l2) / served, l1: (sums.l1 - before.l1) / served,
            l2: (sums.l2 - before.l2) / served }
        : null;
    }

    $('rps').textContent = rps == null ? '–' : rps.toFixed(rps < 10 ? 2 : 0);
    $('requests-total').textContent = http ? http.requests_total + ' requests since start' : '';
    $('p50').textContent = p50 == null ? '–' : msText(p50);
    $('p99').textContent = p99 == null ? '–' : msText(p99);
    $('p50-all').textContent = http ? 'since start ' + msText(http.latency.p50_ms) : '';
    $('p99-all').textContent = http ? 'since start ' + msText(http.latency.p99_ms) : '';
    $('hit-ratio').textContent = sums.served ? pct((sums.l1 + sums.l2) / sums.served) : '–';
    $('hit-ratio-levels').textContent = sums.served
      ? 'L1 ' + pct(sums.l1 / sums.served) + ' · L2 ' + pct(sums.l2 / sums.served) + ' (since start)' : 'no cached reads yet';

    if (!stats.enabled) {
      $('l1-used').textContent = 'cache off';
      $('redis-state').textContent = 'cache off';
    } else {
      const l1 = stats.l1;
      $('l1-used').textContent = l1 ? bytesText(l1.bytes) : 'off';
      $('l1-meter').value = l1 && l1.max_bytes ? l1.bytes / l1.max_bytes : 0;
      $('l1-detail').textContent = l1
        ? 'of ' + bytesText(l1.max_bytes) + ' · ' + l1.entries + ' entries · yours ' + bytesText(l1.tenant_bytes) +
          ' · ' + l1.evictions + ' evictions'
        : 'CACHE_L1_BYTES=0';
      const l2 = stats.l2;
      const redis = $('redis-state');
      redis.textContent = l2 ? 'circuit ' + l2.circuit.replace('_', ' ') : 'not configured';
      redis.dataset.state = l2 ? l2.circuit : 'none';
      $('redis-detail').textContent = l2
        ? l2.connections_in_use + ' in use / ' + l2.connections_open + ' open · ' + l2.failures_total + ' failures'
        : 'no REDIS_URL: L1 only';
    }
    renderPrefixes(stats);
    setMeta('Cache version ' + (stats.version || '–') + ', up ' + durationText(stats.uptime_s) +
      ', updated ' + new Date().toLocaleTimeString() + '.');

    pushHistory(now, ratio, rps);
    previous = stats;
  }

  function renderPrefixes(stats) {
    const body = document.querySelector('#prefixes tbody');
    const names = Object.keys(stats.prefixes || {}).sort();
    // Rows are kept by prefix, so a button under the pointer is not replaced every poll.
    const rows = new Map([...body.querySelectorAll('tr')].map((tr) => [tr.dataset.prefix, tr]));
    for (const [name, tr] of rows) if (!names.includes(name)) tr.remove();
    for (const name of names) {
      const p = stats.prefixes[name];
      let tr = rows.get(name);
      if (!tr) {
        tr = document.createElement('tr');
        tr.dataset.prefix = name;
        const cells = ['prefix', 'l1-hits', 'l2-hits', 'misses', 'stale', 'l2-errors', 'ratio-l1', 'ratio-l2',
          'ratio-total', 'load', 'l1-bytes', 'evictions'];
        for (const cls of cells) {
          const td = document.createElement(cls === 'prefix' ? 'th' : 'td');
          if (cls === 'prefix') td.scope = 'row'; else td.className = 'num';
          td.classList.add(cls);
          tr.appendChild(td);
        }
        const action = document.createElement('td');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'invalidate';
        button.textContent = 'Invalidate';
        button.setAttribute('aria-label', 'Invalidate ' + name);
        button.addEventListener('click', () => invalidate(name));
        action.appendChild(button);
        tr.appendChild(action);
        body.appendChild(tr);  // names are sorted: appending keeps the order
      }
      const served = p.l1_hits + p.l2_hits + p.misses + p.stale + p.bypass;
      const set = (cls, text) => { tr.querySelector('.' + cls).textContent = text; };
      set('prefix', name);
      set('l1-hits', p.l1_hits);
      set('l2-hits', p.l2_hits);
      set('misses', p.misses);
      set('stale', p.stale);
      set('l2-errors', p.l2_errors);
      set('ratio-l1', served ? pct(p.l1_hits / served) : '–');
      set('ratio-l2', served ? pct(p.l2_hits / served) : '–');
      set('ratio-total', served ? pct(p.hit_ratio) : '–');
      set('load', p.latency.load.count ? msText(p.latency.load.p50_ms) + ' / ' + msText(p.latency.load.p99_ms) : '–');
      set('l1-bytes', bytesText(p.l1_bytes));
      set('evictions', p.l1_evictions);
    }
  }

  // ---- actions -------------------------------------------------------------------------

  // Resolves true when the user confirms in the dialog.
  function confirmAction(text, okLabel) {
    const dialog = $('confirm-dialog');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = okLabel;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  async function runAction(text, okLabel, method, path, body, done) {
    if (!(await confirmAction(text, okLabel))) return;
    const result = $('action-result');
    result.classList.remove('error');
    const { status, json } = await api(method, path, body);
    if (status === 401) { logout('Your session has ended; please log in again.'); return; }
    if (status !== 200) {
      result.classList.add('error');
      result.textContent = errorText(json, 'Refused (' + status + ')');
      return;
    }
    result.textContent = done(json.invalidated);
  }

  function invalidate(prefix) {
    return runAction('Invalidate every cached "' + prefix + '" response of your tenant? The next requests will load ' +
      'from the database.', 'Invalidate', 'POST', '/api/cache/invalidate', { prefix },
    (n) => 'Invalidated "' + prefix + '": ' + n + ' entries removed.');
  }

  $('clear-tenant').addEventListener('click', () => runAction(
    'Clear every cached response of your tenant? The next requests will load from the database.', 'Clear cache',
    'POST', '/api/cache/clear', undefined, (n) => 'Cleared the tenant\'s cache: ' + n + ' entries removed.'));

  // ---- charts --------------------------------------------------------------------------

  function chartWidth(el) { return Math.max(280, el.clientWidth - 8); }

  function makeCharts() {
    if (typeof uPlot === 'undefined') return null;  // the vendored script did not load
    const axes = [{ stroke: '#556', grid: { stroke: '#e4e7ee' } }];
    const hitsEl = $('chart-hits'), rpsEl = $('chart-rps');
    const hits = new uPlot({
      width: chartWidth(hitsEl), height: 200,
      scales: { y: { range: [0, 1] } },
      series: [{}, { label: 'total', stroke: '#1b7f3b', width: 2, value: (u, v) => pct(v) },
        { label: 'L1', stroke: '#2f6fde', value: (u, v) => pct(v) },
        { label: 'L2', stroke: '#c27c0e', value: (u, v) => pct(v) }],
      axes: [axes[0], { ...axes[0], values: (u, ticks) => ticks.map((t) => (100 * t).toFixed(0) + '%') }],
    }, [[], [], [], []], hitsEl);
    const rps = new uPlot({
      width: chartWidth(rpsEl), height: 200,
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      series: [{}, { label: 'requests/s', stroke: '#7a3fd1', width: 2, fill: 'rgba(122,63,209,0.08)',
        value: (u, v) => (v == null ? '–' : v.toFixed(2)) }],
      axes: [axes[0], axes[0]],
    }, [[], []], rpsEl);
    window.addEventListener('resize', () => {
      hits.setSize({ width: chartWidth(hitsEl), height: 200 });
      rps.setSize({ width: chartWidth(rpsEl), height: 200 });
    });
    return { hits, rps };
  }

  function pushHistory(t, ratio, rps) {
    if (rps == null && ratio == null) return;  // the first poll has no difference yet
    history.t.push(t);
    history.total.push(ratio ? ratio.total : null);
    history.l1.push(ratio ? ratio.l1 : null);
    history.l2.push(ratio ? ratio.l2 : null);
    history.rps.push(rps);
    for (const series of Object.values(history)) if (series.length > HISTORY) series.shift();
    $('chart-hits').dataset.points = $('chart-rps').dataset.points = String(history.t.length);
    if (!charts) charts = makeCharts();
    if (!charts) return;
    charts.hits.setData([history.t, history.total, history.l1, history.l2]);
    charts.rps.setData([history.t, history.rps]);
  }

  // ---- start ---------------------------------------------------------------------------

  if (sessionStorage.getItem(TOKEN_KEY)) start(); else show('login');
})();
