#!/usr/bin/env bash
# Shared helpers for scripts/*. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Private PostgreSQL / Redis servers are driven by the FP_PG_* / FP_REDIS_* globals
# (see fp_pg_vars and fp_redis_vars); nothing here touches the system services.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "lib.sh is a library: source it from another script" >&2
  exit 2
fi

FP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FP_PG_BIN="${FP_PG_BIN:-/usr/lib/postgresql/15/bin}"

# ---- messages -------------------------------------------------------------------------

fp_log() { printf '==> %s\n' "$*" >&2; }
fp_warn() { printf 'warning: %s\n' "$*" >&2; }
fp_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---- build ----------------------------------------------------------------------------

# fp_build PRESET: configure and build one CMake preset (build/PRESET).
# FRUITPAK_SKIP_BUILD=1 skips it (the binaries must already be there).
fp_build() {
  local preset="$1"
  if [[ "${FRUITPAK_SKIP_BUILD:-0}" == 1 ]]; then
    fp_log "skipping build of '$preset' (FRUITPAK_SKIP_BUILD=1)"
    return 0
  fi
  fp_log "building preset '$preset'"
  (cd "$FP_ROOT" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset")
}

# ---- waiting and ports ----------------------------------------------------------------

# fp_wait_until SECONDS DESCRIPTION CMD...: retry CMD every 0.1 s until it succeeds.
fp_wait_until() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      printf 'error: timed out after %ss waiting for %s\n' "$timeout" "$what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# Ports handed out by this process, so two calls never return the same one.
FP_USED_PORTS=" "

# fp_free_port VAR: set VAR to a free TCP port on 127.0.0.1. Tries ports below the
# kernel's ephemeral range first (a restarted server can't then collide with a client's
# source port), else lets the kernel pick (bind to port 0); without python3, random ports
# checked with ss. Never hands out the same port twice in one script.
fp_free_port() {
  local __var="$1" port="" _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if command -v python3 >/dev/null 2>&1; then
      port="$(python3 - <<'PY'
import random, socket
low = 32768
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except Exception:
    pass
def try_bind(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
        return s.getsockname()[1]
    except OSError:
        return None
    finally:
        s.close()
candidates = random.sample(range(15000, low), 50) if low > 15100 else []
print(next((p for p in candidates if try_bind(p)), None) or try_bind(0))
PY
)" || port=""
    else
      port=$((20000 + RANDOM % 12000))
      if [[ -n "$(ss -ltnH "sport = :$port" 2>/dev/null)" ]]; then port=""; fi
    fi
    if [[ "$port" =~ ^[0-9]+$ && "$FP_USED_PORTS" != *" $port "* ]]; then
      FP_USED_PORTS+="$port "
      printf -v "$__var" '%s' "$port"
      return 0
    fi
  done
  fp_die "could not find a free TCP port on 127.0.0.1"
}

# fp_pid_alive PID: true while the process exists (and is not a zombie).
fp_pid_alive() {
  local state
  [[ -n "${1:-}" ]] || return 1
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z* ]]
}

