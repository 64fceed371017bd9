#!/usr/bin/env python3
"""Load, fault timeline and assertions of the failure drills (bench/drills/*, issue 10).

Standard library only. The drill scripts start the servers and call one subcommand:

  redis_kill   bounded mixed load; Redis SIGKILLed, restarted 10 s later
  pg_restart   bounded mixed load; PostgreSQL stopped ~5 s, then started
  bad_input    >= 200 malformed requests over raw sockets, then a liveness check

Each prints its figures and exits 0 when every assertion holds, 1 otherwise. Times are
seconds of time.monotonic() relative to the start of the load.
"""

import argparse
import collections
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def log(msg):
    print(f"[{now():7.2f}s] {msg}", file=sys.stderr, flush=True)


# ---- HTTP ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects after an error (the error is reported)."""

    def __init__(self, host, port, timeout=5.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers dict lower-case, body bytes) or raises OSError/HTTPException."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            res = self.conn.getresponse()
            payload = res.read()
            out = (res.status, {k.lower(): v for k, v in res.getheaders()}, payload)
            if res.will_close:
                self.close()
            return out
        except Exception:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def parse_base(base):
    m = re.match(r"http://([^:/]+):(\d+)", base)
    return m.group(1), int(m.group(2))


def demo_login(demo_out, role="administrator"):
    for line in open(demo_out):
        m = re.match(rf"\s*{role} login: (\S+) / (\S+)", line)
        if m:
            return m.group(1), m.group(2)
    raise SystemExit(f"no {role} login in {demo_out}")


def login(client, email, password):
    status, _, body = client.request("POST", "/api/auth/login", {"email": email, "password": password})
    if status != 200:
        raise SystemExit(f"login failed: {status} {body[:200]!r}")
    return json.loads(body)["access_token"]


def items_of(body):
    doc = json.loads(body)
    return doc["items"] if isinstance(doc, dict) else doc


# ---- mixed load ------------------------------------------------------------------------

# Cached routes that no write of the load invalidates (GRN changes batches and payments):
# their entries stay current through a fault.
STABLE_CACHED = ["/api/growers/?limit=50", "/api/packhouses/", "/api/pallets/config/box-sizes"]
# Invalidated by every GRN the load writes.
BATCH_LIST = "/api/batches/?limit=20"


class Record:
    __slots__ = ("t", "dt", "kind", "path", "status", "x_cache", "retry_after", "error", "batch")

    def __init__(self, t, kind, path):
        self.t, self.kind, self.path = t, kind, path
        self.dt = 0.0
        self.status = None
        self.x_cache = None
        self.retry_after = None
        self.error = None
        self.batch = None


class Load:
    """Closed-loop workers at a bounded total rate over a fixed mix of routes:

    cached      the STABLE_CACHED lists (weight 45)
    batch_list  the batches list, cached but invalidated by the writes (15)
    uncached    GET /api/auth/me and GET /api/batches/{id} (25)
    write       POST /api/batches/grn (15)
    """

    MIX = [("cached", 45), ("batch_list", 15), ("uncached", 25), ("write", 15)]

    def __init__(self, base, token, growers, packhouses, workers, rate):
        self.host, self.port = parse_base(base)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.growers, self.packhouses = growers, packhouses
        self.workers, self.rate = workers, rate
        self.records = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.batch_ids = []
        self.threads = []

    def start(self):
        for i in range(self.workers):
            th = threading.Thread(target=self.worker, args=(i,), daemon=True)
            th.start()
            self.threads.append(th)

    def finish(self):
        self.stop.set()
        for th in self.threads:
            th.join(timeout=30)

    def pick(self, rng):
        r = rng.uniform(0, sum(w for _, w in self.MIX))
        for kind, w in self.MIX:
            r -= w
            if r <= 0:
                return kind
        return self.MIX[-1][0]

    def worker(self, index):
        rng = random.Random(index)
        client = Client(self.host, self.port)
        interval = self.workers / self.rate
        next_at = now() + rng.uniform(0, interval)
        while not self.stop.is_set():
            delay = next_at - now()
            if delay > 0:
                time.sleep(delay)
            next_at = max(next_at + interval, now() - interval)
            self.one(client, rng, self.pick(rng), index)
        client.close()

    def one(self, client, rng, kind, index):
        body = None
        method = "GET"
        if kind == "cached":
            path = rng.choice(STABLE_CACHED)
        elif kind == "batch_list":
            path = BATCH_LIST
        elif kind == "uncached":
            with self.lock:
                known = self.batch_ids[-50:]
            path = f"/api/batches/{rng.choice(known)}" if known and rng.random() < 0.5 else "/api/auth/me"
        else:
            method, path = "POST", "/api/batches/grn"
            body = {"grower_id": rng.choice(self.growers), "packhouse_id": rng.choice(self.packhouses),
                    "fruit_type": "apple", "variety": f"drill-{index}",
                    "gross_weight_kg": round(rng.uniform(500, 2000), 1), "tare_weight_kg": 40}
        rec = Record(now(), kind, path)
        try:
            status, headers, payload = client.request(method, path, body, self.auth)
            rec.status = status
            rec.x_cache = headers.get("x-cache")
            rec.retry_after = headers.get("retry-after")
            if kind == "write" and 200 <= status < 300:
                batch = json.loads(payload)["batch"]
                rec.batch = (batch["id"], batch["batch_code"])
                with self.lock:
                    self.batch_ids.append(batch["id"])
        except Exception as ex:  # noqa: BLE001 -- every failure is a counted outcome
            rec.error = f"{type(ex).__name__}: {ex}"
        rec.dt = now() - rec.t
        with self.lock:
            self.records.append(rec)


