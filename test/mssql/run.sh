#!/usr/bin/env bash
# Runs pcmig's SQL Server tests against real servers: SQL Server 2019 and
# 2022 (and, on request, 2017) in Docker containers (compose.yml), each with
# three scratch databases (the default Latin1 collation, a case-sensitive
# one and a UTF-8 one; 2017 has no UTF-8 collations, so two there). For each database it runs exactly what `go test ./store` runs with
# PCMIG_TEST_MSSQL_DSN set: the conformance suite (store/storetest) on
# plain and IDENTITY IDs, as a db_datareader + db_datawriter login and with
# the server's user options set to NOCOUNT, the doctor, pcmig's session
# options, a lock timeout and a deadlock victim run again, and an end-to-end
# migration of a lab estate into SQL Server with the bundled migrate.lua.
#
#   test/mssql/run.sh                       # both servers
#   PCMIG_MSSQL_SERVERS=sql2022 test/mssql/run.sh
#   PCMIG_MSSQL_SERVERS="sql2017 sql2019" test/mssql/run.sh   # 2017: the nearest to 2016 that runs in Docker
#   PCMIG_MSSQL_KEEP=1 test/mssql/run.sh    # leave the containers running
#
# Needs Docker with the compose plugin, and Go. Nothing here has been run
# on the machines pcmig is developed on (they have no Docker engine).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${PCMIG_SA_PASSWORD:-}" ]; then
  PCMIG_SA_PASSWORD="Pcmig_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')_Aa1"
fi
export PCMIG_SA_PASSWORD
servers="${PCMIG_MSSQL_SERVERS:-sql2019 sql2022}"
for server in $servers; do
  case "$server" in
    sql2017 | sql2019 | sql2022) ;;
    *) echo "PCMIG_MSSQL_SERVERS: unknown server $server (want sql2017, sql2019 or sql2022)" >&2; exit 2 ;;
  esac
done
compose=(docker compose -f test/mssql/compose.yml -p pcmig-mssql)

if [ "${PCMIG_MSSQL_KEEP:-}" != "1" ]; then
  trap '"${compose[@]}" down -v >/dev/null 2>&1 || true' EXIT
fi
# shellcheck disable=SC2086
"${compose[@]}" up -d $servers

port() {
  case "$1" in
    sql2017) echo "${PCMIG_SQL2017_PORT:-14317}" ;;
    sql2019) echo "${PCMIG_SQL2019_PORT:-14319}" ;;
    sql2022) echo "${PCMIG_SQL2022_PORT:-14322}" ;;
  esac
}

# The containers' certificate is the self-signed one SQL Server makes at
# start-up: the tests trust it (TrustServerCertificate), which is fine for a
# throw-away local container and nowhere else.
tls="encrypt=true&TrustServerCertificate=true"
logs="${PCMIG_MSSQL_LOGS:-$(mktemp -d)}"
status=0
for server in $servers; do
  base="sqlserver://sa:${PCMIG_SA_PASSWORD}@127.0.0.1:$(port "$server")"
  specs="pcmigtest:SQL_Latin1_General_CP1_CI_AS pcmigtest_cs:Latin1_General_CS_AS"
  if [ "$server" != sql2017 ]; then # UTF-8 collations came with SQL Server 2019
    specs="$specs pcmigtest_utf8:Latin1_General_100_CI_AS_SC_UTF8"
  fi
  for spec in $specs; do
    db="${spec%%:*}"
    collation="${spec#*:}"
    log="$logs/$server-$db.log"
    echo "== $server, database $db ($collation): go test ./store (log: $log)"
    if ! go run ./test/mssql/mkdb --dsn "$base?$tls" --db "$db" --collation "$collation"; then
      # A server that never accepted a login (a container that exited at
      # start-up) fails this server's databases, not the whole run: its log
      # says why, and the next server is still tried.
      status=1
      echo "   FAILED: $server did not accept a login or could not create $db; the container's last lines:"
      "${compose[@]}" ps -a "$server" || true
      "${compose[@]}" logs --no-color --tail 40 "$server" || true
      break
    fi
    if PCMIG_TEST_MSSQL_DSN="$base?database=$db&$tls" PCMIG_TEST_MSSQL_SERVER_CONFIG=1 \
        go test ./store -count=1 -v -timeout 30m >"$log" 2>&1; then
      echo "   ok"
    else
      status=1
      grep -E -- '--- (FAIL|SKIP)' "$log" || true
    fi
    grep -E -- '--- SKIP: Test.*SQLServer' "$log" || true
  done
done
if [ "$status" -ne 0 ]; then
  echo "FAILED: the logs are in $logs"
else
  echo "all SQL Server tests passed; the logs are in $logs"
fi
exit "$status"
