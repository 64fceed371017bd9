#!/usr/bin/env python3
"""Driver of drill 3 of issue 10, two instances behind nginx (bench/drills/two_instances).

Standard library only; reuses driver.py's client and checks. The script starts PostgreSQL,
Redis, instances A and B and nginx, then runs this. Three parts:

  reconciliation  both schedulers fired for the same slot at start; exactly one scheduled
                  run per onboarded enterprise is recorded (reconciliation_runs).
  direct          --pairs write/read pairs on the instances' own ports, alternating A->B
                  and B->A: warm the reader's entry (X-Cache HIT), PATCH a grower's notes
                  on the writer, then read on the reader until the new notes show.
  nginx           --pairs pairs through nginx (round-robin): warm until both instances
                  answer HIT, write, then read until an instance other than the writer
                  (X-Upstream) shows the change.

The reads alternate between the grower's detail and the growers list (both invalidated by
a grower change). Time to visibility: from the write's acknowledgement to the end of the
first read on the other instance that shows it; each must be within --within seconds.
Exits 0 when every assertion holds, 1 otherwise.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import Checks, Client, alive, demo_login, fmt_counter, items_of, log, login, now, parse_base, pct  # noqa: E402

LIST = "/api/growers/?limit=50"


class Tally:
    """Every response's status class (and connection errors) over the whole drill."""

    def __init__(self):
        self.classes = collections.Counter()
        self.errors = []

    def request(self, client, method, path, body, headers):
        try:
            status, hdrs, payload = client.request(method, path, body, headers)
        except Exception as ex:  # noqa: BLE001 -- every failure is a counted outcome
            self.classes["conn_error"] += 1
            self.errors.append(f"{method} {path}: {type(ex).__name__}: {ex}")
            return None, {}, b""
        self.classes[f"{status // 100}xx"] += 1
        if status >= 500:
            self.errors.append(f"{method} {path}: {status} {payload[:200]!r}")
        return status, hdrs, payload


def notes_in(path, grower, payload):
    """The grower's notes in a detail or list body (None if absent)."""
    try:
        doc = json.loads(payload)
    except ValueError:
        return None
    if path == LIST:
        for g in items_of(payload):
            if g.get("id") == grower:
                return g.get("notes")
        return None
    return doc.get("notes")


# ---- reconciliation ---------------------------------------------------------------------

SUMMARY = re.compile(r"daily reconciliation: (\d+) enterprise\(s\) run here, (\d+) by another instance, (\d+) failed")


def summaries(path):
    with open(path, errors="replace") as f:
        return [tuple(int(x) for x in m.groups()) for m in map(SUMMARY.search, f) if m]


