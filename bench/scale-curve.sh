#!/usr/bin/env bash
# How poolwatch's cost grows with the number of pools (PERFORMANCE.md: "Scale curve: 4 to 400 pools"): for 4, 25, 100
# and 400 pools spread over 1 and over 10 databases, the CPU of sampling per interval, heap after a full GC and RSS, the
# size and render time of a Prometheus scrape, the render time of / and /api/v1/pools, and the monitoring connections
# poolwatch holds. Writes one tab-separated line per run to OUT (and the table to stdout); bench/scale-plot.py draws
# the plot from OUT.
#
#   bench/scale-curve.sh
#   POOLS="4 100" DATABASES=10 bench/scale-curve.sh
#   python3 bench/scale-plot.py target/bench/scale-curve.tsv docs/images/scale-curve.svg
#
# The databases: the 4 standard pools run on pw_scale_0 of the local PostgreSQL; the extra pools (min-size 0, max-size
# 2, so they hold no connection) go round-robin over pw_scale_0..9, of which the last MARIADB (3) are on the local
# MariaDB when DATABASES is 10. The script creates them and drops them at the end, however it ends.
#
# Observed applications and PgBouncers, in proportion: one application definition per 10 pools (the first matches
# one real session the script keeps open with application_name scale-app-1) and one PgBouncer definition per 50
# pools, all pointing at one Debian pgbouncer the script starts on PGBOUNCER_PORT (each definition keeps its own
# console connection, to PgBouncer, not to PostgreSQL).
#
# CPU of sampling: poolwatch is left without requests for IDLE seconds (IDLE / 5 s sampling intervals); the CPU time of
# the process (utime + stime of /proc/<pid>/stat) before and after, divided by the number of 5 s intervals. Without
# requests that is the @Scheduled jobs (the pool sampler every 5 s; the server, application, blocking samplers every
# 15 s; PgBouncer every 5 s; validation), with their GC and JIT: an upper bound of the pool sampler's own cost.
# (Summing /proc/<pid>/task/*/stat by thread name was tried: executor threads that end in the window take their
# ticks with them, so the sum can go down.) The pool sampler's own cost is measured exactly over the same window: the
# CPU time of its thread while it samples, which it exports as poolwatch_sampling_cpu_seconds_total, divided by the
# snapshots it took (poolwatch_sampling_snapshots_total, one per pool per interval): sampling_us_per_pool.
# Heap: `jcmd <pid> GC.run`, then the used heap of `jcmd <pid> GC.heap_info`. Render times: REQUESTS sequential
# requests with curl after WARM requests, p50 and p99 of curl's time_total (one at a time, so render time, not
# queueing). Connections: sessions of PostgreSQL's pg_stat_activity and MariaDB's processlist on the pw_scale_
# databases, the monitoring ones (application_name poolwatch-monitor; on MariaDB, every poolwatch session, as pools
# hold none) counted separately; the most seen during the run, checked against MAX_CONNECTIONS (19).
#
# Environment: POOLS ("4 25 100 400"), DATABASES ("1 10"), IDLE (s, 30), WARMUP (s, 20), REQUESTS (30), WARM (5),
# PORT (18300), PGBOUNCER_PORT (18399), PGBOUNCER_USER (whom PgBouncer runs as when the script runs as root: nobody),
# MARIADB (3), MAX_CONNECTIONS (19), OUT (target/bench/scale-curve.tsv), JAR.
set -euo pipefail
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need curl
need jq
need psql postgresql-client
need mysql mariadb-client
need pgbouncer
need jcmd openjdk-17-jdk-headless

POOLS="${POOLS:-4 25 100 400}"
DATABASES="${DATABASES:-1 10}"
IDLE="${IDLE:-30}"
WARMUP="${WARMUP:-20}"
REQUESTS="${REQUESTS:-30}"
WARM="${WARM:-5}"
export PORT="${PORT:-18300}"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-18399}"
MARIADB="${MARIADB:-3}"
MAX_CONNECTIONS="${MAX_CONNECTIONS:-19}"
OUT="${OUT:-${ROOT}/target/bench/scale-curve.tsv}"
ACCEPT="application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
INTERVAL_S=5
TICKS_PER_SECOND="$(getconf CLK_TCK)"
export PGOPTIONS="-c client_min_messages=warning"
PG=(psql -X -q -A -t -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1)
MY=(mysql -h 127.0.0.1 -P 3306 -u root -N -B)
WORK="$(mktemp -d)"
SESSION_PID=""

port_in_use 5432 || die "nothing answers on 127.0.0.1:5432: start PostgreSQL (user postgres, trust authentication)"
port_in_use 3306 || die "nothing answers on 127.0.0.1:3306: start MariaDB (root, empty password)"
port_in_use "$PGBOUNCER_PORT" && die "port ${PGBOUNCER_PORT} is in use: choose another with PGBOUNCER_PORT=..."