def setup_load(args):
    host, port = parse_base(args.base)
    client = Client(host, port)
    email, password = demo_login(args.demo_out)
    token = login(client, email, password)
    auth = {"Authorization": f"Bearer {token}"}
    growers = [g["id"] for g in items_of(client.request("GET", "/api/growers/?limit=50", None, auth)[2])]
    packhouses = [p["id"] for p in items_of(client.request("GET", "/api/packhouses/", None, auth)[2])]
    if not growers or not packhouses:
        raise SystemExit("the demo data has no growers or packhouses")
    return client, token, growers, packhouses


def svc(args, action):
    started = now()
    subprocess.run([args.svc, action], check=True, stdout=subprocess.DEVNULL)
    log(f"{action}: done in {now() - started:.2f}s")
    return now()


def by_class(records):
    out = collections.Counter()
    for r in records:
        out["conn_error" if r.error else f"{r.status // 100}xx"] += 1
    return out


def fmt_counter(counter):
    return ", ".join(f"{k}={v}" for k, v in sorted(counter.items())) or "none"


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Checks:
    def __init__(self):
        self.failed = []

    def check(self, ok, what):
        print(f"  [{'ok' if ok else 'FAIL'}] {what}")
        if not ok:
            self.failed.append(what)

    def exit(self):
        print("PASS" if not self.failed else f"FAIL ({len(self.failed)} check(s))")
        sys.exit(0 if not self.failed else 1)


def server_warnings(path, start_offset):
    with open(path, errors="replace") as f:
        f.seek(start_offset)
        return [line.rstrip() for line in f if re.match(r"^\S+ (warn|warning|error|critical)\b", line)]


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


# ---- drill 1: Redis killed -------------------------------------------------------------


class StatsPoller:
    """Polls GET /api/cache/stats: circuit state and hit/served totals over every prefix."""

    def __init__(self, base, token, period=0.1):
        self.client = Client(*parse_base(base))
        self.auth = {"Authorization": f"Bearer {token}"}
        self.period = period
        self.samples = []  # (t, circuit, hits, served, opened_total)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self):
        status, _, body = self.client.request("GET", "/api/cache/stats", None, self.auth)
        if status != 200:
            raise RuntimeError(f"/api/cache/stats answered {status}")
        doc = json.loads(body)
        hits = served = 0
        for p in doc["prefixes"].values():
            hits += p["l1_hits"] + p["l2_hits"]
            served += p["l1_hits"] + p["l2_hits"] + p["misses"] + p["stale"] + p["bypass"]
        l2 = doc.get("l2") or {}
        return (now(), l2.get("circuit"), hits, served, l2.get("circuit_opened_total", 0))

    def run(self):
        while not self.stop.is_set():
            try:
                self.samples.append(self.sample())
            except Exception as ex:  # noqa: BLE001
                log(f"stats poll failed: {ex}")
                self.client.close()
            time.sleep(self.period)

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=10)


def windowed_ratio(samples, t_from, t_to):
    """Hit ratio between the samples nearest to t_from and t_to (None without traffic)."""
    a = next((s for s in samples if s[0] >= t_from), None)
    b = next((s for s in reversed(samples) if s[0] <= t_to), None)
    if a is None or b is None or b[3] - a[3] <= 0:
        return None
    return (b[2] - a[2]) / (b[3] - a[3])


