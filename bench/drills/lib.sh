#!/usr/bin/env bash
# Shared set-up for the failure drills (bench/drills/*, issue 10). Source it, don't run it.
# Each drill gets its own temp dir with a private PostgreSQL 15 (drill_start_pg), a private
# Redis (drill_start_redis), the demo data set (drill_load_demo) and one server
# (drill_start_server), all on 127.0.0.1, and removes them on exit, whatever happens.
#
# The server binary: FRUITPAK_BIN, else build/release/src/fruitpak (load figures are
# meant for the release build; ctest passes the ASan build, which is slower but the same
# assertions hold).
#
# After drill_write_svc, "$DRILL_SVC ACTION" controls the servers from the Python driver:
# pg-stop, pg-stop-immediate, pg-start, redis-kill, redis-start (start returns once the
# server accepts connections again).

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "lib.sh is a library: source it from a drill script" >&2
  exit 2
fi

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib.sh"

DRILL_DIR="$FP_ROOT/bench/drills"
DRILL_BIN="${FRUITPAK_BIN:-$FP_ROOT/build/release/src/fruitpak}"
DRILL_PY="${DRILL_PY:-/usr/bin/python3}"
DRILL_SERVER_PID=""
DRILL_STATUS=1

# drill_init NAME: the temp dir and the cleanup trap. The temp dir must be reachable by the
# `postgres` OS user when run as root, hence /tmp and mode 711.
drill_init() {
  DRILL_NAME="$1"
  [[ -x "$DRILL_BIN" ]] || fp_die "$DRILL_BIN not found (build it: cmake --build --preset release)"
  DRILL_TMP="$(mktemp -d "/tmp/fruitpak-drill-$DRILL_NAME.XXXXXX")"
  chmod 711 "$DRILL_TMP"
  trap drill_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# shellcheck disable=SC2317  # invoked by the trap
drill_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  fp_stop_pid "$DRILL_SERVER_PID" 15
  [[ -n "${FP_REDIS_DIR:-}" ]] && fp_redis_stop
  [[ -n "${FP_PG_DIR:-}" ]] && fp_pg_stop
  if ((rc != 0)) && [[ -n "${DRILL_KEEP_LOGS:-}" ]]; then
    mkdir -p "$DRILL_KEEP_LOGS"
    cp -f "$DRILL_TMP/server.log" "$DRILL_KEEP_LOGS/$DRILL_NAME.server.log" 2>/dev/null
  fi
  if ((rc != 0)) && [[ -f "$DRILL_TMP/server.log" ]]; then
    echo "---- last lines of the server log ----" >&2
    tail -n 20 "$DRILL_TMP/server.log" >&2
  fi
  rm -rf "$DRILL_TMP"
  exit "$rc"
}

# drill_start_pg: PostgreSQL with durable commits (synchronous_commit=on, which the shared
# test settings turn off): a drill that checks acknowledged writes after a crash must not
# let the server acknowledge a commit before its WAL is written.
drill_start_pg() {
  local drill_port
  fp_free_port drill_port
  fp_pg_vars "$DRILL_TMP/pg" "$drill_port"
  fp_log "starting PostgreSQL 15 on 127.0.0.1:$drill_port"
  fp_pg_init
  fp_as_pg tee -a "$FP_PG_DIR/data/postgresql.conf" >/dev/null <<CONF
synchronous_commit = on
CONF
  fp_pg_restart
  fp_pg_psql -c "CREATE DATABASE drill"
  DRILL_DATABASE_URL="postgresql://postgres@127.0.0.1:$drill_port/drill"
}

drill_start_redis() {
  local drill_port
  fp_free_port drill_port
  fp_redis_vars "$DRILL_TMP/redis" "$drill_port"
  fp_log "starting Redis on 127.0.0.1:$drill_port"
  fp_redis_start
  DRILL_REDIS_URL="redis://127.0.0.1:$drill_port/0"
}

