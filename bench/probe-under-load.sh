#!/usr/bin/env bash
# Probes and the API while the process serves its own load (PERFORMANCE.md: "Probes and the API under the process's
# own load" and "Memory: heap and non-heap at rest and under load").
#
#   bench/probe-under-load.sh                   one run of the embedded default with USERS simulator users
#   bench/probe-under-load.sh -- -Dkey=value    the same with extra JVM options (system properties or -XX flags)
#   A="" B="-Dquarkus.management.enabled=true" ROUNDS=3 bench/probe-under-load.sh
#                                               A and B alternately, ROUNDS each (A, B, A, B, ...), so a change is
#                                               compared under the same load of a shared machine
#
# Environment: USERS (1000, split as bench/load-users.sh mixed: main 60 %, jobs 15 %, analytics 5 %, financial 20 %),
# WARMUP (s, 30; each path is first asked WARM_REQUESTS, 5, times), DURATION (s, 40), INTERVAL (s between samples of each path, 0.2), ROUNDS (1, or 3 with A/B),
# A_JAVA and B_JAVA (a java binary per configuration, default `java` on the PATH), A_JAR and B_JAR (a packaged jar per
# configuration, default JAR: a build of the change against one of the code before it), NMT (1: Native Memory Tracking on,
# its summary saved at rest and under load), PORT (first free from 8080), OUT_DIR (target/bench).
#
# Each run starts the packaged jar on 127.0.0.1 (building it if missing) with the simulator on and no demo cycle,
# waits for /q/health/started and the warm-up, then samples /q/health/live, /q/health/ready, /api/v1/pools and / every
# INTERVAL for DURATION with the load running: each sample is its own request, sent on time whether or not the last one
# has answered (so a slow answer does not hide the ones behind it). A request that takes longer than 5 s counts as 5 s
# and as failed. The probes are asked wherever the configuration puts them: the management port when
# quarkus.management.enabled=true is among the options (it is set to PORT+50 on 127.0.0.1), else the main port.
# It prints p50, p99 and max per path, the JVM's threads, RSS, heap used and committed and non-heap (after start and at
# the end of the sampling), and the load average; a thread dump (threads counted by name), GC.heap_info and, with NMT=1,
# VM.native_memory summary are kept in OUT_DIR/probe-under-load/<label>/.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need curl
need jq
need jcmd openjdk-17-jdk-headless

USERS="${USERS:-1000}"
WARMUP="${WARMUP:-30}"
DURATION="${DURATION:-40}"
INTERVAL="${INTERVAL:-0.2}"
WARM_REQUESTS="${WARM_REQUESTS:-5}"
PATHS=(/q/health/live /q/health/ready /api/v1/pools /)
# The longest a sample may take; a request still unanswered then counts as this long, and as failed.
SAMPLE_TIMEOUT=5

DEFAULT_JAR="$JAR"
EXTRA=()
if [ "${1:-}" = "--" ]; then shift; EXTRA=("$@"); fi
if [ -n "${A+x}" ] || [ -n "${B+x}" ]; then
  CONFIGS=(A B)
  ROUNDS="${ROUNDS:-3}"
else
  CONFIGS=(run)
  ROUNDS="${ROUNDS:-1}"
fi
RUN_ROOT="${OUT_DIR}/probe-under-load"
rm -rf "$RUN_ROOT" && mkdir -p "$RUN_ROOT"

# opts_of <config>: the JVM options of a configuration, one a line.
opts_of() {
  case "$1" in
    A) tr ' ' '\n' <<<"${A:-}" | sed '/^$/d' ;;
    B) tr ' ' '\n' <<<"${B:-}" | sed '/^$/d' ;;
    *) [ "${#EXTRA[@]}" -eq 0 ] || printf '%s\n' "${EXTRA[@]}" ;;
  esac
}
jar_of() {
  case "$1" in
    A) echo "${A_JAR:-$DEFAULT_JAR}" ;;
    B) echo "${B_JAR:-$DEFAULT_JAR}" ;;
    *) echo "$DEFAULT_JAR" ;;
  esac
}
java_of() {
  case "$1" in
    A) echo "${A_JAVA:-java}" ;;
    B) echo "${B_JAVA:-java}" ;;
    *) echo "${JAVA:-java}" ;;
  esac
}

