#!/usr/bin/env python3
"""Driver of drill 4 of issue 10, Redis Sentinel failover (bench/drills/redis_sentinel).

Standard library only; reuses driver.py's load, stats poller and checks. The script starts
PostgreSQL, a Redis master and replica, three sentinels and the server (REDIS_URL
redis+sentinel://..., L1 off), then runs this:

  1. bounded mixed load (driver.Load: cached and uncached reads, GRN writes) and a poller
     of GET /api/cache/stats; --warmup + --baseline seconds;
  2. the fault: the master SIGKILLed (--mode kill) or `SENTINEL FAILOVER mymaster`
     (--mode failover); the drill then polls a sentinel until it names the replica;
  3. --after seconds more load, then the checks.

The new master is shown to serve the cache by its own counters: GETs (never replicated)
and SETs (nothing replicates into a promoted master) counted by INFO commandstats grow
after the promotion, and it holds keys. Exits 0 when every assertion holds, 1 otherwise.
"""

import argparse
import collections
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import (Checks, alive, by_class, fmt_counter, log, now, pct, redis_cli,  # noqa: E402
                    redis_command_calls, server_warnings, start_load_and_poller, windowed_ratio)


def named_master(sentinels):
    """The master's port as the first answering sentinel names it (None if none answers)."""
    for s in sentinels:
        lines = redis_cli(s, "SENTINEL", "get-master-addr-by-name", "mymaster").split()
        if len(lines) == 2 and lines[1].isdigit():
            return int(lines[1])
    return None


def role(port):
    m = re.search(r"^role:(\w+)", redis_cli(port, "INFO", "replication"), re.M)
    return m.group(1) if m else None