def redis_cli(port, *args, timeout=5.0, stdin=None):
    """redis-cli against 127.0.0.1:port: its stdout stripped ('' when it failed or timed out;
    an error reply is text, redis-cli exits 0 on it)."""
    try:
        out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *map(str, args)],
                             capture_output=True, text=True, timeout=timeout, input=stdin)
    except subprocess.TimeoutExpired:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def redis_info_counts(port, section, pattern):
    """{name: count} from INFO `section` lines matching `pattern` (name, number); {} if the
    node does not answer."""
    counts = {}
    for line in redis_cli(port, "INFO", section).splitlines():
        m = re.match(pattern, line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    return counts


def redis_command_calls(port):
    """{command: calls} from INFO commandstats."""
    return redis_info_counts(port, "commandstats", r"cmdstat_([a-z|]+):calls=(\d+)")


def start_load_and_poller(args):
    """The mixed load and the /api/cache/stats poller, started after logging in, then
    --warmup + --baseline seconds of it: (load, poller, the server log's size at the start,
    from where server_warnings reads)."""
    _, token, growers, packhouses = setup_load(args)
    log_offset = os.path.getsize(args.server_log)
    load = Load(args.base, token, growers, packhouses, args.workers, args.rate)
    poller = StatsPoller(args.base, token)
    log(f"load: {args.workers} workers, {args.rate} req/s in total")
    load.start()
    poller.start()
    time.sleep(args.warmup + args.baseline)
    return load, poller, log_offset


def drill_redis_kill(args):
    load, poller, log_offset = start_load_and_poller(args)
    t_kill = svc(args, "redis-kill")
    time.sleep(max(0.0, t_kill + args.down - now()))
    t_restart = now()
    t_back = svc(args, "redis-start")
    time.sleep(args.after)
    load.finish()
    poller.finish()
    final = poller.sample()

    recs = load.records
    samples = poller.samples
    base_ratio = windowed_ratio(samples, args.warmup, t_kill)
    outage_ratio = windowed_ratio(samples, t_kill + 1.0, t_restart)
    window = args.window
    recovered_at = None
    for s in samples:
        if s[0] < t_back:
            continue
        r = windowed_ratio(samples, s[0], s[0] + window)
        if r is not None and base_ratio and r >= 0.9 * base_ratio:
            recovered_at = s[0] + window  # the end of the first good window: conservative
            break
    closed_at = next((s[0] for s in samples if s[0] >= t_back and s[1] == "closed"), None)
    opened = final[4] - (samples[0][4] if samples else 0)
    warnings = server_warnings(args.server_log, log_offset)
    pool_warnings = [w for w in warnings if "L2 cache bypassed" in w]
    during = [r for r in recs if t_kill <= r.t < t_back]
    cached_during = [r for r in during if r.kind in ("cached", "batch_list")]

    print(f"\n== drill redis_kill: Redis SIGKILLed at {t_kill:.2f}s, restart issued at {t_restart:.2f}s, "
          f"accepting again at {t_back:.2f}s")
    print(f"requests: {len(recs)} ({fmt_counter(collections.Counter(r.kind for r in recs))})")
    print(f"by class: {fmt_counter(by_class(recs))}; while Redis was down: {len(during)} "
          f"({fmt_counter(by_class(during))})")
    print(f"X-Cache while down (cached routes): {fmt_counter(collections.Counter(r.x_cache for r in cached_during))}")
    lat = [r.dt * 1000 for r in recs if not r.error]
    lat_down = [r.dt * 1000 for r in during if not r.error]
    print(f"latency ms p50/p99/max: all {pct(lat, .5):.1f}/{pct(lat, .99):.1f}/{max(lat, default=0):.1f}; "
          f"while down {pct(lat_down, .5):.1f}/{pct(lat_down, .99):.1f}/{max(lat_down, default=0):.1f}")
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
    print(f"hit ratio: before {fmt(base_ratio)}, while down {fmt(outage_ratio)}, "
          f"last {window:.1f}s {fmt(windowed_ratio(samples, now() - window - 1, now()))}")
    print(f"circuit closed {fmt(None if closed_at is None else closed_at - t_back)}s after Redis returned; "
          f"hit ratio >= 90% of before {fmt(None if recovered_at is None else recovered_at - t_back)}s after "
          f"(end of the first {window:.1f}s window at that level)")
    print(f"circuit openings: {opened}; server warnings: {len(warnings)} "
          f"({len(pool_warnings)} from the L2 pool); requests while down per warning: "
          f"{len(during) / max(1, len(warnings)):.0f}")
    for w in warnings:
        print(f"    {w[:200]}")
    acked = [r for r in recs if r.batch]
    print(f"writes acknowledged: {len(acked)}")

    c = Checks()
    c.check(all(r.error is None for r in recs), "0 connection errors")
    c.check(all(r.error or r.status < 500 for r in recs), "0 responses >= 500")
    c.check(all(r.error or 200 <= r.status < 300 for r in recs), "every response 2xx (reads and writes)")
    c.check(len(during) >= 100, f"load ran while Redis was down ({len(during)} requests)")
    c.check(recovered_at is not None and recovered_at - t_back <= args.recover_within,
            f"hit ratio recovered within {args.recover_within:.0f}s of Redis returning")
    c.check(opened >= 1 and 1 <= len(pool_warnings) <= opened,
            "the L2 pool warned once per back-off period (circuit opening), not per request")
    c.check(len(warnings) <= opened + 4, "no other warning storm (<= openings + 4 warnings in total)")
    c.check(alive(args.server_pid), "server alive")
    c.exit()


# ---- drill 2: PostgreSQL stopped and started --------------------------------------------


def drill_pg_restart(args):
    _, token, growers, packhouses = setup_load(args)
    load = Load(args.base, token, growers, packhouses, args.workers, args.rate)
    log(f"load: {args.workers} workers, {args.rate} req/s in total")
    log_offset = os.path.getsize(args.server_log)
    load.start()
    time.sleep(args.warmup + args.baseline)
    t_stop = now()
    t_down = svc(args, "pg-stop-immediate" if args.immediate else "pg-stop")
    time.sleep(max(0.0, t_stop + args.down - now()))
    t_start = now()
    t_back = svc(args, "pg-start")
    time.sleep(args.after)
    load.finish()

    recs = load.records
    # The outage: from the stop command to the server accepting connections again. Requests
    # started inside it may still succeed (the stop takes a moment), so the assertions say
    # what a non-2xx must look like, not that every request failed.
    outage = [r for r in recs if t_stop <= r.t < t_back]
    hard_down = [r for r in recs if t_down <= r.t < t_start]
    cached = [r for r in outage if r.kind == "cached"]
    refused = [r for r in outage if r.kind in ("uncached", "write") and not r.error and r.status == 503]
    bad_refusals = [r for r in refused if not r.retry_after]
    after = [r for r in recs if r.t >= t_back]
    failing_after = [r for r in after if r.error or not 200 <= r.status < 300]
    full_service_at = max((r.t + r.dt for r in failing_after), default=t_back)
    acked = [r.batch for r in recs if r.batch]
    with open(args.acked_out, "w") as f:
        for batch_id, code in acked:
            f.write(f"{batch_id}\t{code}\n")

    print(f"\n== drill pg_restart: stop issued at {t_stop:.2f}s (down at {t_down:.2f}s), start issued at "
          f"{t_start:.2f}s, accepting again at {t_back:.2f}s ({'immediate' if args.immediate else 'fast'} shutdown)")
    print(f"requests: {len(recs)} ({fmt_counter(collections.Counter(r.kind for r in recs))})")
    print(f"by class: {fmt_counter(by_class(recs))}; during the outage {len(outage)} "
          f"({fmt_counter(by_class(outage))})")
    for kind in ("cached", "batch_list", "uncached", "write"):
        rs = [r for r in outage if r.kind == kind]
        print(f"  outage {kind:10}: {fmt_counter(by_class(rs))}; X-Cache {fmt_counter(collections.Counter(r.x_cache for r in rs if r.x_cache))}")
    ms = [r.dt * 1000 for r in refused]
    print(f"503 answers: {len(refused)}, latency ms p50/p99/max {pct(ms, .5):.1f}/{pct(ms, .99):.1f}/"
          f"{max(ms, default=0):.1f}; without Retry-After: {len(bad_refusals)}")
    print(f"full service {full_service_at - t_back:.2f}s after the database returned "
          f"({len(failing_after)} non-2xx after it)")
    print(f"writes acknowledged 2xx: {len(acked)} (checked against the database by the drill script)")
    unavailable_warnings = [w for w in server_warnings(args.server_log, log_offset) if "service unavailable" in w]
    outage_seconds = t_back - t_stop
    print(f"'service unavailable' warnings: {len(unavailable_warnings)} in a {outage_seconds:.1f}s outage")

    c = Checks()
    c.check(all(r.error is None for r in recs), "0 connection errors")
    c.check(all(r.error or r.status < 500 or r.status == 503 for r in recs), "no 5xx but 503")
    c.check(all(r.error or r.status < 400 or r.status == 503 for r in recs), "no 4xx")
    c.check(len(hard_down) >= 50, f"load ran while the database was down ({len(hard_down)} requests)")
    c.check(len(cached) > 0 and all(not r.error and 200 <= r.status < 300 for r in cached),
            f"cached reads kept answering 2xx ({len(cached)})")
    c.check(len(refused) > 0, "uncached reads and writes were refused with 503 while down")
    c.check(not bad_refusals, "every 503 carries Retry-After")
    c.check(max(ms, default=0) <= args.max_503_ms, f"every 503 within {args.max_503_ms:.0f} ms")
    c.check(full_service_at - t_back <= args.recover_within,
            f"full service within {args.recover_within:.0f}s of the database returning")
    c.check(len(unavailable_warnings) <= outage_seconds + args.after + 2,
            "at most one 'service unavailable' warning a second, not one per 503")
    c.check(alive(args.server_pid), "server alive")
    c.exit()


# ---- drill 7: bad input ----------------------------------------------------------------


def raw_exchange(host, port, data, timeout=10.0, chunks=None, chunk_delay=0.0):
    """Sends raw bytes and reads one response. Returns (status or None, note)."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        try:
            if chunks:
                for part in chunks:
                    s.sendall(part)
                    time.sleep(chunk_delay)
            else:
                s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused part way; its answer (if any) is still readable
        buf = b""
        while b"\r\n\r\n" not in buf:
            part = s.recv(65536)
            if not part:
                break
            buf += part
        m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
        if not m:
            return None, "closed without a response" if not buf else f"garbage {buf[:40]!r}"
        return int(m.group(1)), ""
    except socket.timeout:
        return None, "timeout"
    except ConnectionResetError:
        return None, "reset"
    finally:
        s.close()


def request_bytes(method, path, headers, body=b"", host="drill"):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    head = "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n\r\n"
    return head + body


INJECTIONS = ["' OR '1'='1", "'; DROP TABLE batches; --", "1; SELECT pg_sleep(5)--", "\" OR \"\"=\"",
              "{\"$gt\": \"\"}", "../../etc/passwd", "<script>alert(1)</script>", "%00", "\\u0000",
              "${jndi:ldap://x}", "' UNION SELECT password FROM users --", "NaN", "-1e309", "\x00"]

WRITE_TEMPLATES = {
    "/api/batches/grn": {"grower_id": "G", "packhouse_id": "P", "fruit_type": "apple",
                         "gross_weight_kg": 1000, "tare_weight_kg": 10, "variety": "v", "bin_type": "b",
                         "delivery_notes": "n", "quality_grade": "A", "harvest_team_id": "h",
                         "harvest_date": "2024-01-01", "bin_count": 3, "arrival_temp_c": 4,
                         "brix_reading": 11, "quality_assessment": {"k": "v"}},
    "/api/growers/": {"name": "n", "grower_code": "c", "contact_person": "p", "phone": "1", "email": "a@b.co",
                      "region": "r", "total_hectares": 1, "notes": "x"},
    "/api/packhouses/": {"name": "n", "location": "l", "capacity_tons_per_day": 1, "cold_rooms": 1},
    "/api/payments/grower": {"grower_id": "G", "amount": 10, "currency": "ZAR", "payment_type": "advance",
                             "payment_date": "2024-01-01", "batch_ids": ["B"], "notes": "n"},
    "/api/labour-costs/": {"category": "c", "description": "d", "amount": 1, "cost_date": "2024-01-01"},
    "/api/lots/from-batch/B": {"lots": [{"grade": "A", "size": "M", "carton_count": 1, "weight_kg": 1}]},
    "/api/pallets/from-lots": {"pallet_type": "p", "lot_allocations": [{"lot_id": "L", "box_count": 1}]},
    "/api/containers/": {"container_type": "reefer_40ft", "shipping_container_number": "X", "customer_name": "c"},
    "/api/auth/login": {"email": "a@b.co", "password": "p"},
    "/api/auth/register": {"email": "a@b.co", "password": "p", "full_name": "n"},
}


def templates_from_openapi(doc):
    """{path: {field: placeholder}} for every POST/PUT/PATCH with a JSON body in the OpenAPI
    document; path parameters become "B" (replaced by a real batch id, or not found)."""
    schemas = doc.get("components", {}).get("schemas", {})
    out = {}
    for path, ops in doc.get("paths", {}).items():
        for method in ("post", "put", "patch"):
            op = ops.get(method)
            if not op:
                continue
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = content.get("schema", {})
            if "$ref" in schema:
                schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            props = schema.get("properties", {})
            if props:
                out[re.sub(r"\{[^}]+\}", "B", path)] = {k: "x" for k in props}
    return out


def bad_cases(token, ids, write_templates):
    """(name, raw request bytes) for every case."""
    auth = ("Authorization", f"Bearer {token}")
    js = ("Content-Type", "application/json")
    cases = []

    def add(name, method, path, headers, body=b""):
        cases.append((name, request_bytes(method, path, headers, body)))

    # Broken JSON on every write endpoint.
    broken = [b"{", b"}", b"[", b"{\"a\":}", b"{\"a\" 1}", b"{'a': 1}", b"nul", b"{\"a\":1,}", b"\"str\"",
              b"123", b"[]", b"{\"grower_id\": \"\\ud800\"}", b"{\"a\":1}{\"b\":2}", b"\xef\xbb\xbf{}",
              b"{\"a\": 1e999999}", b"{\"a\": -}", b"{\"a\": tru}", b"\x00\x01\x02"]
    for path in WRITE_TEMPLATES:
        real = path.replace("/B", "/" + ids["batch"])
        for i, body in enumerate(broken):
            add(f"broken json {i} {path}", "POST", real, [auth, js], body)
    # Deep nesting.
    for depth in (100, 1000, 10000, 100000):
        add(f"nested arrays {depth}", "POST", "/api/batches/grn", [auth, js], b"[" * depth + b"]" * depth)
        add(f"nested objects {depth}", "POST", "/api/growers/", [auth, js],
            b"{\"a\":" * depth + b"1" + b"}" * depth)
        add(f"unclosed nesting {depth}", "POST", "/api/growers/", [auth, js], b"[" * depth)
    # Invalid UTF-8 in strings, headers and paths.
    for i, raw in enumerate([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf0\x28\x8c\x28", b"\xc0\xaf"]):
        add(f"invalid utf8 body {i}", "POST", "/api/growers/", [auth, js],
            b"{\"name\": \"" + raw + b"\", \"grower_code\": \"x\"}")
        cases.append((f"invalid utf8 path {i}", b"GET /api/growers/" + raw + b" HTTP/1.1\r\nHost: d\r\n"
                      + f"Authorization: Bearer {token}".encode() + b"\r\nConnection: close\r\n\r\n"))
        cases.append((f"invalid utf8 header {i}", b"GET /api/growers/ HTTP/1.1\r\nHost: d\r\nX-Bad: " + raw
                      + b"\r\n" + f"Authorization: Bearer {token}".encode() + b"\r\nConnection: close\r\n\r\n"))
    # Wrong content types.
    grn = json.dumps(dict(WRITE_TEMPLATES["/api/batches/grn"], grower_id=ids["grower"],
                          packhouse_id="no-such-packhouse")).encode()
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
               "application/xml", "", "application/json; charset=latin1", "image/png", "application/json\x00"]:
        add(f"content type {ct!r}", "POST", "/api/batches/grn", [auth, ("Content-Type", ct)], grn)
    # Huge and lying bodies.
    add("huge body 2 MiB", "POST", "/api/growers/", [auth, js], b"{\"name\": \"" + b"a" * (2 << 20) + b"\"}")
    add("huge body 16 MiB declared", "POST", "/api/growers/", [auth, js, ("Content-Length", str(16 << 20))],
        b"{" * 1024)
    add("content-length negative", "POST", "/api/growers/", [auth, js, ("Content-Length", "-5")], b"{}")
    add("content-length garbage", "POST", "/api/growers/", [auth, js, ("Content-Length", "12abc")], b"{}")
    add("content-length overflow", "POST", "/api/growers/", [auth, js, ("Content-Length", "9" * 30)], b"{}")
    add("content-length twice", "POST", "/api/growers/",
        [auth, js, ("Content-Length", "2"), ("Content-Length", "3")], b"{}")
    add("chunked huge", "POST", "/api/growers/", [auth, js, ("Transfer-Encoding", "chunked")],
        b"FFFFFFFFFFFFFFFF\r\n" + b"a" * 1000)
    add("chunked bad size", "POST", "/api/growers/", [auth, js, ("Transfer-Encoding", "chunked")], b"zz\r\n{}\r\n0\r\n\r\n")
    add("te and cl", "POST", "/api/growers/",
        [auth, js, ("Transfer-Encoding", "chunked"), ("Content-Length", "4")], b"2\r\n{}\r\n0\r\n\r\n")
    # Header floods and oversized headers.
    add("header flood 500", "GET", "/api/growers/", [auth] + [(f"X-F{i}", "x" * 40) for i in range(500)])
    add("header flood 5000", "GET", "/api/growers/", [auth] + [(f"X-F{i}", "y") for i in range(5000)])
    add("one huge header", "GET", "/api/growers/", [auth, ("X-Big", "z" * (64 << 10))])
    add("huge cookie", "GET", "/api/growers/", [auth, ("Cookie", "c=" + "q" * (32 << 10))])
    add("huge url", "GET", "/api/growers/?" + "a=1&" * 20000, [auth])
    add("huge bearer", "GET", "/api/growers/", [("Authorization", "Bearer " + "e" * (15 << 10))])
    add("header without colon", "GET", "/api/growers/", [auth, ("NoColonHere", "")])
    cases.append(("header line folding", b"GET /api/growers/ HTTP/1.1\r\nHost: d\r\nX-A: b\r\n  folded\r\n"
                  + f"Authorization: Bearer {token}".encode() + b"\r\nConnection: close\r\n\r\n"))
    cases.append(("bare LF", f"GET /api/growers/ HTTP/1.1\nHost: d\nAuthorization: Bearer {token}\n\n".encode()))
    cases.append(("bad request line", b"GARBAGE\r\n\r\n"))
    cases.append(("bad version", b"GET / HTTP/9.9\r\nHost: d\r\n\r\n"))
    cases.append(("binary noise", bytes(random.Random(7).getrandbits(8) for _ in range(4096))))
    cases.append(("empty line only", b"\r\n\r\n"))
    cases.append(("http/0.9", b"GET /\r\n"))
    # Bad tokens.
    for i, value in enumerate(["Bearer", "Bearer ", "Bearer a.b.c", "Bearer " + token[:-4] + "AAAA", "Basic YTpi",
                               "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "Bearer \x7f"]):
        add(f"bad authorization {i}", "GET", "/api/growers/", [("Authorization", value)])
    # Path traversal and odd paths.
    for i, path in enumerate(["/../../etc/passwd", "/api/../../etc/passwd", "/docs/../../../etc/passwd",
                              "/docs/%2e%2e/%2e%2e/etc/passwd", "/dashboard/..%2f..%2fetc%2fpasswd",
                              "/api/batches/..%2F..%2Fetc%2Fpasswd", "/api/batches/%00", "//api//growers//",
                              "/api/growers/?limit=-1", "/api/growers/?limit=99999999999999999999",
                              "/api/growers/?offset=-5", "/api/growers/?limit=abc", "/api/batches/?cursor=%ff%fe",
                              "/api/batches/?date_from=2024-13-45", "/api/growers/" + "%" * 50, "*", "/%",
                              "/api/batches/" + "x" * 5000, "/docs/" + "../" * 50 + "etc/passwd"]):
        add(f"path {i}", "GET", path, [auth])
    # Odd methods.
    for m in ["PUT", "DELETE", "TRACE", "CONNECT", "FOO", "PATCH"]:
        add(f"method {m}", m, "/api/batches/grn", [auth, js], b"{}")
    # Injection strings in every field of every write endpoint, and in query parameters.
    for path, template in write_templates.items():
        real = path.replace("/B", "/" + ids["batch"])
        for n, field in enumerate(template):
            value = INJECTIONS[(n + len(path)) % len(INJECTIONS)]
            body = dict(template)
            for k, v in body.items():  # real references so validation reaches the database
                if v == "G":
                    body[k] = ids["grower"]
                if v == "P":
                    body[k] = ids["packhouse"]
            body[field] = value
            add(f"injection {path} {field}", "POST", real, [auth, js], json.dumps(body).encode())
    for i, inj in enumerate(INJECTIONS):
        add(f"injection query {i}", "GET", "/api/batches/?status=" + re.sub(r"[^A-Za-z0-9]", lambda m: "%%%02X" % ord(m.group()), inj), [auth])
        add(f"injection login {i}", "POST", "/api/auth/login", [js],
            json.dumps({"email": inj, "password": inj}).encode())
    # Wrong JSON types in every field of the GRN.
    for field in WRITE_TEMPLATES["/api/batches/grn"]:
        # Every value is wrong for every field (null and {} are valid for some, so not used).
        for j, value in enumerate([[], [1, "a"], True, -1e308, "x" * 20000]):
            body = dict(WRITE_TEMPLATES["/api/batches/grn"], grower_id=ids["grower"], packhouse_id=ids["packhouse"])
            body[field] = value
            add(f"type {field} {j}", "POST", "/api/batches/grn", [auth, js], json.dumps(body).encode())
    return cases


def drill_bad_input(args):
    host, port = parse_base(args.base)
    client, token, growers, packhouses = setup_load(args)
    auth = {"Authorization": f"Bearer {token}"}
    status, _, body = client.request("GET", "/api/batches/?limit=1", None, auth)
    batches = items_of(body)
    ids = {"grower": growers[0], "packhouse": packhouses[0], "batch": batches[0]["id"] if batches else "none"}
    client.close()
    # The data checksum after our own login (which writes a session), before any bad input.
    checksum_before = subprocess.run([args.checksum_cmd], check=True, capture_output=True, text=True).stdout
    status, _, body = Client(host, port).request("GET", "/openapi.json")
    write_templates = dict(WRITE_TEMPLATES)
    if status == 200:
        write_templates.update(templates_from_openapi(json.loads(body)))
    log(f"write endpoints with fields: {len(write_templates)}")
    cases = bad_cases(token, ids, write_templates)
    results = []
    started = now()
    for name, data in cases:
        t = now()
        try:
            st, note = raw_exchange(host, port, data)
        except OSError as ex:
            st, note = None, f"{type(ex).__name__}: {ex}"
        results.append((name, st, note, now() - t))
    burst_s = now() - started

    # Slowloris: connections that dribble a request one byte per interval. Each must be cut
    # off by the server's header deadline, and a normal request meanwhile must be answered.
    slow_results = []

    def slow(i):
        data = request_bytes("GET", "/api/growers/", [("Authorization", f"Bearer {token}"), ("X-Pad", "p" * 200)])
        t = now()
        st, note = raw_exchange(host, port, None, timeout=args.slow_limit + 5,
                                chunks=[data[k:k + 1] for k in range(len(data))], chunk_delay=args.slow_interval)
        slow_results.append((st, note, now() - t))

    threads = [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(args.slow_connections)]
    for th in threads:
        th.start()
    time.sleep(1.0)
    t = now()
    probe = Client(host, port)
    probe_status = probe.request("GET", "/api/growers/?limit=50", None, auth)[0]
    probe_ms = (now() - t) * 1000
    probe.close()
    for th in threads:
        th.join(timeout=args.slow_limit + 10)

    t = now()
    health = Client(host, port).request("GET", "/health")[0]
    final = Client(host, port).request("GET", "/api/growers/?limit=50", None, auth)[0]

    checksum_after = subprocess.run([args.checksum_cmd], check=True, capture_output=True, text=True).stdout
    changed = [line for line in checksum_after.splitlines() if line not in checksum_before.splitlines()]
    statuses = collections.Counter("no response" if st is None else f"{st // 100}xx" for _, st, _, _ in results)
    print(f"\n== drill bad_input: {len(cases)} malformed requests in {burst_s:.1f}s, "
          f"{args.slow_connections} slowloris connections")
    print(f"answers: {fmt_counter(statuses)}")
    print(f"status codes: {fmt_counter(collections.Counter(st for _, st, _, _ in results if st))}")
    notes = collections.Counter(note.split(':')[0] for _, st, note, _ in results if st is None)
    print(f"without a response: {fmt_counter(notes)}")
    for name, st, note, dt in results:
        if st is None or st >= 500 or (200 <= st < 300 and name.startswith(("type", "injection /"))) or args.verbose:
            print(f"    {name[:70]:70} {st} {note} {dt * 1000:.0f} ms")
    slow_closed = [dt for st, note, dt in slow_results]
    print(f"slowloris: {fmt_counter(collections.Counter(str(st or note) for st, note, _ in slow_results))}; "
          f"cut off after {min(slow_closed, default=0):.1f}-{max(slow_closed, default=0):.1f}s; a normal request "
          f"meanwhile: {probe_status} in {probe_ms:.1f} ms")
    print(f"afterwards: /health {health}, growers list {final}")
    print(f"data checksum: {len(checksum_before.splitlines())} tables, changed: {changed or 'none'}")

    c = Checks()
    c.check(len(cases) >= 200, f">= 200 malformed requests ({len(cases)})")
    c.check(all(st is None or st < 500 for _, st, _, _ in results), "0 responses >= 500")
    # A reset is how TCP closes a socket with unread input (the rest of a refused body), so
    # it counts as closed; a timeout would mean the server left the request hanging.
    c.check(all(st is not None or note in ("closed without a response", "reset") for _, st, note, _ in results),
            "every request answered or closed (none left hanging)")
    c.check(len(slow_results) == args.slow_connections and all(dt <= args.slow_limit for dt in slow_closed),
            f"every slowloris connection cut off within {args.slow_limit:.0f}s")
    c.check(all(st is None or st < 500 for st, _, _ in slow_results), "slowloris: no 5xx")
    c.check(probe_status == 200, "served a normal request during the slowloris")
    c.check(health == 200 and final == 200 and alive(args.server_pid), "server alive and serving afterwards")
    c.check(not changed, "no data changed (row count and md5 of every table)")
    c.exit()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("drill", choices=["redis_kill", "pg_restart", "bad_input"])
    p.add_argument("--base", required=True)
    p.add_argument("--svc", default="")
    p.add_argument("--server-log", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--demo-out", required=True)
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--rate", type=float, default=200.0, help="requests/s over all workers")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--baseline", type=float, default=3.0)
    p.add_argument("--down", type=float, default=10.0, help="seconds between the fault and the restart")
    p.add_argument("--after", type=float, default=8.0, help="seconds of load after the restart")
    p.add_argument("--window", type=float, default=0.5, help="hit ratio window (redis_kill)")
    p.add_argument("--recover-within", type=float, default=5.0)
    p.add_argument("--max-503-ms", type=float, default=100.0)
    p.add_argument("--immediate", action="store_true", help="pg_restart: stop -m immediate (a crash)")
    p.add_argument("--acked-out", default="/dev/null")
    p.add_argument("--slow-connections", type=int, default=20)
    p.add_argument("--slow-interval", type=float, default=1.0)
    p.add_argument("--slow-limit", type=float, default=15.0)
    p.add_argument("--checksum-cmd", default="true", help="bad_input: prints one line per table")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    {"redis_kill": drill_redis_kill, "pg_restart": drill_pg_restart, "bad_input": drill_bad_input}[args.drill](args)


if __name__ == "__main__":
    main()
