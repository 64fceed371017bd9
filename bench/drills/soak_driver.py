#!/usr/bin/env python3
"""Soak drill (issue 10, point 8): fixed-rate mixed load for minutes; memory, fds and p99 flat.

Standard library only; called by bench/drills/soak, which starts PostgreSQL, Redis, the demo
data and one server. Reuses the HTTP client and helpers of driver.py (imported, unchanged).

Load: open loop. A dispatcher releases request i at start + i / rate (the total count is
fixed: rate x duration) into a queue that --workers keep-alive clients drain; latency is
measured from the scheduled release, so a server that falls behind shows up as latency
(queueing included) instead of silently lowering the rate. The mix (weights out of 100):

  read  80: cached setup lists 35, cached lists the writes invalidate 20 (batches, lots,
            pallets), cached details 10 (a lot, a pallet), uncached 15 (/api/auth/me, a
            batch, the payments list)
  write 20: GRN intake 8, lots from a batch 5, pallets from lots 3, grower payments 4

A write whose input is not there yet (a lot needs a batch with weight left, a pallet needs
an unallocated lot) becomes a GRN instead. Every write is valid, so every answer should be
2xx.

Sampling: every --sample-every seconds VmRSS from /proc/PID/status and the entry count of
/proc/PID/fd; every --metrics-every seconds GET /metrics, paired with a /proc reading taken
right after, for fp_process_resident_memory_bytes, fp_process_open_fds and the L1 cache size.

Checks (exit 1 when one fails), with the warm-up = --warmup-fraction of the run (20 %):
  0 connection errors; 0 responses >= 500; 0 4xx (the load sends only valid requests);
  every scheduled request sent; the server alive;
  RSS: every sample after the warm-up within +-rss-tolerance (10 %) of the post-warm-up
    baseline (the median of the samples in the first 10 s after the warm-up);
  fds, net of the database and Redis pool connections (/metrics): at the last scrape under
    load, and once the load's --workers connections are closed (plus those), <= the first
    scrape after the warm-up + --fd-allowance. The pools grow under a latency spike up to
    DB_POOL_SIZE and REDIS_POOL_SIZE by design and shrink when idle; an fd leak shows in
    the rest;
  p99: the pooled p99 of the last quarter of the post-warm-up time <= --p99-factor x the
    pooled p99 of its first quarter + --p99-slack-ms. Quarter windows (2 minutes in a 10
    minute run, ~20,000 requests at the default rate) rather than single intervals: a leak
    or an unindexed growing table makes latency trend upward for good, which this catches,
    while one noisy minute from other jobs on a shared machine does not fail the run;
  /metrics agrees with /proc: RSS within 10 %, fds within 3 (the scrape's own
    directory handle and connection differ from the /proc reading taken just after).
"""

import argparse
import collections
import json
import os
import queue
import random
import re
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import driver  # noqa: E402  (the shared HTTP client and helpers)

T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def log(msg):
    print(f"[{now():7.2f}s] {msg}", file=sys.stderr, flush=True)


# ---- the mix ---------------------------------------------------------------------------

MIX = [
    ("cached", 35), ("list", 20), ("detail", 10), ("uncached", 15),
    ("grn", 8), ("lot", 5), ("pallet", 3), ("payment", 4),
]
CACHED = ["/api/growers/?limit=50", "/api/packhouses/", "/api/pallets/config/box-sizes",
          "/api/pallets/config/pallet-types"]
LISTS = ["/api/batches/?limit=20", "/api/lots/?limit=20", "/api/pallets/?limit=20"]
LOT_KG = 50.0
LOT_CARTONS = 10


class Rec:
    __slots__ = ("sched", "start", "end", "kind", "status", "error")