def sql(args, query):
    out = subprocess.run([args.sql, query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line.strip()]


def reconciliation(args, c):
    deadline = time.monotonic() + args.recon_timeout
    while time.monotonic() < deadline and not (summaries(args.log_a) and summaries(args.log_b)):
        time.sleep(0.2)
    sa, sb = summaries(args.log_a), summaries(args.log_b)
    enterprises = [r[0] for r in sql(args, "SELECT id FROM enterprises WHERE is_active AND is_onboarded ORDER BY id")]
    runs = sql(args, "SELECT enterprise_id, scheduled_for, COUNT(*) FROM reconciliation_runs "
                     "WHERE trigger_source = 'scheduler' GROUP BY 1, 2 ORDER BY 1, 2")
    per_enterprise = collections.Counter(r[0] for r in runs for _ in range(int(r[2])))
    ran_a = sum(s[0] for s in sa)
    ran_b = sum(s[0] for s in sb)
    print(f"\n== reconciliation: {len(enterprises)} onboarded enterprise(s); summary lines A {sa}, B {sb} "
          "(run here, by another instance, failed)")
    for r in runs:
        print(f"    enterprise {r[0]} slot {r[1]}: {r[2]} scheduled run(s)")
    c.check(len(sa) == 1 and len(sb) == 1, "both instances' schedulers fired once for the slot")
    c.check(all(s[2] == 0 for s in sa + sb), "no scheduled run failed")
    c.check(ran_a + ran_b == len(enterprises) and all(s[0] + s[1] == len(enterprises) for s in sa + sb),
            f"each enterprise run by exactly one instance (A ran {ran_a}, B ran {ran_b})")
    c.check(len(enterprises) >= 1 and all(per_enterprise[e] == 1 for e in enterprises) and
            len(per_enterprise) == len(enterprises) and len({r[1] for r in runs}) == 1,
            "exactly one scheduled run recorded per onboarded enterprise, all for one slot")


# ---- write/read pairs -------------------------------------------------------------------


class Pair:
    __slots__ = ("writer", "reader", "route", "warmed", "visible_s", "first_fresh", "reads", "x_cache")

    def __init__(self, writer, route):
        self.writer, self.route = writer, route
        self.reader = None
        self.warmed = False
        self.visible_s = None  # None: not seen within the polling limit
        self.first_fresh = False  # the first read on another instance already showed it
        self.reads = 0
        self.x_cache = None  # of the first fresh read on the other instance


def run_pair(tally, w_client, r_client, auth, grower, path, value, label_of, writer_label, within, pair):
    """Write on w_client, then read on r_client until an instance other than the writer
    (label_of(headers) != writer_label) shows `value`. Returns False on a write failure."""
    body = {"notes": value}
    status, hdrs, _ = tally.request(w_client, "PATCH", f"/api/growers/{grower}", body, auth)
    if status != 200:
        return False
    pair.writer = writer_label if writer_label else label_of(hdrs)
    t_ack = now()
    while True:
        st, hdrs, payload = tally.request(r_client, "GET", path, None, auth)
        t = now()
        reader = label_of(hdrs)
        if st == 200 and reader != pair.writer:
            pair.reads += 1
            pair.reader = reader
            if notes_in(path, grower, payload) == value:
                pair.visible_s = t - t_ack
                pair.first_fresh = pair.reads == 1
                pair.x_cache = hdrs.get("x-cache")
                return True
        if t - t_ack > max(3 * within, within + 2):  # give up measuring; counted as not visible
            return True


def warm(tally, client, auth, path, label_of, need, tries=12):
    """GET until every label in `need` answered X-Cache HIT-*; True when all did."""
    hit = set()
    for _ in range(tries):
        st, hdrs, _ = tally.request(client, "GET", path, None, auth)
        if st == 200 and (hdrs.get("x-cache") or "").startswith("HIT"):
            hit.add(label_of(hdrs))
        if need <= hit:
            return True
    return False


def report_pairs(name, pairs, within, c, nginx=False):
    seen = [p.visible_s * 1000 for p in pairs if p.visible_s is not None]
    late = [p for p in pairs if p.visible_s is None or p.visible_s > within]
    directions = collections.Counter(f"{p.writer}->{p.reader}" for p in pairs)
    print(f"\n== {name}: {len(pairs)} write/read pairs ({fmt_counter(directions)}; "
          f"routes {fmt_counter(collections.Counter(p.route for p in pairs))})")
    print(f"reader warmed to HIT before the write: {sum(p.warmed for p in pairs)}/{len(pairs)}")
    print(f"time to visibility on the other instance, ms: p50 {pct(seen, .5):.2f}, p99 {pct(seen, .99):.2f}, "
          f"max {max(seen, default=0):.2f}; first read already fresh: {sum(p.first_fresh for p in pairs)}/{len(pairs)}; "
          f"reads per pair on the other instance: max {max((p.reads for p in pairs), default=0)}")
    print(f"X-Cache of the fresh read: {fmt_counter(collections.Counter(p.x_cache for p in pairs))}")
    c.check(len(pairs) > 0 and all(p.warmed for p in pairs), f"{name}: every reader entry was a HIT before the write")
    c.check(len(pairs) > 0 and not late,
            f"{name}: every write visible on the other instance within {within:.1f}s ({len(late)} late)")
    if nginx:
        c.check(all(p.reader is not None and p.reader != p.writer for p in pairs),
                f"{name}: every pair read through nginx from the instance that did not write")


def direct(args, tally, auth, growers, c):
    clients = {"A": Client(*parse_base(args.a)), "B": Client(*parse_base(args.b))}
    pairs = []
    for i in range(args.pairs):
        w, r = ("A", "B") if i % 2 == 0 else ("B", "A")
        grower = growers[i % len(growers)]
        path = f"/api/growers/{grower}" if (i // 2) % 2 == 0 else LIST
        pair = Pair(w, "detail" if path != LIST else "list")
        label = (lambda name: lambda _h: name)(r)
        pair.warmed = warm(tally, clients[r], auth, path, label, {r})
        if not run_pair(tally, clients[w], clients[r], auth, grower, path, f"direct {i} {w}->{r} {time.time()}",
                        label, w, args.within, pair):
            c.check(False, f"direct pair {i}: the write failed")
            break
        pairs.append(pair)
    report_pairs("direct A<->B", pairs, args.within, c)


def through_nginx(args, tally, auth, growers, upstreams, c):
    client = Client(*parse_base(args.nginx))
    label_of = lambda h: upstreams.get(h.get("x-upstream", ""), h.get("x-upstream", "?"))  # noqa: E731
    pairs = []
    for i in range(args.pairs):
        grower = growers[i % len(growers)]
        path = f"/api/growers/{grower}" if i % 2 == 0 else LIST
        pair = Pair(None, "detail" if path != LIST else "list")
        pair.warmed = warm(tally, client, auth, path, label_of, {"A", "B"})
        if not run_pair(tally, client, client, auth, grower, path, f"nginx {i} {time.time()}", label_of, None,
                        args.within, pair):
            c.check(False, f"nginx pair {i}: the write failed")
            break
        pairs.append(pair)
    report_pairs("through nginx (round-robin)", pairs, args.within, c, nginx=True)


# ---- logs -------------------------------------------------------------------------------


def log_lines(path, pattern, offset=0):
    with open(path, errors="replace") as f:
        f.seek(offset)
        return [line.rstrip() for line in f if re.search(pattern, line)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--nginx", required=True)
    p.add_argument("--log-a", required=True)
    p.add_argument("--log-b", required=True)
    p.add_argument("--nginx-log", required=True)
    p.add_argument("--pid-a", type=int, required=True)
    p.add_argument("--pid-b", type=int, required=True)
    p.add_argument("--demo-out", required=True)
    p.add_argument("--sql", required=True, help="a command running one SQL query, rows as a|b|c")
    p.add_argument("--pairs", type=int, default=1000, help="write/read pairs per phase (direct, nginx)")
    p.add_argument("--within", type=float, default=1.0, help="visibility bound, seconds")
    p.add_argument("--recon-timeout", type=float, default=120.0)
    args = p.parse_args()

    c = Checks()
    reconciliation(args, c)

    tally = Tally()
    client = Client(*parse_base(args.a))
    email, password = demo_login(args.demo_out)
    token = login(client, email, password)
    auth = {"Authorization": f"Bearer {token}"}
    status, _, body = tally.request(client, "GET", LIST, None, auth)
    growers = [g["id"] for g in items_of(body)][:8] if status == 200 else []
    if not growers:
        raise SystemExit("the demo data has no growers")
    upstreams = {args.a.removeprefix("http://"): "A", args.b.removeprefix("http://"): "B"}
    log_offsets = (os.path.getsize(args.log_a), os.path.getsize(args.log_b))

    started = now()
    direct(args, tally, auth, growers, c)
    through_nginx(args, tally, auth, growers, upstreams, c)
    elapsed = now() - started

    errors = [f"A: {line}" for line in log_lines(args.log_a, r"^\S+ (error|critical)\b|AddressSanitizer|runtime error")]
    errors += [f"B: {line}" for line in log_lines(args.log_b, r"^\S+ (error|critical)\b|AddressSanitizer|runtime error")]
    warnings = [line for path, off in zip((args.log_a, args.log_b), log_offsets)
                for line in log_lines(path, r"^\S+ warn", off)]
    nginx_errors = log_lines(args.nginx_log, r"\[(error|crit|alert|emerg)\]")
    print(f"\n== all requests ({elapsed:.1f}s of pairs): {fmt_counter(tally.classes)}")
    for e in tally.errors[:10]:
        print(f"    {e}")
    print(f"server log errors: {len(errors)}; warnings during the pairs: {len(warnings)}; "
          f"nginx errors: {len(nginx_errors)}")
    for line in (errors + warnings + nginx_errors)[:10]:
        print(f"    {line[:200]}")
    c.check(tally.classes["conn_error"] == 0, "0 connection errors")
    c.check(sum(n for k, n in tally.classes.items() if k[0] == "5") == 0, "0 responses >= 500")
    c.check(not errors, "no errors in either server's log")
    c.check(not nginx_errors, "no errors in nginx's log")
    c.check(alive(args.pid_a) and alive(args.pid_b), "both instances alive")
    c.exit()


if __name__ == "__main__":
    main()