# The environment every drill server gets; drills append to DRILL_ENV before starting it.
# Rate limits are raised so the load meets the server, not the limiter.
DRILL_ENV=(LOG_LEVEL=warn BCRYPT_COST=4 RECONCILIATION_SCHEDULE=0
  RATE_LIMIT_USER_PER_MINUTE=1000000000 RATE_LIMIT_ANONYMOUS_PER_MINUTE=1000000000
  RATE_LIMIT_LOGIN_PER_MINUTE=1000000 RATE_LIMIT_REGISTER_PER_5_MINUTES=1000)

# drill_load_demo: `fruitpak demo` into DRILL_DATABASE_URL (migrates first).
drill_load_demo() {
  fp_log "loading demo data"
  env "${DRILL_ENV[@]}" DATABASE_URL="$DRILL_DATABASE_URL" \
    "$DRILL_BIN" --env-file "$DRILL_TMP/none.env" demo >"$DRILL_TMP/demo.out" 2>&1 ||
    { cat "$DRILL_TMP/demo.out" >&2; fp_die "fruitpak demo failed"; }
}

# drill_start_server: `fruitpak serve` on a free port with DRILL_ENV; sets DRILL_BASE.
drill_start_server() {
  local drill_port
  fp_free_port drill_port
  DRILL_BASE="http://127.0.0.1:$drill_port"
  fp_log "starting $DRILL_BIN on $DRILL_BASE"
  env "${DRILL_ENV[@]}" DATABASE_URL="$DRILL_DATABASE_URL" "$DRILL_BIN" --env-file "$DRILL_TMP/none.env" \
    serve --host 127.0.0.1 --port "$drill_port" </dev/null >>"$DRILL_TMP/server.log" 2>&1 &
  DRILL_SERVER_PID=$!
  fp_wait_until 60 "fruitpak on $DRILL_BASE" curl -fsS -o /dev/null "$DRILL_BASE/health" ||
    fp_die "the server did not start"
}

# drill_write_svc: the control script the Python driver calls ("$DRILL_SVC ACTION").
drill_write_svc() {
  DRILL_SVC="$DRILL_TMP/svc"
  cat >"$DRILL_SVC" <<EOF
#!/usr/bin/env bash
set -euo pipefail
source $(printf '%q' "$FP_ROOT/scripts/lib.sh")
fp_pg_vars $(printf '%q' "${FP_PG_DIR:-}") ${FP_PG_PORT:-0}
fp_redis_vars $(printf '%q' "${FP_REDIS_DIR:-}") ${FP_REDIS_PORT:-0}
case "\${1:-}" in
  pg-stop) fp_pg_stop ;;
  pg-stop-immediate) fp_pg_running && fp_pg_ctl stop -m immediate ;;
  pg-start) fp_pg_start ;;
  redis-kill) pid="\$(fp_redis_pid)"; [[ -n "\$pid" ]] && kill -KILL "\$pid"
              for ((i = 0; i < 100; i++)); do fp_pid_alive "\$pid" || break; sleep 0.05; done
              rm -f "\$FP_REDIS_DIR/redis.pid" ;;
  redis-start) fp_redis_start ;;
  *) echo "usage: \$0 pg-stop|pg-stop-immediate|pg-start|redis-kill|redis-start" >&2; exit 2 ;;
esac
EOF
  chmod 755 "$DRILL_SVC"
}

# drill_run_driver SUBCOMMAND ARGS...: the Python driver with the common arguments.
drill_run_driver() {
  local sub="$1"; shift
  "$DRILL_PY" "$DRILL_DIR/driver.py" "$sub" --base "$DRILL_BASE" --svc "${DRILL_SVC:-}" \
    --server-log "$DRILL_TMP/server.log" --server-pid "$DRILL_SERVER_PID" \
    --demo-out "$DRILL_TMP/demo.out" "$@"
}

# drill_psql SQL: one query against the drill database, unaligned, no headers.
drill_psql() {
  "$FP_PG_BIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FP_PG_PORT" -U postgres -d drill -c "$1"
}
