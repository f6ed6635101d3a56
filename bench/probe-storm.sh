#!/usr/bin/env bash
# A health probe under many concurrent connections, with wrk, simulator off (PERFORMANCE.md: "Health probes under a
# probe storm").
#
#   bench/probe-storm.sh [connections] [path]      defaults: 1000 /q/health/ready
#   DB=frozen bench/probe-storm.sh 1000            the database accepts connections and never answers
#
# Environment: DURATION (s, 10), THREADS (wrk threads, 2), DB (embedded, or frozen), PORT (first free from 8080).
# DATABASE_URL, when set, is the database instead of the embedded one. Starts the packaged jar on 127.0.0.1 (building it
# if missing), warms up for 3 s, runs wrk for DURATION and stops poolwatch.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need wrk
need curl

CONNECTIONS="${1:-1000}"
PROBE="${2:-/q/health/ready}"
DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "${DB:-embedded}" = frozen ]; then
  need python3
  mkdir -p "$OUT_DIR"
  # A listener on loopback that accepts connections and never reads or answers: a database that hangs.
  python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1024)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"${OUT_DIR}/frozen-db.port" &
  HELPER_PIDS+=("$!")
  for _ in $(seq 1 50); do [ -s "${OUT_DIR}/frozen-db.port" ] && break; sleep 0.1; done
  DATABASE_URL="postgresql://postgres@127.0.0.1:$(cat "${OUT_DIR}/frozen-db.port")/poolwatch"
  export DATABASE_URL
  log "frozen database on ${DATABASE_URL}"
fi

start_app "probe-storm" -Dpoolwatch.simulator.enabled=false -Dpoolwatch.consistency.enabled=false
log "${PROBE} answers HTTP $(curl -s -o /dev/null -w '%{http_code}' --max-time "$HTTP_TIMEOUT" "${BASE}${PROBE}")"
# A short run warms the JIT; the measured run follows.
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "${BASE}${PROBE}" >/dev/null
log "wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s --latency ${PROBE}"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "${BASE}${PROBE}"