class World:
    """What the writes created so far, for the reads and the next writes (under a lock)."""

    def __init__(self, growers, packhouses, pallet_types):
        self.growers, self.packhouses, self.pallet_types = growers, packhouses, pallet_types
        self.lock = threading.Lock()
        self.batches = collections.deque(maxlen=200)   # ids, for reads
        self.open_batches = collections.deque()        # [id, packhouse, kg left], for lots
        self.lots = collections.deque(maxlen=200)      # ids, for reads
        self.free_lots = collections.deque()           # (id, packhouse), not on a pallet yet
        self.pallets = collections.deque(maxlen=200)   # ids, for reads


class Soak:
    def __init__(self, args, token, world):
        self.args = args
        self.host, self.port = driver.parse_base(args.base)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.world = world
        self.total = int(args.minutes * 60 * args.rate)
        self.queue = queue.Queue()
        self.records = []
        self.rec_lock = threading.Lock()
        self.clients = []
        self.start_at = None

    # The dispatcher: open loop, bounded count.
    def dispatch(self):
        rng = random.Random(1)
        weights = [w for _, w in MIX]
        kinds = [k for k, _ in MIX]
        self.start_at = now()
        for i in range(self.total):
            at = self.start_at + i / self.args.rate
            delay = at - now()
            if delay > 0:
                time.sleep(delay)
            self.queue.put((at, rng.choices(kinds, weights)[0], rng.random()))
        for _ in range(self.args.workers):
            self.queue.put(None)

    def worker(self, index):
        rng = random.Random(100 + index)
        client = driver.Client(self.host, self.port)
        self.clients.append(client)
        while True:
            item = self.queue.get()
            if item is None:
                break
            at, kind, r = item
            rec = self.one(client, rng, at, kind, r)
            with self.rec_lock:
                self.records.append(rec)
        client.close()

    def request_for(self, rng, kind, r):
        """(kind, method, path, body, on_success) for one scheduled request."""
        w = self.world
        path = None
        with w.lock:
            if kind == "lot":
                if not w.open_batches:
                    kind = "grn"
                else:
                    b = w.open_batches[0]
                    b[2] -= LOT_KG
                    if b[2] < LOT_KG:
                        w.open_batches.popleft()
                    batch_id, packhouse = b[0], b[1]
            elif kind == "pallet":
                if not w.free_lots:
                    kind = "grn"
                else:
                    lot_id, packhouse = w.free_lots.popleft()
            elif kind == "detail":
                pool = w.lots if r < 0.5 else w.pallets
                kind = "detail" if pool else "cached"
                if pool:
                    path = (f"/api/lots/{rng.choice(pool)}" if r < 0.5 else f"/api/pallets/{rng.choice(pool)}")
            elif kind == "uncached" and r < 0.4 and w.batches:
                path = f"/api/batches/{rng.choice(w.batches)}"
            elif kind == "uncached":
                path = "/api/auth/me" if r < 0.7 else "/api/payments/grower?limit=20"
        if kind == "cached":
            return kind, "GET", rng.choice(CACHED), None, None
        if kind == "list":
            return kind, "GET", LISTS[int(r * len(LISTS))], None, None
        if kind in ("detail", "uncached"):
            return kind, "GET", path, None, None
        if kind == "grn":
            packhouse = rng.choice(w.packhouses)
            gross = round(rng.uniform(500, 2000), 1)
            body = {"grower_id": rng.choice(w.growers), "packhouse_id": packhouse, "fruit_type": "apple",
                    "variety": "soak", "gross_weight_kg": gross, "tare_weight_kg": 40}

            def on_grn(doc):
                batch = doc["batch"]
                with w.lock:
                    w.batches.append(batch["id"])
                    w.open_batches.append([batch["id"], packhouse, gross - 40])
            return kind, "POST", "/api/batches/grn", body, on_grn
        if kind == "lot":
            body = {"lots": [{"grade": "A", "size": "M", "carton_count": LOT_CARTONS, "weight_kg": LOT_KG}]}

            def on_lot(doc):
                with w.lock:
                    for lot in doc:
                        w.lots.append(lot["id"])
                        w.free_lots.append((lot["id"], packhouse))
            return kind, "POST", f"/api/lots/from-batch/{batch_id}", body, on_lot
        if kind == "pallet":
            body = {"pallet_type_name": rng.choice(w.pallet_types), "packhouse_id": packhouse,
                    "lot_assignments": [{"lot_id": lot_id, "box_count": LOT_CARTONS}]}

            def on_pallet(doc):
                with w.lock:
                    w.pallets.extend(p["id"] for p in doc)
            return kind, "POST", "/api/pallets/from-lots", body, on_pallet
        body = {"grower_id": rng.choice(w.growers), "amount": round(rng.uniform(100, 5000), 2),
                "currency": "ZAR", "payment_type": "advance", "payment_date": "2026-11-26", "notes": "soak"}
        return "payment", "POST", "/api/payments/grower", body, None

    def one(self, client, rng, at, kind, r):
        rec = Rec()
        rec.sched, rec.start = at, now()
        rec.status = rec.error = None
        kind, method, path, body, on_success = self.request_for(rng, kind, r)
        rec.kind = kind
        try:
            status, _, payload = client.request(method, path, body, self.auth)
            rec.status = status
            if 200 <= status < 300 and on_success:
                on_success(json.loads(payload))
            elif status >= 400 and self.args.verbose:
                log(f"{method} {path}: {status} {payload[:200]!r}")
        except Exception as ex:  # noqa: BLE001 -- every failure is a counted outcome
            rec.error = f"{type(ex).__name__}: {ex}"
        rec.end = now()
        return rec

    def run(self):
        threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(self.args.workers)]
        for th in threads:
            th.start()
        self.dispatch()
        for th in threads:
            th.join(timeout=60)


