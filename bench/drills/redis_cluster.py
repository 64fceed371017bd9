#!/usr/bin/env python3
"""Driver of drill 5 of issue 10, Redis Cluster resharding and node restart (bench/drills/redis_cluster).

Standard library only; reuses driver.py's load, stats poller and checks. The script starts
PostgreSQL, three cluster masters (no replicas) and the server (REDIS_URL
redis+cluster://..., L1 off), then runs this:

  1. bounded mixed load (driver.Load) and a poller of GET /api/cache/stats; --warmup +
     --baseline seconds. The demo tenant's cache keys carry the hash tag {t<tenant>}, so
     they all live in one slot: the drill finds it (SCAN fp:* on every master, CLUSTER
     KEYSLOT) and the master that owns it;
  2. fault a, resharding by hand: CLUSTER SETSLOT s IMPORTING <src> on the next master,
     SETSLOT s MIGRATING <dst> on the owner, then CLUSTER GETKEYSINSLOT + MIGRATE one key
     at a time with pauses, spread over --migrate-seconds (the slot stays MIGRATING that
     long, so reads of moved keys get ASK), then SETSLOT s NODE <dst> on every master (the
     server's next request to the old owner gets MOVED); --after-reshard seconds of load;
  3. fault b: the master now owning the slot SIGKILLed, started again --down seconds later
     from its directory (nodes.conf kept: it rejoins with its slots, with no data), the
     drill waits until every node says cluster_state:ok and agrees on the slots;
     --after-restart seconds of load; then the checks.

The server is shown to follow the cluster by the nodes' own counters: errorstat_ASK and
errorstat_MOVED of the old owner (the drill's own commands are never redirected), GET
calls of the new owner (INFO commandstats), the tenant's keys on it. Exits 0 when every
assertion holds, 1 otherwise.
"""

import argparse
import collections
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import (Checks, alive, by_class, fmt_counter, log, now, pct, redis_cli,  # noqa: E402
                    redis_command_calls, redis_info_counts, server_warnings, start_load_and_poller,
                    windowed_ratio)

LIB_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "lib.sh")


def to_int(text, default):
    return int(text) if text.strip().lstrip("-").isdigit() else default


