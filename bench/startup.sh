#!/usr/bin/env bash
# Start-up time and memory of the packaged jar (PERFORMANCE.md: "Start-up and memory of the packaged jar").
#
#   bench/startup.sh                                                        the embedded default
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/poolwatch_test bench/startup.sh     an external database
#   JAR=examples/transfers/target/quarkus-app/quarkus-run.jar API=/q/poolwatch/api/v1/pools \
#     DATABASE_URL=postgresql://postgres@127.0.0.1:5432/poolwatch_transfers bench/startup.sh   the example application
#
#   A="" B="-XX:+UseSerialGC -Xss512k" bench/startup.sh                   two sets of JVM options, alternately
#
# Environment: RUNS (3; with A/B, runs of each), SETTLE (s, 5), PORT (first free from 8080), JAR and API (above),
# JAVA_OPTS (JVM options of every run), A and B (JVM options of two configurations run alternately: A, B, A, B, ...),
# NMT (1: Native Memory Tracking on; the heap and the rest of the JVM's committed memory are printed, and the summaries
# kept in OUT_DIR/startup-<label>.nmt). Each run starts the packaged jar on 127.0.0.1 (building it if missing) with
# default heap settings unless the options say otherwise, and prints Quarkus's "started in", the JVM's VmRSS SETTLE
# seconds after start and again after one GET /api/v1/pools, and the load average, then stops poolwatch.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need curl

RUNS="${RUNS:-3}"
# The pools' JSON: /api/v1/pools in the standalone service, under /q/poolwatch in an application that adds the extension.
API="${API:-/api/v1/pools}"
SETTLE="${SETTLE:-5}"

echo "database: $(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"${DATABASE_URL:-embedded default}")"
if [ -n "${A+x}" ] || [ -n "${B+x}" ]; then
  CONFIGS=(A B)
  echo "A: ${JAVA_OPTS:-} ${A:-(defaults)}"
  echo "B: ${JAVA_OPTS:-} ${B:-(defaults)}"
else
  CONFIGS=(-)
  echo "JVM options: ${JAVA_OPTS:-(defaults)}"
fi
printf '%-6s %11s %17s %28s %s\n' run "started in" "RSS after start" "RSS after first API request" "${NMT:+heap, other committed (NMT)  }load average"
for run in $(seq 1 "$RUNS"); do
  for config in "${CONFIGS[@]}"; do
    case "$config" in A) extra="${A:-}" ;; B) extra="${B:-}" ;; *) extra="" ;; esac
    # shellcheck disable=SC2086 # options are words
    set -- ${JAVA_OPTS:-} $extra
    [ "${NMT:-0}" = 1 ] && set -- -XX:NativeMemoryTracking=summary "$@"
    label="${run}${config#-}"
    start_app "startup-${label}" "$@"
    started="$(grep -o 'started in [0-9.]*s' "$APP_LOG" | awk '{print $3}')"
    pause "$SETTLE"
    rss_start="$(rss_mib)"
    nmt=""
    if [ "${NMT:-0}" = 1 ]; then
      jcmd "$APP_PID" VM.native_memory summary >"${OUT_DIR}/startup-${label}.nmt" 2>&1 || true
      nmt="$(awk '/^Total: reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); t = $0 }
          /- +Java Heap \(reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); h = $0 }
          END { printf "heap %d MiB, other %d MiB  ", h / 1024, (t - h) / 1024 }' "${OUT_DIR}/startup-${label}.nmt")"
    fi
    api "$API" >/dev/null
    rss_request="$(rss_mib)"
    printf '%-6s %11s %13s MiB %24s MiB %s%s\n' "$label" "$started" "$rss_start" "$rss_request" "$nmt" "$(cut -d' ' -f1-3 /proc/loadavg)"
    stop_app
  done
done