# ---- sampling --------------------------------------------------------------------------


def proc_sample(pid):
    """(VmRSS bytes, open fds) of pid from /proc."""
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def parse_metrics(text):
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(fp_process_resident_memory_bytes|fp_process_open_fds|fp_cache_l1_bytes|fp_cache_l1_entries"
                     r"|fp_db_pool_connections|fp_redis_connections)(\{[^}]*\})? (\S+)$", line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0.0) + float(m.group(3))
    return out


class Sampler:
    def __init__(self, args):
        self.args = args
        self.client = driver.Client(*driver.parse_base(args.base))
        self.headers = {"Authorization": f"Bearer {args.metrics_token}"} if args.metrics_token else {}
        self.samples = []   # (t, rss, fds, l1_bytes or None)
        self.pairs = []     # (t, metrics dict, proc rss, proc fds)
        self.errors = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.l1 = None

    def scrape(self):
        status, _, body = self.client.request("GET", "/metrics", None, self.headers)
        if status != 200:
            raise RuntimeError(f"/metrics answered {status}")
        m = parse_metrics(body.decode())
        rss, fds = proc_sample(self.args.server_pid)
        self.pairs.append((now(), m, rss, fds))
        self.l1 = m.get("fp_cache_l1_bytes")

    def loop(self):
        next_metrics = 0.0
        while not self.stop.is_set():
            t = now()
            try:
                if t >= next_metrics:
                    next_metrics = t + self.args.metrics_every
                    self.scrape()
                rss, fds = proc_sample(self.args.server_pid)
                self.samples.append((now(), rss, fds, self.l1))
            except Exception as ex:  # noqa: BLE001
                self.errors.append(f"{type(ex).__name__}: {ex}")
                self.client.close()
            self.stop.wait(self.args.sample_every)

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=10)


# ---- report ----------------------------------------------------------------------------


def ms(v):
    return v * 1000.0


