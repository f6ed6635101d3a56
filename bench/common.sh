# Shared by the bench/ scripts: tools, the jar, and one poolwatch process on loopback that is always stopped.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The standalone service; JAR=examples/transfers/target/quarkus-app/quarkus-run.jar measures the example application.
JAR="${JAR:-${ROOT}/service/target/quarkus-app/quarkus-run.jar}"
# Logs and collected JSON of each run; under target/ so `mvnw clean` removes them.
OUT_DIR="${OUT_DIR:-${ROOT}/target/bench}"
# Longest wait for one HTTP answer: under 1,000 simulator users GET /api/v1/pools has taken seconds.
HTTP_TIMEOUT="${HTTP_TIMEOUT:-30}"
# poolwatch may take quarkus.shutdown.timeout (10s) plus the drain timeout (15s) to stop; then it is killed.
STOP_TIMEOUT="${STOP_TIMEOUT:-60}"
APP_PID=""
APP_CHILDREN=""
APP_LOG=""

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# need <command> [debian package]: installs the package with apt-get when the command is missing (as root or sudo -n).
need() {
  local cmd="$1" pkg="${2:-$1}" sudo=()
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || die "${cmd} is needed: install the Debian package ${pkg}"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || die "${cmd} is needed: install the package ${pkg}"
  log "installing ${pkg} with apt-get"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >/dev/null
  command -v "$cmd" >/dev/null 2>&1 || die "installing ${pkg} did not provide ${cmd}"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PORT if given (it must be free), else the first free port from 8080 to 8099: a poolwatch already running on 8080
# would otherwise answer our health checks and be measured instead.
choose_port() {
  if [ -n "${PORT:-}" ]; then
    if port_in_use "$PORT"; then die "port ${PORT} on 127.0.0.1 is already in use; choose another with PORT=..."; fi
  else
    for PORT in $(seq 8080 8099); do port_in_use "$PORT" || break; done
    if port_in_use "$PORT"; then die "ports 8080-8099 on 127.0.0.1 are all in use; choose one with PORT=..."; fi
  fi
  BASE="http://127.0.0.1:${PORT}"
}

# api <path> [curl options]: one bounded request to poolwatch; fails on an HTTP error.
api() {
  local path="$1"; shift
  curl -fsS --max-time "$HTTP_TIMEOUT" "$@" "${BASE}${path}"
}

build_jar() {
  if [ ! -f "$JAR" ]; then
    log "building the jar: ./mvnw -B -ntp -q package -DskipTests"
    (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests)
  fi
}

# Stops the poolwatch started by start_app: SIGTERM, at most STOP_TIMEOUT seconds, then SIGKILL. Its child processes
# (the embedded PostgreSQL) are stopped too if they outlive it, so nothing is left running.
stop_app() {
  [ -n "$APP_PID" ] || return 0
  local pid="$APP_PID" waited=0 child
  APP_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping poolwatch (pid ${pid})"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((STOP_TIMEOUT * 5)) ]; do sleep 0.2; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      log "poolwatch did not stop within ${STOP_TIMEOUT}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  for child in $APP_CHILDREN; do
    if kill -0 "$child" 2>/dev/null; then
      log "stopping process ${child} left behind by poolwatch"
      kill -TERM "$child" 2>/dev/null || true
      sleep 2
      kill -KILL "$child" 2>/dev/null || true
    fi
  done
  APP_CHILDREN=""
}

on_signal() { exit "$1"; }

# pause <seconds>: a sleep that INT and TERM interrupt at once (bash runs traps only between foreground commands).
PAUSE_PID=""
pause() { sleep "$1" & PAUSE_PID=$!; wait "$PAUSE_PID"; PAUSE_PID=""; }

# Other processes a script starts in the background (a fake database), stopped after poolwatch.
HELPER_PIDS=()

on_exit() {
  local pid
  if [ -n "$PAUSE_PID" ]; then kill "$PAUSE_PID" 2>/dev/null || true; fi
  stop_app
  for pid in "${HELPER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
# However a script ends (done, failed, INT or TERM), what it started is stopped.
trap on_exit EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# start_app <label> <java -D flags...>: starts the packaged jar on 127.0.0.1:$PORT and waits (at most 120 s) until
# /q/health/started answers; its output goes to OUT_DIR/<label>.log. The EXIT trap above stops it.
start_app() {
  local label="$1"; shift
  build_jar
  choose_port
  mkdir -p "$OUT_DIR"
  APP_LOG="${OUT_DIR}/${label}.log"
  java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" "$@" -jar "$JAR" >"$APP_LOG" 2>&1 &
  APP_PID=$!
  await_started "${BASE}"
}

# Waits (at most 120 s) until the started probe under $1 answers, or dies if APP_PID exits first; sets APP_CHILDREN.
await_started() {
  local probe_base="$1" i
  for i in $(seq 1 240); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      tail -20 "$APP_LOG" >&2; APP_PID=""; die "poolwatch exited during start-up (log ${APP_LOG})"
    fi
    if curl -fsS --max-time 2 "${probe_base}/q/health/started" >/dev/null 2>&1; then
      APP_CHILDREN="$(pgrep -P "$APP_PID" | tr '\n' ' ' || true)"
      log "poolwatch started on ${BASE} after $((i / 2)) s, probes on ${probe_base} (pid ${APP_PID}, log ${APP_LOG})"
      return 0
    fi
    sleep 0.5
  done
  tail -20 "$APP_LOG" >&2
  die "poolwatch did not start within 120 s (log ${APP_LOG})"
}

rss_mib() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/${APP_PID}/status"; }
thread_count() { awk '/^Threads/ {print $2}' "/proc/${APP_PID}/status"; }
