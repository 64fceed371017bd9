#!/usr/bin/env python3
"""Report of scripts/bench-reconcile: medians of our runs next to the raw SQL, as markdown
on stdout and (BENCH_WRITE_DOC=1) in docs/PERFORMANCE.md between the
bench:results:reconcile markers. Arguments: the engines measured (pg, sqlite)."""

import datetime
import glob
import json
import os
import re
import statistics
import sys

RESULTS = os.environ["BENCH_RESULTS"]
RUNS = int(os.environ["BENCH_RUNS"])
CHANGED = int(os.environ["BENCH_CHANGED"])
CHECKS = ["lot_vs_batch", "grn_vs_payment", "export_vs_invoice", "pallet_vs_container", "labour_vs_cost",
          "unpaid_batches"]
ENGINE_NAMES = {"pg": "PostgreSQL 15", "sqlite": "SQLite 3.40"}


def read(name):
    with open(os.path.join(RESULTS, name)) as f:
        return f.read()


def ours(engine, label):
    """(per-check ms, run seconds, kind, alert count per check) of one fruitpak reconcile."""
    checks, found = {}, {}
    for m in re.finditer(r"\] (\w+) \.+\s+(\d+) mismatch\w*\s+([\d.]+) ms", read(f"{engine}.{label}.err")):
        checks[m.group(1)] = float(m.group(3))
        found[m.group(1)] = int(m.group(2))
    row = read(f"{engine}.{label}.out").strip().splitlines()[-1].split()
    return checks, float(row[-1]), row[1], found


def raw(engine, label):
    """Per-check ms of the six statements through the client."""
    out, current = {}, None
    for line in read(f"{engine}.{label}.raw").splitlines():
        if line.startswith("check "):
            current = line.split()[1]
        elif current and (m := re.match(r"Time: ([\d.]+) ms", line)):  # psql \timing
            out[current] = float(m.group(1))
            current = None
        elif current and (m := re.match(r"Run Time: real ([\d.]+)", line)):  # sqlite3 .timer
            out[current] = float(m.group(1)) * 1000
            current = None
    missing = [c for c in CHECKS if c not in out]
    if missing:
        sys.exit(f"{engine}.{label}: no timing for {missing}")
    return out


def api_run(engine, label):
    """(kind, milliseconds) of one POST /api/reconciliation/run, as curl timed it."""
    answer = json.loads(read(f"{engine}.{label}.json"))
    return answer["kind"], float(read(f"{engine}.{label}.seconds")) * 1000


def ratio(ours_ms, raw_ms):
    return f"{ours_ms / raw_ms:.2f}" if raw_ms > 0 else "n/a"


def fmt_ms(ms):
    return f"{ms:,.1f} ms" if ms < 1000 else f"{ms / 1000:,.2f} s"