# The database of extra pool i (1-based) among n databases: pw_scale_<k>, on MariaDB for the last MARIADB of 10.
db_url() {
  local i="$1" n="$2" k
  k=$(((i - 1) % n))
  if [ "$n" -gt 1 ] && [ "$k" -ge $((n - MARIADB)) ]; then
    echo "mysql://root@127.0.0.1:3306/pw_scale_${k}"
  else
    echo "postgresql://postgres@127.0.0.1:5432/pw_scale_${k}"
  fi
}

cleanup() {
  [ -z "$SESSION_PID" ] || kill "$SESSION_PID" 2>/dev/null || true
  on_exit
  if [ -f "${WORK}/pgbouncer.pid" ]; then kill "$(cat "${WORK}/pgbouncer.pid")" 2>/dev/null || true; sleep 1; fi
  local k
  for k in $(seq 0 9); do
    "${PG[@]}" -c "DROP DATABASE IF EXISTS pw_scale_${k} WITH (FORCE)" >/dev/null 2>&1 || true
    "${MY[@]}" -e "DROP DATABASE IF EXISTS pw_scale_${k}" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

log "creating pw_scale_0..9 on PostgreSQL and pw_scale_$((10 - MARIADB))..9 on MariaDB"
for k in $(seq 0 9); do
  if [ "$k" -lt $((10 - MARIADB)) ]; then
    "${PG[@]}" -c "DROP DATABASE IF EXISTS pw_scale_${k} WITH (FORCE)" -c "CREATE DATABASE pw_scale_${k}" >/dev/null
  else
    "${MY[@]}" -e "DROP DATABASE IF EXISTS pw_scale_${k}; CREATE DATABASE pw_scale_${k}"
  fi
done

# PgBouncer in front of the PostgreSQL databases; poolwatch reads its console as stats user poolwatch.
cat >"${WORK}/userlist.txt" <<EOF
"poolwatch" ""
"postgres" ""
EOF
{
  echo "[databases]"
  for k in $(seq 0 $((10 - MARIADB - 1))); do echo "pw_scale_${k} = host=127.0.0.1 port=5432 dbname=pw_scale_${k}"; done
  cat <<EOF
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${PGBOUNCER_PORT}
unix_socket_dir =
auth_type = trust
auth_file = ${WORK}/userlist.txt
stats_users = poolwatch
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
logfile = ${WORK}/pgbouncer.log
pidfile = ${WORK}/pgbouncer.pid
EOF
} >"${WORK}/pgbouncer.ini"
# PgBouncer refuses to run as root: then it runs as PGBOUNCER_USER (nobody), which must read its files and write its log.
PGBOUNCER_AS=()
if [ "$(id -u)" -eq 0 ]; then
  PGBOUNCER_AS=(-u "${PGBOUNCER_USER:-nobody}")
  chmod 755 "$WORK"
  chown "${PGBOUNCER_USER:-nobody}" "$WORK"
fi
pgbouncer -d "${PGBOUNCER_AS[@]}" "${WORK}/pgbouncer.ini"
for _ in $(seq 1 50); do port_in_use "$PGBOUNCER_PORT" && break; sleep 0.1; done
port_in_use "$PGBOUNCER_PORT" || die "pgbouncer did not start (log ${WORK}/pgbouncer.log)"

# One real session for the first observed application to find.
"${PG[@]}" -d pw_scale_0 -c "SET application_name = 'scale-app-1'; SELECT pg_sleep(86400)" >/dev/null 2>&1 &
SESSION_PID=$!

# Sessions on the scale databases now: "<postgresql total> <postgresql monitoring> <mariadb total>".
connections() {
  local pg mon my
  pg="$("${PG[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'pw\_scale\_%' AND application_name LIKE 'poolwatch%'")"
  mon="$("${PG[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'pw\_scale\_%' AND application_name = 'poolwatch-monitor'")"
  my="$("${MY[@]}" -e "SELECT count(*) FROM information_schema.processlist WHERE db LIKE 'pw\\_scale\\_%' AND id <> connection_id()")"
  echo "$pg $mon $my"
}

MOST=0
watch_connections() {
  local c total
  read -r -a c <<<"$(connections)"
  total=$((c[0] + c[2]))
  [ "$total" -le "$MOST" ] || MOST="$total"
  [ "$total" -le "$MAX_CONNECTIONS" ] || die "poolwatch holds ${total} connections, more than ${MAX_CONNECTIONS}"
}

# "cpu_seconds snapshots" of the pool sampler so far, from its own meters.
sampler_totals() {
  curl -fsS --max-time "$HTTP_TIMEOUT" "${BASE}/q/metrics" \
    | awk '/^poolwatch_sampling_cpu_seconds_total / {c = $2} /^poolwatch_sampling_snapshots_total / {n = $2} END {print c, n}'
}

# CPU ticks of the whole process so far (utime + stime of /proc/<pid>/stat: every thread, those that ended included).
process_ticks() { awk '{print $14 + $15}' "/proc/${APP_PID}/stat"; }

# timings <path> [curl options]: "p50_ms p99_ms bytes" of REQUESTS sequential requests.
timings() {
  local path="$1"; shift
  local i
  for i in $(seq 1 "$WARM"); do curl -fsS -o /dev/null --max-time "$HTTP_TIMEOUT" "$@" "${BASE}${path}"; done
  for i in $(seq 1 "$REQUESTS"); do
    curl -fsS -o /dev/null --max-time "$HTTP_TIMEOUT" -w '%{time_total} %{size_download}\n' "$@" "${BASE}${path}"
  done | python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
t = sorted(float(r[0]) * 1000 for r in rows)
p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))]
print(f"{statistics.median(t):.2f} {p(0.99):.2f} {rows[-1][1]}")'
}

heap_kib() {
  jcmd "$APP_PID" GC.run >/dev/null
  jcmd "$APP_PID" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'
}

mkdir -p "$(dirname "$OUT")"
printf 'pools\tdatabases\tapplications\tpgbouncers\tload\tcpu_ms_per_interval\tsampling_us_per_pool\theap_kib\trss_kib\tscrape_bytes\tscrape_p50_ms\tscrape_p99_ms\toverview_p50_ms\toverview_p99_ms\tapi_p50_ms\tapi_p99_ms\tpg_connections\tpg_monitoring\tmariadb_connections\tmost_connections\n' >"$OUT"

run() {
  local pools="$1" dbs="$2" flags=() apps pgbs i name
  apps=$((pools / 10)); pgbs=$((pools / 50))
  flags+=(-Dpoolwatch.simulator.enabled=false -Dpoolwatch.consistency.demo-checks=false)
  # The standard pools keep one connection each instead of their built-in min-size, to stay within MAX_CONNECTIONS
  # with 10 monitoring connections.
  for name in main jobs analytics financial; do flags+=("-Dpoolwatch.pools.${name}.min-size=1"); done
  for i in $(seq 1 $((pools - 4))); do
    name="p$(printf '%03d' "$i")"
    flags+=("-Dpoolwatch.pools.${name}.url=$(db_url "$i" "$dbs")" "-Dpoolwatch.pools.${name}.min-size=0" "-Dpoolwatch.pools.${name}.max-size=2")
  done
  for i in $(seq 1 "$apps"); do
    flags+=("-Dpoolwatch.applications.\"scale-app-${i}\".application-name=scale-app-${i}" "-Dpoolwatch.applications.\"scale-app-${i}\".expected-max=10")
  done
  for i in $(seq 1 "$pgbs"); do
    flags+=("-Dpoolwatch.pgbouncer.\"edge-${i}\".url=postgresql://127.0.0.1:${PGBOUNCER_PORT}/pgbouncer" "-Dpoolwatch.pgbouncer.\"edge-${i}\".username=poolwatch")
  done
  MOST=0
  DATABASE_URL="postgresql://postgres@127.0.0.1:5432/pw_scale_0" start_app "scale-curve-${pools}-${dbs}" "${flags[@]}"
  local running
  running="$(api /api/v1/pools | jq length)"
  [ "$running" -eq "$pools" ] || die "expected ${pools} pools, poolwatch runs ${running}"
  log "${pools} pools on ${dbs} databases, ${apps} applications, ${pgbs} PgBouncers: warming up for ${WARMUP}s"
  for i in $(seq 1 "$WARMUP"); do sleep 1; [ $((i % 5)) -ne 0 ] || watch_connections; done
  local s0 s1 load proc sampler0 sampler1 sampling
  read -r -a sampler0 <<<"$(sampler_totals)"
  s0="$(process_ticks)"
  pause "$IDLE"
  s1="$(process_ticks)"
  read -r -a sampler1 <<<"$(sampler_totals)"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  proc="$(python3 -c "print(f'{($((s1 - s0))) * 1000 / $TICKS_PER_SECOND / ($IDLE / $INTERVAL_S):.1f}')")"
  sampling="$(python3 -c "print(f'{(${sampler1[0]} - ${sampler0[0]}) * 1e6 / max(1, ${sampler1[1]} - ${sampler0[1]}):.1f}')")"
  watch_connections
  local conns heap rss scrape overview pools_api
  read -r -a conns <<<"$(connections)"
  heap="$(heap_kib)"
  rss="$(awk '/^VmRSS/ {print $2}' "/proc/${APP_PID}/status")"
  read -r -a scrape <<<"$(timings /q/metrics -H "Accept: ${ACCEPT}")"
  watch_connections
  read -r -a overview <<<"$(timings /)"
  read -r -a pools_api <<<"$(timings /api/v1/pools)"
  watch_connections
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pools" "$dbs" "$apps" "$pgbs" "${load// /\/}" \
    "$proc" "$sampling" "$heap" "$rss" "${scrape[2]}" "${scrape[0]}" "${scrape[1]}" "${overview[0]}" "${overview[1]}" \
    "${pools_api[0]}" "${pools_api[1]}" "${conns[0]}" "${conns[1]}" "${conns[2]}" "$MOST" | tee -a "$OUT"
  stop_app
  log "stopped"
}

for dbs in $DATABASES; do
  for pools in $POOLS; do
    run "$pools" "$dbs"
  done
done
log "results in ${OUT}"
column -t -s $'\t' "$OUT"