# One poolwatch with the load running; like common.sh's start_app, but it waits for the started probe wherever the
# configuration puts it (main or management port) and runs the java of the configuration.
start_loaded() {
  local label="$1" java_bin="$2"; shift 2
  build_jar
  choose_port
  PROBE_BASE="$BASE"
  local mgmt=()
  if printf '%s\n' "$@" | grep -qx -- '-Dquarkus.management.enabled=true'; then
    local mport=$((PORT + 50))
    if port_in_use "$mport"; then die "management port ${mport} on 127.0.0.1 is already in use; choose another PORT"; fi
    mgmt=(-Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mport")
    PROBE_BASE="http://127.0.0.1:${mport}"
  fi
  APP_LOG="${RUN_DIR}/app.log"
  "$java_bin" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" "${mgmt[@]}" \
    -Dpoolwatch.simulator.users.main=$((USERS * 60 / 100)) -Dpoolwatch.simulator.users.jobs=$((USERS * 15 / 100)) \
    -Dpoolwatch.simulator.users.analytics=$((USERS * 5 / 100)) -Dpoolwatch.simulator.users.financial=$((USERS * 20 / 100)) \
    -Dpoolwatch.simulator.demo-cycle=false "$@" -jar "$JAR" >"$APP_LOG" 2>&1 &
  APP_PID=$!
  await_started "${PROBE_BASE}"
}

# A path's first requests load its classes and templates and run in the interpreter: one to five seconds each on a
# saturated machine, a cost of the process's first minute, not of its load. Each path is asked WARM_REQUESTS times
# (one at a time) at the start of the warm-up, as a scrape and the kubelet's first probes would.
warm_paths() {
  local path i
  for path in "${PATHS[@]}"; do
    for i in $(seq 1 "$WARM_REQUESTS"); do
      curl -s -o /dev/null --max-time "$SAMPLE_TIMEOUT" "$(base_of "$path")${path}" || true
    done
  done
}

# Transactions the simulator has committed so far, all workloads.
committed() { api /api/v1/simulator | jq '[.workloads[].committed] | add // 0'; }

base_of() { case "$1" in /q/health/*) echo "$PROBE_BASE" ;; *) echo "$BASE" ;; esac; }

# MiB of heap used and committed, from GC.heap_info's first line (the whole heap, every collector prints it).
# The committed non-heap (metaspace, class space, code cache, thread stacks, GC and the rest), from NMT when on,
# else metaspace and code cache from /q/metrics.
memory_line() {
  local when="$1" heap nonheap
  jcmd "$APP_PID" GC.heap_info >"${RUN_DIR}/heap-${when}.txt" 2>&1 || true
  heap="$(awk '/total [0-9]+K, used [0-9]+K/ {
      for (i = 1; i <= NF; i++) { if ($i == "total") t = $(i + 1); if ($i == "used") u = $(i + 1) }
      gsub(/[K,]/, "", t); gsub(/[K,]/, "", u); printf "heap used %d MiB of %d MiB committed", u / 1024, t / 1024; exit }' \
      "${RUN_DIR}/heap-${when}.txt")"
  if [ "${NMT:-0}" = 1 ]; then
    jcmd "$APP_PID" VM.native_memory summary >"${RUN_DIR}/nmt-${when}.txt" 2>&1 || true
    nonheap="$(awk '/^Total: reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); total = $0 }
        /- +Java Heap \(reserved=/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); heapc = $0 }
        END { if (total) printf "non-heap %d MiB committed (NMT)", (total - heapc) / 1024 }' "${RUN_DIR}/nmt-${when}.txt")"
  else
    nonheap="$(curl -fsS --max-time "$HTTP_TIMEOUT" "${PROBE_BASE}/q/metrics" 2>/dev/null | awk '
        /^jvm_memory_used_bytes\{.*area="nonheap"/ { u += $NF } /^jvm_memory_committed_bytes\{.*area="nonheap"/ { c += $NF }
        END { if (c) printf "non-heap used %d MiB of %d MiB committed", u / 1048576, c / 1048576 }')"
  fi
  printf '%s: %s threads, RSS %s MiB, %s, %s\n' "$when" "$(thread_count)" "$(rss_mib)" "${heap:-heap ?}" "${nonheap:-non-heap ?}"
}

# Threads by name, digits folded ("simulator-17" -> "simulator-#"), most numerous first.
thread_names() {
  jcmd "$APP_PID" Thread.print >"${RUN_DIR}/threads.txt" 2>&1 || true
  grep -o '^"[^"]*"' "${RUN_DIR}/threads.txt" | tr -d '"' | sed -E 's/[0-9]+/#/g' | sort | uniq -c | sort -rn \
    >"${RUN_DIR}/thread-names.txt"
  printf 'threads by name: %s\n' "$(head -8 "${RUN_DIR}/thread-names.txt" | awk '{c = $1; $1 = ""; printf "%s%s x%d", (n++ ? "," : ""), $0, c}')"
}

# sample <path>: one request every INTERVAL for DURATION, each in the background; seconds per answer (or the timeout,
# marked failed) appended to a file.
sample() {
  local path="$1" file="$2" n end
  end=$(($(date +%s%N) + DURATION * 1000000000))
  n=0
  while [ "$(date +%s%N)" -lt "$end" ]; do
    ( t="$(curl -s -o /dev/null --max-time "$SAMPLE_TIMEOUT" -w '%{http_code} %{time_total}' "$(base_of "$path")${path}" || true)"
      code="${t%% *}"
      if [ "$code" = 200 ] || [ "$code" = 503 ]; then echo "ok ${t#* }"; else echo "failed ${SAMPLE_TIMEOUT}"; fi >>"$file" ) &
    n=$((n + 1))
    sleep "$INTERVAL"
  done
  wait
}

# p50, p99 and max in ms of a sample file, nearest rank; and how many failed.
percentiles() {
  awk '{ print $2 * 1000 } ' "$1" | sort -n | awk -v failed="$(grep -c '^failed' "$1" || true)" '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "no samples"; exit }
      i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
      printf "%6d %8.0f %8.0f %8.0f %6d\n", NR, v[i50], v[i99], v[NR], failed
    }'
}

ORDER=()
for round in $(seq 1 "$ROUNDS"); do
  for c in "${CONFIGS[@]}"; do ORDER+=("${c}:${round}"); done
done
SUMMARY="${RUN_ROOT}/summary.txt"
: >"$SUMMARY"
for entry in "${ORDER[@]}"; do
  config="${entry%%:*}"; round="${entry##*:}"
  RUN_DIR="${RUN_ROOT}/${config}-${round}"
  mkdir -p "$RUN_DIR"
  mapfile -t opts < <(opts_of "$config")
  [ "${NMT:-0}" = 1 ] && opts=(-XX:NativeMemoryTracking=summary "${opts[@]}")
  java_bin="$(java_of "$config")"
  JAR="$(jar_of "$config")"
  start_loaded "${config}-${round}" "$java_bin" "${opts[@]}"
  started="$(grep -o 'started in [0-9.]*s' "$APP_LOG" | awk '{print $3}' || true)"
  {
    echo "== ${config} round ${round}: $("$java_bin" -version 2>&1 | head -1), ${JAR#"${ROOT}/"} ${opts[*]:-(defaults)}"
    echo "started in ${started:-?}; ${USERS} users; warm-up ${WARMUP}s, sampled every ${INTERVAL}s for ${DURATION}s"
    memory_line "after-start"
  } | tee -a "$SUMMARY"
  log "warming up for ${WARMUP}s"
  warm_paths
  pause "$WARMUP"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  committed_before="$(committed)"
  samplers=()
  for path in "${PATHS[@]}"; do
    sample "$path" "${RUN_DIR}/samples$(tr '/' '_' <<<"$path").txt" &
    samplers+=("$!")
  done
  HELPER_PIDS=("${samplers[@]}")
  wait "${samplers[@]}"
  HELPER_PIDS=()
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
  committed_after="$(committed)"
  {
    echo "simulator: $((committed_after - committed_before)) transactions committed while sampling" \
      "($(((committed_after - committed_before) / DURATION)) a second; $(api /api/v1/simulator | jq -c '[.workloads[] | {(.workload): .committed}] | add'))"
    memory_line "under-load"
    thread_names
    echo "load average before ${load_before}, after ${load_after}"
    printf '%-16s %6s %8s %8s %8s %6s\n' path n p50_ms p99_ms max_ms failed
    for path in "${PATHS[@]}"; do
      printf '%-16s %s\n' "$path" "$(percentiles "${RUN_DIR}/samples$(tr '/' '_' <<<"$path").txt")"
    done
  } | tee -a "$SUMMARY"
  stop_app
done

# Every round's samples of a configuration together.
if [ "$ROUNDS" -gt 1 ] || [ "${#CONFIGS[@]}" -gt 1 ]; then
  {
    echo "== all rounds together"
    for c in "${CONFIGS[@]}"; do
      echo "${c}: $(opts_of "$c" | tr '\n' ' ')"
      for path in "${PATHS[@]}"; do
        f="$(tr '/' '_' <<<"$path")"
        cat "${RUN_ROOT}/${c}"-*/samples"${f}".txt >"${RUN_ROOT}/${c}-all${f}.txt"
        printf '  %-16s %s\n' "$path" "$(percentiles "${RUN_ROOT}/${c}-all${f}.txt")"
      done
    done
  } | tee -a "$SUMMARY"
fi
log "figures in ${SUMMARY}"