def cluster_ok(ports):
    """scripts/lib.sh fp_redis_cluster_ok: every node ok, none failing, the same slots."""
    return subprocess.run(["bash", "-c", 'source "$1"; shift; fp_redis_cluster_ok "$@"', "bash", LIB_SH,
                           *map(str, ports)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def node_ids(ports):
    return {p: redis_cli(p, "CLUSTER", "MYID") for p in ports}


def slot_owner(port, slot):
    """The port of the master that node `port` says owns `slot` (None if unknown)."""
    for line in redis_cli(port, "CLUSTER", "NODES").splitlines():
        f = line.split()
        if len(f) < 8 or "master" not in f[2].split(","):
            continue
        for r in f[8:]:
            if r.startswith("["):  # [slot->-id] / [slot-<-id]: a migration in progress
                continue
            lo, _, hi = r.partition("-")
            if int(lo) <= slot <= int(hi or lo):
                return int(f[1].split("@")[0].rsplit(":", 1)[1])
    return None


def scan(port, pattern="fp:*"):
    out = redis_cli(port, "--scan", "--pattern", pattern, timeout=10.0)
    return [k for k in out.splitlines() if k]


def keyslots(port, keys):
    """{key: CLUSTER KEYSLOT key}, asked of node `port` in one redis-cli run."""
    if not keys:
        return {}
    out = redis_cli(port, stdin="".join(f'CLUSTER KEYSLOT "{k}"\n' for k in keys), timeout=10.0).splitlines()
    return {k: to_int(v, None) for k, v in zip(keys, out + [""] * len(keys))}


def redirects(port):
    """errorstat_ASK / errorstat_MOVED: redirections this node answered."""
    counts = redis_info_counts(port, "errorstats", r"errorstat_([A-Z]+):count=(\d+)")
    return {k: counts.get(k, 0) for k in ("ASK", "MOVED")}


TAG = re.compile(r"\{t([^}]+)\}")


def tenant_keys(ports, tenant):
    """{port: [keys of the tenant]}: tagged keys, and untagged ones that name the tenant."""
    marks = ("{t" + tenant + "}", ":t" + tenant + ":")
    return {p: [k for k in scan(p) if any(m in k for m in marks)] for p in ports}


def slots_of(ports, keys_by_port):
    """{key: slot} over every node's keys of the tenant."""
    out = {}
    for p, keys in keys_by_port.items():
        out.update(keyslots(p, keys))
    return out


def migrate_keys(slot, src, dst, ids, seconds):
    """Opens the migration of `slot` from src to dst and moves its keys one by one, the
    whole taking `seconds` at least; returns (keys migrated, errors)."""
    t0 = now()
    errors = []
    for port, args in ((dst, ("IMPORTING", ids[src])), (src, ("MIGRATING", ids[dst]))):
        answer = redis_cli(port, "CLUSTER", "SETSLOT", slot, *args)
        if answer != "OK":
            errors.append(f":{port} SETSLOT {slot} {args[0]}: {answer}")
    n = to_int(redis_cli(src, "CLUSTER", "COUNTKEYSINSLOT", slot), 0)
    pause = seconds / (n + 1)
    log(f"slot {slot}: {n} keys to move :{src} -> :{dst}, one every {pause:.2f}s")
    migrated = 0
    deadline = t0 + max(30.0, 5 * seconds)
    while now() < deadline:
        keys = redis_cli(src, "CLUSTER", "GETKEYSINSLOT", slot, 1).split()
        if not keys:
            break
        time.sleep(pause)
        answer = redis_cli(src, "MIGRATE", "127.0.0.1", dst, keys[0], 0, 5000, "REPLACE")
        if answer == "OK":
            migrated += 1
        elif answer != "NOKEY":  # expired in between
            errors.append(f"MIGRATE {keys[0]}: {answer}")
            time.sleep(0.1)
    # Keep the slot MIGRATING for the whole period: reads of moved keys get ASK meanwhile.
    time.sleep(max(0.0, t0 + seconds - now()))
    left = to_int(redis_cli(src, "CLUSTER", "COUNTKEYSINSLOT", slot), -1)
    if left != 0:
        errors.append(f"{left} keys left in slot {slot} on :{src}")
    return migrated, errors


def assign_slot(slot, src, dst, ids, masters):
    """CLUSTER SETSLOT slot NODE dst on every master; returns the errors."""
    errors = []
    # The new owner first, then the old one (which then answers MOVED), then the rest.
    for port in [dst, src] + [p for p in masters if p not in (src, dst)]:
        answer = redis_cli(port, "CLUSTER", "SETSLOT", slot, "NODE", ids[dst])
        if answer != "OK":
            errors.append(f":{port} SETSLOT {slot} NODE: {answer}")
    return errors


def server_redirects(base):
    """{kind: count} of fp_redis_cluster_redirects_total from the server's /metrics ({} if absent)."""
    counts = {}
    try:
        with urllib.request.urlopen(base + "/metrics", timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return counts
    for m in re.finditer(r'^fp_redis_cluster_redirects_total\{kind="(\w+)"\} (\S+)$', text, re.M):
        counts[m.group(1)] = float(m.group(2))
    return counts


def recovery(samples, base, t_from, window):
    """The end of the first `window` after t_from whose hit ratio is >= 90 % of base."""
    if not base:
        return None
    for s in samples:
        if s[0] < t_from:
            continue
        r = windowed_ratio(samples, s[0], s[0] + window)
        if r is not None and r >= 0.9 * base:
            return s[0] + window  # conservative: the whole window counts
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--server-log", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--demo-out", required=True)
    p.add_argument("--cluster-dir", required=True, help="the nodes' directories: node-PORT/redis.conf")
    p.add_argument("--ports", required=True, help="comma-separated ports of the masters")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--rate", type=float, default=200.0, help="requests/s over all workers")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--baseline", type=float, default=3.0, help="seconds of load measured before each fault")
    p.add_argument("--migrate-seconds", type=float, default=3.0, help="how long the slot stays MIGRATING")
    p.add_argument("--after-reshard", type=float, default=8.0, help="seconds of load after the resharding")
    p.add_argument("--down", type=float, default=3.0, help="seconds between the SIGKILL and the restart")
    p.add_argument("--rejoin-within", type=float, default=30.0, help="seconds for the cluster to be ok again")
    p.add_argument("--after-restart", type=float, default=10.0, help="seconds of load after the restart")
    p.add_argument("--window", type=float, default=0.5, help="hit ratio window")
    p.add_argument("--recover-within", type=float, default=8.0,
                   help="seconds from the end of each fault to the hit ratio back at >= 90%% of before")
    p.add_argument("--max-warnings-per-second", type=int, default=5)
    args = p.parse_args()
    ports = [int(x) for x in args.ports.split(",")]
    fmt = lambda v: "n/a" if v is None else f"{v:.2f}"  # noqa: E731
    c = Checks()

    load, poller, log_offset = start_load_and_poller(args)

    # ---- the tenant's slot ---------------------------------------------------------------
    ids = node_ids(ports)
    tenants = collections.Counter(m.group(1) for port in ports for k in scan(port) for m in [TAG.search(k)] if m)
    tenant = tenants.most_common(1)[0][0] if tenants else None
    slots_before = slots_of(ports, tenant_keys(ports, tenant)) if tenant else {}
    slot = next(iter(collections.Counter(v for v in slots_before.values() if v is not None).most_common(1)),
                (None,))[0]
    src = slot_owner(ports[0], slot) if slot is not None else None
    dst = ports[(ports.index(src) + 1) % len(ports)] if src in ports else None
    log(f"tenants with tagged keys: {dict(tenants)}; demo tenant {tenant}: {len(slots_before)} keys, "
        f"slot {slot} on :{src}; moving it to :{dst}")
    found = tenant is not None and slot is not None and src is not None and dst is not None
    src_gets_before = redis_command_calls(src).get("get", 0) if found else 0

    # ---- fault a: resharding ---------------------------------------------------------------
    t_a = now()
    migrated, migrate_errors, owners_after, resharded_ok = 0, ["no slot to move"], {}, False
    red_src_0 = red_src_1 = red_all_1 = red_all_2 = {"ASK": 0, "MOVED": 0}
    if found:
        red_src_0 = redirects(src)
        migrated, migrate_errors = migrate_keys(slot, src, dst, ids, args.migrate_seconds)
        red_src_1 = redirects(src)
        red_all_1 = {k: sum(redirects(x)[k] for x in ports) for k in ("ASK", "MOVED")}
        migrate_errors += assign_slot(slot, src, dst, ids, ports)
        took = now() - t_a
        owners_after = {x: slot_owner(x, slot) for x in ports}
        resharded_ok = not migrate_errors and all(o == dst for o in owners_after.values())
        log(f"slot {slot} moved in {took:.2f}s: {migrated} keys migrated, owners now {owners_after}"
            + (f"; errors: {migrate_errors}" if migrate_errors else ""))
    t_resharded = now()
    dst_calls_0 = redis_command_calls(dst) if found else {}
    time.sleep(args.after_reshard)
    dst_calls_1 = redis_command_calls(dst) if found else {}
    red_all_2 = {k: sum(redirects(x)[k] for x in ports) for k in ("ASK", "MOVED")} if found else red_all_2
    keys_mid = tenant_keys(ports, tenant) if tenant else {}
    slots_mid = slots_of(ports, keys_mid)

    # ---- fault b: the owner killed and restarted ------------------------------------------
    owner = slot_owner(ports[0], slot) if found else None
    t_kill = t_started = t_back = None
    owner_after_restart = None
    if owner is not None:
        node_dir = os.path.join(args.cluster_dir, f"node-{owner}")
        with open(os.path.join(node_dir, "redis.pid")) as f:
            pid = int(f.read().strip())
        t_kill = now()
        os.kill(pid, signal.SIGKILL)
        while alive(pid) and now() < t_kill + 5:
            time.sleep(0.02)
        log(f"master :{owner} (owner of slot {slot}) SIGKILLed")
        time.sleep(max(0.0, t_kill + args.down - now()))
        t_started = now()
        subprocess.run(["redis-server", os.path.join(node_dir, "redis.conf")], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while now() < t_started + args.rejoin_within:
            if cluster_ok(ports):
                t_back = now()
                break
            time.sleep(0.1)
        owner_after_restart = slot_owner(ports[0], slot)
        log(f"master :{owner} started again at {t_started:.2f}s; cluster ok "
            f"{fmt(None if t_back is None else t_back - t_started)}s later")
    time.sleep(args.after_restart)
    load.finish()
    poller.finish()
    keys_end = tenant_keys(ports, tenant) if tenant else {}
    slots_end = slots_of(ports, keys_end)
    t_end = now()

    # ---- figures --------------------------------------------------------------------------
    recs = load.records
    samples = poller.samples
    base_a = windowed_ratio(samples, args.warmup, t_a)
    during_a = [r for r in recs if t_a <= r.t < t_resharded]
    rec_a = recovery(samples, base_a, t_resharded, args.window)
    base_b = windowed_ratio(samples, t_kill - args.baseline, t_kill) if t_kill is not None else None
    end_b = t_back if t_back is not None else t_end
    during_b = [r for r in recs if t_kill is not None and t_kill <= r.t < end_b]
    rec_b = recovery(samples, base_b, t_back, args.window) if t_back is not None else None
    warnings = server_warnings(args.server_log, log_offset)
    followed = server_redirects(args.base)
    per_second = collections.Counter(w.split()[0][:19] for w in warnings)
    busiest = max(per_second.values(), default=0)
    ask = red_src_1["ASK"] - red_src_0["ASK"]
    moved = red_all_2["MOVED"] - red_all_1["MOVED"]
    dst_gets = dst_calls_1.get("get", 0) - dst_calls_0.get("get", 0)
    on_dst = len(keys_mid.get(dst, [])) if dst else 0
    elsewhere_mid = sum(len(v) for k, v in keys_mid.items() if k != dst)
    on_owner_end = len(keys_end.get(owner, [])) if owner else 0
    one_slot = {name: set(s.values()) for name, s in
                (("before", slots_before), ("after the resharding", slots_mid), ("at the end", slots_end))}

    def cached(rs):
        return fmt_counter(collections.Counter(r.x_cache for r in rs if r.kind in ("cached", "batch_list")))

    def lat(rs):
        ms = [r.dt * 1000 for r in rs if not r.error]
        return f"{pct(ms, .5):.1f}/{pct(ms, .99):.1f}/{max(ms, default=0):.1f}"

    print(f"\n== drill redis_cluster: tenant {tenant}, slot {slot}; a. resharding :{src} -> :{dst} "
          f"{t_a:.2f}s-{t_resharded:.2f}s; b. :{owner} SIGKILLed at {fmt(t_kill)}s, started at {fmt(t_started)}s, "
          f"cluster ok at {fmt(t_back)}s")
    print(f"requests: {len(recs)} ({fmt_counter(collections.Counter(r.kind for r in recs))})")
    print(f"by class: {fmt_counter(by_class(recs))}; during the resharding: {len(during_a)} "
          f"({fmt_counter(by_class(during_a))}); node down to cluster ok: {len(during_b)} "
          f"({fmt_counter(by_class(during_b))})")
    print(f"X-Cache (cached routes) during the resharding: {cached(during_a)}; node down: {cached(during_b)}")
    print(f"latency ms p50/p99/max: all {lat(recs)}; resharding {lat(during_a)}; node down {lat(during_b)}")
    print(f"resharding: {migrated} keys migrated one by one in {t_resharded - t_a:.2f}s; the server got "
          f"ASK x{ask} during it, MOVED x{moved} after it")
    print(f"the server's own count (/metrics fp_redis_cluster_redirects_total): ASK {followed.get('ask', 0):.0f}, "
          f"MOVED {followed.get('moved', 0):.0f}")
    print(f"new owner :{dst} after the resharding: GET +{dst_gets}, {on_dst} keys of the tenant "
          f"({elsewhere_mid} elsewhere); old owner GETs before: {src_gets_before}")
    print(f"hit ratio a: before {fmt(base_a)}, during {fmt(windowed_ratio(samples, t_a, t_resharded))}; >= 90% of "
          f"before {fmt(None if rec_a is None else rec_a - t_resharded)}s after the resharding")
    print(f"hit ratio b: before {fmt(base_b)}, down {fmt(windowed_ratio(samples, t_kill, end_b) if t_kill else None)}"
          f"; >= 90% of before {fmt(None if rec_b is None or t_back is None else rec_b - t_back)}s after the "
          f"cluster was ok ({fmt(None if rec_b is None or t_kill is None else rec_b - t_kill)}s after the kill); "
          f"last {args.window:.1f}s {fmt(windowed_ratio(samples, now() - args.window - 1, now()))}")
    print(f"restarted :{owner}: owns slot {slot}: {owner_after_restart == owner}; {on_owner_end} keys of the tenant "
          f"at the end")
    print("tenant's keys by slot: " + "; ".join(f"{name} {len(s)} key(s) in slot(s) {sorted(set(s.values()), key=str)}"
                                                 for name, s in (("before", slots_before), ("after a", slots_mid),
                                                                 ("end", slots_end))))
    print(f"server warnings: {len(warnings)} in {t_end:.0f}s, at most {busiest} in one second")
    for w in warnings[:12]:
        print(f"    {w[:200]}")
    for e in migrate_errors:
        print(f"    migration: {e}")

    c.check(all(r.error is None for r in recs), "0 connection errors")
    c.check(all(r.error or r.status < 500 for r in recs), "0 responses >= 500")
    c.check(all(r.error or 200 <= r.status < 300 for r in recs), "every response 2xx (reads and writes)")
    c.check(found, "the demo tenant's keys found, all in one slot with a known owner")
    c.check(found and src_gets_before > 0, "before the fault the cache read from the slot's owner")
    c.check(resharded_ok, f"slot moved: every key migrated, every master names :{dst} its owner")
    c.check(ask > 0, "the server followed ASK during the migration (the old owner's errorstat_ASK grew)")
    c.check(moved > 0, "the server got MOVED after the migration (errorstat_MOVED grew)")
    c.check(followed.get("ask", 0) >= ask > 0 and followed.get("moved", 0) >= moved > 0,
            "the server counts the redirects it followed (/metrics), at least those the nodes sent in the drill")
    c.check(dst_gets > 0 and on_dst > 0 and elsewhere_mid == 0,
            "the cache reads the new owner after the resharding (its GETs grow, it holds all the tenant's keys)")
    c.check(rec_a is not None and rec_a - t_resharded <= args.recover_within,
            f"hit ratio back to >= 90% of before within {args.recover_within:.0f}s of the resharding")
    c.check(t_back is not None and owner_after_restart == owner,
            f"the restarted master rejoined with its slots within {args.rejoin_within:.0f}s (cluster_state:ok)")
    c.check(rec_b is not None and t_back is not None and rec_b - t_back <= args.recover_within,
            f"hit ratio back to >= 90% of before within {args.recover_within:.0f}s of the restart")
    c.check(on_owner_end > 0, "the restarted master holds the tenant's keys again")
    c.check(all(len(s) == 1 and None not in s for s in one_slot.values())
            and len(set().union(*one_slot.values())) == 1,
            "every key of the tenant in one slot (CLUSTER KEYSLOT), before, between and after the faults")
    c.check(busiest <= args.max_warnings_per_second,
            f"server warnings: at most {args.max_warnings_per_second} in any second")
    c.check(alive(args.server_pid), "server alive")
    c.exit()


if __name__ == "__main__":
    main()
