#!/usr/bin/env bash
# Start-up time and memory of the packaged jar (PERFORMANCE.md: "Start-up and memory of the packaged jar").
#
#   bench/startup.sh                                                        the embedded default
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/poolwatch_test bench/startup.sh     an external database
#   JAR=examples/transfers/target/quarkus-app/quarkus-run.jar API=/q/poolwatch/api/v1/pools \
#     DATABASE_URL=postgresql://postgres@127.0.0.1:5432/poolwatch_transfers bench/startup.sh   the example application
#
# Environment: RUNS (3), SETTLE (s, 5), PORT (first free from 8080), JAR and API (above). Each run starts the packaged jar on 127.0.0.1
# (building it if missing) with default heap settings, and prints Quarkus's "started in", the JVM's VmRSS SETTLE
# seconds after start and again after one GET /api/v1/pools, then stops poolwatch.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need curl

RUNS="${RUNS:-3}"
# The pools' JSON: /api/v1/pools in the standalone service, under /q/poolwatch in an application that adds the extension.
API="${API:-/api/v1/pools}"
SETTLE="${SETTLE:-5}"

echo "database: $(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' <<<"${DATABASE_URL:-embedded default}")"
printf '%-4s %11s %17s %28s\n' run "started in" "RSS after start" "RSS after first API request"
for run in $(seq 1 "$RUNS"); do
  start_app "startup-${run}"
  started="$(grep -o 'started in [0-9.]*s' "$APP_LOG" | awk '{print $3}')"
  pause "$SETTLE"
  rss_start="$(rss_mib)"
  api "$API" >/dev/null
  rss_request="$(rss_mib)"
  printf '%-4s %11s %13s MiB %24s MiB\n' "$run" "$started" "$rss_start" "$rss_request"
  stop_app
done