# fp_stop_pid PID [SECONDS]: SIGTERM, wait, then SIGKILL. Only ever the given pid.
fp_stop_pid() {
  local pid="$1" timeout="${2:-15}" i
  fp_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    fp_pid_alive "$pid" || return 0
    sleep 0.1
  done
  fp_warn "pid $pid did not stop after ${timeout}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# ---- private PostgreSQL ---------------------------------------------------------------
# Globals: FP_PG_DIR (owned by the server's OS user: data/, server.log, the unix socket),
# FP_PG_PORT. As root the server runs as the `postgres` OS user (it refuses to run as root).

fp_pg_vars() {  # fp_pg_vars DIR PORT
  FP_PG_DIR="$1"
  FP_PG_PORT="$2"
}

# Run a command as the OS user that owns the cluster.
fp_as_pg() {
  if ((EUID != 0)); then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    (cd "$FP_PG_DIR" && runuser -u postgres -- "$@")
  else
    local cmd
    cmd="$(printf '%q ' "$@")"
    (cd "$FP_PG_DIR" && su -s /bin/sh postgres -c "$cmd")
  fi
}

# pg_ctl with our data dir; its chatter goes to pg_ctl.out, the server log to server.log.
fp_pg_ctl() {
  if ! fp_as_pg "$FP_PG_BIN/pg_ctl" -D "$FP_PG_DIR/data" -l "$FP_PG_DIR/server.log" \
      -w -t 60 "$@" </dev/null >>"$FP_PG_DIR/pg_ctl.out" 2>&1; then
    echo "error: pg_ctl $* failed; last lines of $FP_PG_DIR/server.log:" >&2
    tail -n 20 "$FP_PG_DIR/server.log" >&2 2>/dev/null || true
    return 1
  fi
}

fp_pg_ready() { "$FP_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$FP_PG_PORT" -t 2; }

fp_pg_running() {
  [[ -f "$FP_PG_DIR/data/postmaster.pid" ]] &&
    fp_pid_alive "$(head -n 1 "$FP_PG_DIR/data/postmaster.pid" 2>/dev/null)"
}

# Blocks until the server accepts TCP connections again.
fp_pg_start() {
  fp_pg_running || fp_pg_ctl start
  fp_wait_until 60 "PostgreSQL on 127.0.0.1:$FP_PG_PORT" fp_pg_ready
}

fp_pg_stop() {
  fp_pg_running || return 0
  fp_pg_ctl stop -m fast
}

fp_pg_restart() {
  if fp_pg_running; then fp_pg_ctl restart -m fast; else fp_pg_ctl start; fi
  fp_wait_until 60 "PostgreSQL on 127.0.0.1:$FP_PG_PORT" fp_pg_ready
}

# fp_pg_init: initdb a fresh cluster in FP_PG_DIR (loopback only, fsync off) and start it.
fp_pg_init() {
  [[ -x "$FP_PG_BIN/initdb" ]] || fp_die "PostgreSQL 15 not found in $FP_PG_BIN (run scripts/setup)"
  mkdir -p "$FP_PG_DIR"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || fp_die "OS user 'postgres' missing (install postgresql-15)"
    chown postgres: "$FP_PG_DIR"
    chmod 700 "$FP_PG_DIR"
  fi
  fp_as_pg "$FP_PG_BIN/initdb" -D "$FP_PG_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-sync </dev/null >"$FP_PG_DIR/initdb.out" 2>&1 ||
    { cat "$FP_PG_DIR/initdb.out" >&2; fp_die "initdb failed"; }
  # Appended settings win over the defaults above them; pg_ctl restart keeps them.
  fp_as_pg tee -a "$FP_PG_DIR/data/postgresql.conf" >/dev/null <<EOF

# --- private test/bench server (scripts/lib.sh) ---
listen_addresses = '127.0.0.1'
port = $FP_PG_PORT
unix_socket_directories = '$FP_PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
  fp_pg_start
}

# fp_pg_psql SQL...: run SQL as the superuser `postgres` over TCP.
fp_pg_psql() {
  "$FP_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$FP_PG_PORT" \
    -U postgres -d postgres "$@"
}

# ---- private Redis --------------------------------------------------------------------
# Globals: FP_REDIS_DIR (config, pidfile, log), FP_REDIS_PORT. No persistence.

fp_redis_vars() {  # fp_redis_vars DIR PORT
  FP_REDIS_DIR="$1"
  FP_REDIS_PORT="$2"
}

fp_redis_cli() { redis-cli -h 127.0.0.1 -p "$FP_REDIS_PORT" "$@"; }
fp_redis_ready() { [[ "$(fp_redis_cli ping 2>/dev/null)" == PONG ]]; }
fp_redis_pid() { cat "$FP_REDIS_DIR/redis.pid" 2>/dev/null || true; }

# Starts redis-server (daemonized, pidfile) and blocks until PING answers.
fp_redis_start() {
  mkdir -p "$FP_REDIS_DIR"
  if [[ ! -f "$FP_REDIS_DIR/redis.conf" ]]; then
    cat >"$FP_REDIS_DIR/redis.conf" <<EOF
bind 127.0.0.1
port $FP_REDIS_PORT
protected-mode yes
daemonize yes
pidfile $FP_REDIS_DIR/redis.pid
logfile $FP_REDIS_DIR/redis.log
dir $FP_REDIS_DIR
save ""
appendonly no
EOF
  fi
  fp_redis_ready && return 0
  redis-server "$FP_REDIS_DIR/redis.conf" --save '' --appendonly no </dev/null >/dev/null 2>&1 ||
    fp_die "redis-server failed to start (see $FP_REDIS_DIR/redis.log)"
  fp_wait_until 30 "Redis on 127.0.0.1:$FP_REDIS_PORT" fp_redis_ready
}

# SHUTDOWN NOSAVE, then wait for the process to go (SIGKILL as a last resort).
fp_redis_stop() {
  local pid i
  pid="$(fp_redis_pid)"
  fp_redis_cli shutdown nosave </dev/null >/dev/null 2>&1 || true
  for ((i = 0; i < 100; i++)); do
    fp_pid_alive "$pid" || { rm -f "$FP_REDIS_DIR/redis.pid"; return 0; }
    sleep 0.1
  done
  fp_stop_pid "$pid" 5
  rm -f "$FP_REDIS_DIR/redis.pid"
}

fp_redis_restart() { fp_redis_stop; fp_redis_start; }

# ---- private Redis Cluster ------------------------------------------------------------
# One directory per node, DIR/node-PORT (redis.conf, redis.pid, redis.log, nodes.conf), no
# persistence of the data: a node restarted from its directory (`redis-server
# DIR/node-PORT/redis.conf`) rejoins with the slots its nodes.conf names, empty.

# fp_redis_cluster_start DIR PORT...: a cluster of masters only (no replicas), one
# cluster-enabled redis-server per PORT (at least 3, what `redis-cli --cluster create`
# needs), slots split evenly; returns once every node says cluster_state:ok and they all
# agree on the slots. redis-cli's own output goes to DIR/create.out (shown on failure).
# Each node's cluster bus gets its own port from fp_free_port (`cluster-port`), not Redis's
# default PORT+10000, which nothing checked and which may be taken or past 65535.
fp_redis_cluster_start() {
  local dir="$1"; shift
  (($# >= 3)) || fp_die "fp_redis_cluster_start: at least 3 ports needed (got $#)"
  local p node bus addrs=()
  mkdir -p "$dir"
  for p in "$@"; do
    node="$dir/node-$p"
    mkdir -p "$node"
    fp_free_port bus
    cat >"$node/redis.conf" <<CONF
bind 127.0.0.1
port $p
protected-mode yes
daemonize yes
pidfile $node/redis.pid
logfile $node/redis.log
dir $node
save ""
appendonly no
cluster-enabled yes
cluster-port $bus
cluster-config-file nodes.conf
cluster-node-timeout 1000
cluster-require-full-coverage no
CONF
    redis-server "$node/redis.conf" </dev/null >/dev/null 2>&1 ||
      fp_die "redis-server (cluster node :$p) failed to start (see $node/redis.log)"
    addrs+=("127.0.0.1:$p")
  done
  for p in "$@"; do
    fp_wait_until 30 "Redis cluster node on 127.0.0.1:$p" \
      test "$(redis-cli -h 127.0.0.1 -p "$p" ping 2>/dev/null)" = PONG || return 1
  done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 0 --cluster-yes \
    </dev/null >"$dir/create.out" 2>&1 ||
    { cat "$dir/create.out" >&2; fp_die "redis-cli --cluster create failed"; }
  fp_wait_until 30 "the Redis cluster on ${addrs[*]} to agree (cluster_state:ok)" \
    fp_redis_cluster_ok "$@" || return 1
}

# fp_redis_cluster_ok PORT...: true when every node answers cluster_state:ok, all 16384
# slots assigned, knows every other node and none as failing, and all give the same
# CLUSTER SLOTS.
fp_redis_cluster_ok() {
  local p info slots first=""
  for p in "$@"; do
    info="$(redis-cli -h 127.0.0.1 -p "$p" cluster info 2>/dev/null | tr -d '\r')" || return 1
    [[ "$info" == *"cluster_state:ok"* && "$info" == *"cluster_slots_assigned:16384"* &&
       "$info" == *"cluster_known_nodes:$#"* ]] || return 1
    redis-cli -h 127.0.0.1 -p "$p" cluster nodes 2>/dev/null | awk '{print $3}' | grep -q fail && return 1
    slots="$(redis-cli -h 127.0.0.1 -p "$p" cluster slots 2>/dev/null)" || return 1
    [[ -n "$slots" ]] || return 1
    if [[ -z "$first" ]]; then first="$slots"; elif [[ "$slots" != "$first" ]]; then return 1; fi
  done
}

# fp_redis_cluster_stop DIR: stops every node under DIR by its pid file (SIGTERM, SIGKILL
# after 5 s); no data is saved.
fp_redis_cluster_stop() {
  local dir="$1" pidfile pid
  for pidfile in "$dir"/node-*/redis.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile" 2>/dev/null)"
    [[ -n "$pid" ]] && fp_stop_pid "$pid" 5
    rm -f "$pidfile"
  done
}