def lat(recs):
    return [r.end - r.sched for r in recs]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--demo-out", required=True)
    p.add_argument("--server-log", default="")
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--rate", type=float, default=150.0, help="requests/s (open loop)")
    p.add_argument("--workers", type=int, default=16, help="keep-alive client connections")
    p.add_argument("--interval", type=float, default=60.0, help="seconds per table row")
    p.add_argument("--warmup-fraction", type=float, default=0.2)
    p.add_argument("--sample-every", type=float, default=2.0)
    p.add_argument("--metrics-every", type=float, default=None,
                   help="seconds between /metrics scrapes (default: 30, or a tenth of a shorter run)")
    p.add_argument("--metrics-token", default="")
    p.add_argument("--rss-tolerance", type=float, default=0.10)
    p.add_argument("--fd-allowance", type=int, default=4)
    p.add_argument("--p99-factor", type=float, default=2.0)
    p.add_argument("--p99-slack-ms", type=float, default=5.0)
    p.add_argument("--csv", default="", help="write the RSS/fd curve here")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    if args.metrics_every is None:
        args.metrics_every = min(30.0, args.minutes * 60 / 10)

    client, token, growers, packhouses = driver.setup_load(args)
    auth = {"Authorization": f"Bearer {token}"}
    pallet_types = [t["name"] for t in driver.items_of(
        client.request("GET", "/api/pallets/config/pallet-types", None, auth)[2])]
    client.close()
    if not pallet_types:
        raise SystemExit("the demo data has no pallet types")
    world = World(growers, packhouses, pallet_types)
    soak = Soak(args, token, world)
    sampler = Sampler(args)
    duration = args.minutes * 60
    log(f"soak: {soak.total} requests at {args.rate:g}/s over {duration:.0f}s, {args.workers} connections")
    sampler.start()
    soak.run()
    t_load_end = now()
    # The fd count with the load's connections closed (the server notices the FINs at once).
    for c in soak.clients:
        c.close()
    time.sleep(1.0)
    sampler.finish()
    try:
        sampler.scrape()  # the idle reading, last in sampler.pairs
        fds_idle = sampler.pairs[-1][3]
    except Exception:  # noqa: BLE001 -- a dead server fails the checks below
        fds_idle = 10**9
    alive = driver.alive(args.server_pid)

    t0 = soak.start_at
    warm_end = t0 + args.warmup_fraction * duration
    recs = soak.records
    samples = sampler.samples
    post = [s for s in samples if warm_end <= s[0] <= t_load_end]
    base_win = [s for s in post if s[0] <= warm_end + 10.0] or post[:1]
    rss_base = statistics.median(s[1] for s in base_win) if base_win else 0
    fds_base = statistics.median(s[2] for s in base_win) if base_win else 0

    # The table.
    print(f"\n== drill soak: {len(recs)} requests of {soak.total} scheduled, {args.rate:g}/s for "
          f"{duration / 60:g} min; warm-up {args.warmup_fraction * duration:.0f}s")
    print(f"requests by kind: {driver.fmt_counter(collections.Counter(r.kind for r in recs))}")
    print(f"by class: {driver.fmt_counter(driver.by_class(recs))}")
    print(f"\n{'min':>5} {'requests':>8} {'2xx':>6} {'4xx':>4} {'5xx':>4} {'conn':>4} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'RSS MiB':>8} {'fds':>4} {'L1 MiB':>7}")
    rows = int((duration + args.interval - 1e-9) // args.interval)
    for i in range(rows):
        a, b = t0 + i * args.interval, t0 + (i + 1) * args.interval
        rs = [r for r in recs if a <= r.sched < b]
        ss = [s for s in samples if a <= s[0] < b] or [s for s in samples if s[0] < b][-1:]
        c = driver.by_class(rs)
        ls = lat(rs)
        last = ss[-1] if ss else (0, 0, 0, None)
        l1 = f"{last[3] / 2**20:7.1f}" if last[3] is not None else f"{'-':>7}"
        mark = "*" if b <= warm_end + 1e-9 else " "
        print(f"{(a - t0) / 60:4.1f}{mark} {len(rs):8} {c['2xx']:6} {c['4xx']:4} {c['5xx']:4} {c['conn_error']:4} "
              f"{ms(driver.pct(ls, 0.5)):7.1f} {ms(driver.pct(ls, 0.99)):7.1f} {ms(max(ls, default=0)):7.1f} "
              f"{last[1] / 2**20:8.1f} {last[2]:4} {l1}")
    print("(* = warm-up; min = start of the row in minutes; latency from the scheduled send, queueing included)")

    all_ls = lat(recs)
    lag = [r.start - r.sched for r in recs]
    print(f"\nlatency ms p50/p99/max: {ms(driver.pct(all_ls, 0.5)):.1f}/{ms(driver.pct(all_ls, 0.99)):.1f}/"
          f"{ms(max(all_ls, default=0)):.1f}; send lag behind schedule p99 {ms(driver.pct(lag, 0.99)):.1f} ms")
    for kind, _ in MIX:
        ks = [r for r in recs if r.kind == kind]
        if ks:
            kl = lat(ks)
            print(f"  {kind:9} {len(ks):7}  p50 {ms(driver.pct(kl, 0.5)):6.1f}  p99 {ms(driver.pct(kl, 0.99)):6.1f} ms")

    rss_post = [s[1] for s in post]
    rss_lo, rss_hi = (min(rss_post), max(rss_post)) if rss_post else (0, 0)
    slope = 0.0
    if len(post) >= 3:
        xs = [s[0] for s in post]
        ys = [s[1] / 2**20 for s in post]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        den = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 60 if den else 0.0
    print(f"\nRSS after warm-up: baseline {rss_base / 2**20:.1f} MiB, min {rss_lo / 2**20:.1f}, max {rss_hi / 2**20:.1f} "
          f"({(rss_lo / rss_base - 1) * 100 if rss_base else 0:+.1f} % .. {(rss_hi / rss_base - 1) * 100 if rss_base else 0:+.1f} %), "
          f"trend {slope:+.2f} MiB/min")
    fds_last = post[-1][2] if post else 0
    print(f"fds: baseline {fds_base:.0f}, max after warm-up {max((s[2] for s in post), default=0)}, "
          f"last under load {fds_last}, load connections closed {fds_idle}")

    def net_fds(pair):
        m = pair[1]
        return pair[3] - m.get("fp_db_pool_connections", 0) - m.get("fp_redis_connections", 0)
    load_pairs = [pr for pr in sampler.pairs[:-1] if warm_end <= pr[0] <= t_load_end]
    net_base = net_fds(load_pairs[0]) if load_pairs else 0
    net_last = net_fds(load_pairs[-1]) if load_pairs else 10**9
    net_idle = net_fds(sampler.pairs[-1]) + args.workers if sampler.pairs else 10**9
    print(f"fds net of pool connections: {net_base:.0f} after warm-up, {net_last:.0f} at the last scrape under "
          f"load, {net_idle:.0f} idle (+{args.workers} load connections)")

    span = t_load_end - warm_end
    q = span / 4
    first = [r for r in recs if warm_end <= r.sched < warm_end + q]
    lastq = [r for r in recs if r.sched >= t_load_end - q]
    p99_first, p99_last = driver.pct(lat(first), 0.99), driver.pct(lat(lastq), 0.99)
    p99_limit = args.p99_factor * p99_first + args.p99_slack_ms / 1000
    print(f"p99 first quarter after warm-up {ms(p99_first):.1f} ms ({len(first)} requests), "
          f"last quarter {ms(p99_last):.1f} ms ({len(lastq)}); limit {ms(p99_limit):.1f} ms")

    worst_rss = worst_fd = 0.0
    print(f"/metrics vs /proc ({len(sampler.pairs)} scrapes):")
    for t, m, rss, fds in sampler.pairs:
        mr, mf = m.get("fp_process_resident_memory_bytes", -1), m.get("fp_process_open_fds", -1)
        worst_rss = max(worst_rss, abs(mr - rss) / max(rss, 1))
        worst_fd = max(worst_fd, abs(mf - fds))
        extra = ", ".join(f"{k.replace('fp_', '')}={v:.0f}" for k, v in m.items() if not k.startswith("fp_process"))
        print(f"  {t - t0:6.1f}s RSS {mr / 2**20:7.1f} / {rss / 2**20:7.1f} MiB, fds {mf:.0f} / {fds}; {extra}")
    if len(sampler.pairs) >= 2:
        # The L1 cache fills towards its budget by design; the rest of RSS is what a leak grows.
        after = [pr for pr in sampler.pairs if pr[0] >= warm_end] or sampler.pairs[-1:]
        a, b = after[0], sampler.pairs[-1]
        net = [(pr[2] - pr[1].get("fp_cache_l1_bytes", 0)) / 2**20 for pr in (a, b)]
        print(f"RSS net of L1 charges: {net[0]:.1f} MiB at {a[0] - t0:.0f}s, {net[1]:.1f} MiB at {b[0] - t0:.0f}s "
              f"(L1 {a[1].get('fp_cache_l1_bytes', 0) / 2**20:.1f} -> {b[1].get('fp_cache_l1_bytes', 0) / 2**20:.1f} MiB, "
              f"{a[1].get('fp_cache_l1_entries', 0):.0f} -> {b[1].get('fp_cache_l1_entries', 0):.0f} entries)")
    if sampler.errors:
        print(f"sampler errors: {len(sampler.errors)}, first: {sampler.errors[0]}")
    if args.server_log and os.path.exists(args.server_log):
        warnings = driver.server_warnings(args.server_log, 0)
        print(f"server warnings/errors in the log: {len(warnings)}")
        for line in warnings[:5]:
            print(f"    {line[:200]}")

    if args.csv:
        with open(args.csv, "w") as f:
            f.write("t_s,rss_mib,open_fds,l1_mib\n")
            for t, rss, fds, l1 in samples:
                f.write(f"{t - t0:.1f},{rss / 2**20:.2f},{fds},{'' if l1 is None else f'{l1 / 2**20:.2f}'}\n")
        print(f"RSS curve: {args.csv}")

    c = driver.Checks()
    cls = driver.by_class(recs)
    c.check(cls["conn_error"] == 0, f"0 connection errors ({cls['conn_error']})")
    c.check(cls["5xx"] == 0, f"0 responses >= 500 ({cls['5xx']})")
    c.check(cls["4xx"] == 0, f"0 4xx: every valid request accepted ({cls['4xx']})")
    c.check(len(recs) == soak.total, f"every scheduled request sent ({len(recs)} of {soak.total})")
    c.check(bool(post) and all(abs(s[1] - rss_base) <= args.rss_tolerance * rss_base for s in post),
            f"RSS within +-{args.rss_tolerance * 100:.0f} % of {rss_base / 2**20:.1f} MiB after warm-up "
            f"({rss_lo / 2**20:.1f}..{rss_hi / 2**20:.1f} MiB)")
    c.check(len(load_pairs) >= 2 and max(net_last, net_idle) <= net_base + args.fd_allowance,
            f"no fd growth net of pool connections: last {net_last:.0f}, idle {net_idle:.0f} <= "
            f"{net_base:.0f} + {args.fd_allowance}")
    c.check(len(first) > 0 and len(lastq) > 0 and p99_last <= p99_limit,
            f"p99 stable: last quarter {ms(p99_last):.1f} ms <= {args.p99_factor:g} x {ms(p99_first):.1f} + "
            f"{args.p99_slack_ms:g} ms")
    c.check(len(sampler.pairs) >= 2 and worst_rss <= 0.10 and worst_fd <= 3,
            f"/metrics process gauges agree with /proc (RSS off by <= {worst_rss * 100:.1f} %, fds by <= {worst_fd:.0f})")
    c.check(alive, "server alive")
    c.exit()


if __name__ == "__main__":
    main()