def dbsize(port):
    out = redis_cli(port, "DBSIZE").strip()
    return int(out) if out.isdigit() else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--server-log", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--demo-out", required=True)
    p.add_argument("--master", type=int, required=True, help="the master's port")
    p.add_argument("--master-pidfile", required=True)
    p.add_argument("--replica", type=int, required=True, help="the replica's port")
    p.add_argument("--sentinels", required=True, help="comma-separated sentinel ports")
    p.add_argument("--mode", choices=["kill", "failover"], default="kill")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--rate", type=float, default=200.0, help="requests/s over all workers")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--baseline", type=float, default=3.0)
    p.add_argument("--promote-within", type=float, default=30.0, help="seconds for the sentinels to promote")
    p.add_argument("--after", type=float, default=10.0, help="seconds of load after the promotion")
    p.add_argument("--window", type=float, default=0.5, help="hit ratio window")
    p.add_argument("--recover-within", type=float, default=8.0,
                   help="seconds from the promotion to the hit ratio back at >= 90%% of before")
    args = p.parse_args()
    sentinels = [int(s) for s in args.sentinels.split(",")]

    c = Checks()
    c.check(named_master(sentinels) == args.master, "before: the sentinels name the master")
    load, poller, log_offset = start_load_and_poller(args)
    master_calls_before = redis_command_calls(args.master)

    t_fault = now()
    if args.mode == "kill":
        with open(args.master_pidfile) as f:
            os.kill(int(f.read().strip()), signal.SIGKILL)
        log("master SIGKILLed")
    else:
        answer = redis_cli(sentinels[0], "SENTINEL", "FAILOVER", "mymaster").strip()
        log(f"SENTINEL FAILOVER mymaster: {answer}")

    t_promoted = None
    deadline = t_fault + args.promote_within
    while now() < deadline:
        if named_master(sentinels) == args.replica and role(args.replica) == "master":
            t_promoted = now()
            break
        time.sleep(0.05)
    calls_at_promotion = redis_command_calls(args.replica)
    if t_promoted is None:
        log("the sentinels did not promote the replica in time")
    else:
        log(f"replica promoted {t_promoted - t_fault:.2f}s after the fault")
    time.sleep(args.after)
    load.finish()
    poller.finish()
    calls_after = redis_command_calls(args.replica)
    keys_on_new_master = dbsize(args.replica)

    recs = load.records
    samples = poller.samples
    base_ratio = windowed_ratio(samples, args.warmup, t_fault)
    recovered_at = None
    if t_promoted is not None:
        for s in samples:
            if s[0] < t_promoted:
                continue
            r = windowed_ratio(samples, s[0], s[0] + args.window)
            if r is not None and base_ratio and r >= 0.9 * base_ratio:
                recovered_at = s[0] + args.window  # the end of the first good window: conservative
                break
    end_promoted = t_promoted if t_promoted is not None else now()
    during = [r for r in recs if t_fault <= r.t < end_promoted]
    cached_during = [r for r in during if r.kind in ("cached", "batch_list")]
    warnings = server_warnings(args.server_log, log_offset)
    grew = {k: calls_after.get(k, 0) - calls_at_promotion.get(k, 0) for k in ("get", "set")}

    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
    print(f"\n== drill redis_sentinel ({args.mode}): fault at {t_fault:.2f}s, replica promoted at "
          f"{fmt(t_promoted)}s ({fmt(None if t_promoted is None else t_promoted - t_fault)}s after the fault)")
    print(f"requests: {len(recs)} ({fmt_counter(collections.Counter(r.kind for r in recs))})")
    print(f"by class: {fmt_counter(by_class(recs))}; between fault and promotion: {len(during)} "
          f"({fmt_counter(by_class(during))})")
    print(f"X-Cache between fault and promotion (cached routes): "
          f"{fmt_counter(collections.Counter(r.x_cache for r in cached_during))}")
    lat = [r.dt * 1000 for r in recs if not r.error]
    lat_down = [r.dt * 1000 for r in during if not r.error]
    print(f"latency ms p50/p99/max: all {pct(lat, .5):.1f}/{pct(lat, .99):.1f}/{max(lat, default=0):.1f}; "
          f"fault to promotion {pct(lat_down, .5):.1f}/{pct(lat_down, .99):.1f}/{max(lat_down, default=0):.1f}")
    print(f"hit ratio: before {fmt(base_ratio)}, last {args.window:.1f}s "
          f"{fmt(windowed_ratio(samples, now() - args.window - 1, now()))}; >= 90% of before "
          f"{fmt(None if recovered_at is None or t_promoted is None else recovered_at - t_promoted)}s after the "
          f"promotion, {fmt(None if recovered_at is None else recovered_at - t_fault)}s after the fault")
    print(f"new master (:{args.replica}) after the promotion: GET +{grew['get']}, SET +{grew['set']}, "
          f"{keys_on_new_master} keys; old master GETs before the fault: {master_calls_before.get('get', 0)}")
    print(f"server warnings: {len(warnings)}")
    for w in warnings[:10]:
        print(f"    {w[:200]}")

    c.check(all(r.error is None for r in recs), "0 connection errors")
    c.check(all(r.error or r.status < 500 for r in recs), "0 responses >= 500")
    c.check(all(r.error or 200 <= r.status < 300 for r in recs), "every response 2xx (reads and writes)")
    c.check(master_calls_before.get("get", 0) > 0, "before the fault the cache read from the first master")
    c.check(t_promoted is not None, f"the sentinels promoted the replica within {args.promote_within:.0f}s")
    c.check(grew["get"] > 0 and grew["set"] > 0, "the cache reads and writes the new master after the promotion")
    c.check(keys_on_new_master > 0, "the new master holds the cache's keys")
    c.check(recovered_at is not None and t_promoted is not None and recovered_at - t_promoted <= args.recover_within,
            f"hit ratio back to >= 90% of before within {args.recover_within:.0f}s of the promotion")
    c.check(alive(args.server_pid), "server alive")
    c.exit()


if __name__ == "__main__":
    main()