def section(engine):
    batches = int(read(f"{engine}.batches"))
    lots = read(f"{engine}.lots").strip()
    full = [ours(engine, f"full.{r}") for r in range(1, RUNS + 1)]
    full_raw = [raw(engine, f"full.{r}") for r in range(1, RUNS + 1)]
    inc = [ours(engine, f"incremental.{r}") for r in range(1, RUNS + 1)]
    inc_raw = [raw(engine, f"incremental.{r}") for r in range(1, RUNS + 1)]
    assert all(k == "full" for _, _, k, _ in full), "a --full run was not full"
    assert all(k == "incremental" for _, _, k, _ in inc), "a default run after changes was not incremental"

    lines = [f"#### {ENGINE_NAMES[engine]}, {batches:,} batches ({lots} lots), "
             f"loaded by `fruitpak bench-data` in {read(f'{engine}.load_seconds').strip()} s", ""]
    lines += ["| Check | Alerts found | Ours (median) | Raw SQL (median) | Ratio ours/raw |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for c in CHECKS:
        o = statistics.median(run[0][c] for run in full)
        a = statistics.median(run[c] for run in full_raw)
        lines.append(f"| {c} | {full[0][3][c]:,} | {fmt_ms(o)} | {fmt_ms(a)} | {ratio(o, a)} |")
    run_ms = [s * 1000 for _, s, _, _ in full]
    raw_sums = [sum(run.values()) for run in full_raw]
    ratios = [o / a for o, a in zip(run_ms, raw_sums) if a > 0]
    lines.append(f"| **full run** (whole run vs the six statements) | | **{fmt_ms(statistics.median(run_ms))}** | "
                 f"**{fmt_ms(statistics.median(raw_sums))}** | **{statistics.median(ratios):.2f}** |")
    inc_ms = [s * 1000 for _, s, _, _ in inc]
    inc_raw_sums = [sum(run.values()) for run in inc_raw]
    lines.append(f"| **incremental run** after {CHANGED:,} changed batches | | "
                 f"**{fmt_ms(statistics.median(inc_ms))}** | {fmt_ms(statistics.median(inc_raw_sums))} | "
                 f"{ratio(statistics.median(inc_ms), statistics.median(inc_raw_sums))} |")
    api = [api_run(engine, f"api.{r}") for r in range(1, RUNS + 1)]
    api_raw_sums = [sum(raw(engine, f"api.{r}").values()) for r in range(1, RUNS + 1)]
    assert all(k == "incremental" for k, _ in api), "an API run after changes was not incremental"
    api_ms = [ms for _, ms in api]
    lines.append(f"| **incremental run through the API** (running server, HTTP included) | | "
                 f"**{fmt_ms(statistics.median(api_ms))}** | {fmt_ms(statistics.median(api_raw_sums))} | "
                 f"{ratio(statistics.median(api_ms), statistics.median(api_raw_sums))} |")
    lines += ["", "<details><summary>Raw per-run numbers</summary>", "",
              "- full run, ours: " + ", ".join(fmt_ms(v) for v in run_ms),
              "- full run, raw SQL (sum of the six): " + ", ".join(fmt_ms(v) for v in raw_sums),
              "- full run ratios: " + ", ".join(f"{v:.2f}" for v in ratios),
              "- incremental run, ours: " + ", ".join(fmt_ms(v) for v in inc_ms),
              "- incremental, raw journal-scoped SQL (sum of the six): " + ", ".join(fmt_ms(v) for v in inc_raw_sums),
              "- incremental through the API, ours: " + ", ".join(fmt_ms(v) for v in api_ms),
              "- the same, raw journal-scoped SQL: " + ", ".join(fmt_ms(v) for v in api_raw_sums),
              "", "</details>", ""]
    for scope, title in (("all", "full run"), ("journal", f"incremental run, {CHANGED:,} batches changed")):
        lines += [f"<details><summary>{ENGINE_NAMES[engine]} plans, {title}</summary>", "", "```",
                  read(f"{engine}.plan.{scope}").rstrip(), "```", "", "</details>", ""]
    return lines


def main():
    engines = sys.argv[1:]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"Run {now} on {os.environ['BENCH_MACHINE']}; Release build; {RUNS} measured runs per side after one "
           "warm-up run, alternating which side goes first (incremental: raw SQL first, then ours, after each "
           f"set of {CHANGED:,} changes). Ours = the run as `fruitpak reconcile` times it around the service call; "
           "its per-check figures are its progress lines (the first check's also holds the run's start: journal "
           "cut, lock, settings read). Raw SQL = the same statements through psql (`\\timing`, generic plans) or "
           "sqlite3 (`.timer`), result rows discarded. The API row: the incremental run as `POST "
           "/api/reconciliation/run` on a running `fruitpak serve` (curl's total time, HTTP included; two "
           "warm-up runs), where the statements are already prepared and planned on the pooled connections, "
           "as for the daily scheduler; the CLI row starts a process and a connection per run.", ""]
    for engine in engines:
        out += section(engine)
    text = "\n".join(out).rstrip() + "\n"
    print(text)
    if os.environ.get("BENCH_WRITE_DOC", "1") != "0":
        doc = os.environ["BENCH_DOC"]
        start, end = "<!-- bench:results:reconcile:start -->", "<!-- bench:results:reconcile:end -->"
        body = open(doc).read()
        if start in body and end in body:
            head, rest = body.split(start, 1)
            tail = rest.split(end, 1)[1]
        else:
            head, tail = body.rstrip("\n") + "\n\n## Results: reconciliation (issue 8)\n\n", "\n"
        with open(doc, "w") as f:
            f.write(f"{head}{start}\n{text}{end}{tail}")
        print(f"wrote {doc}")


if __name__ == "__main__":
    main()
