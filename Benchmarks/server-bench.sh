#!/bin/sh
# Alert ingestion throughput and latency of `vigil server` (issue 20's load acceptance: >= 5,000
# alerts/s sustained with p99 < 50 ms on a 2-core machine).
#
#   Benchmarks/server-bench.sh            (DURATION=15 CONNECTIONS=32 BATCH=100 by default; VIGIL_BIN=path skips the build)
#
# Builds release, starts a throwaway PostgreSQL cluster on loopback (Debian's postgresql, default
# durability settings: fsync and synchronous_commit on), the server, a token, then drives wrk
# (Benchmarks/server-bench.lua) for DURATION seconds per workload:
#   baseline 1  GET /healthz             the HTTP stack alone (no database): the ceiling for requests/s
#   baseline 2  pgbench, the server's own INSERT … SELECT FROM unnest(…) of BATCH rows per
#               transaction, CONNECTIONS/8 clients: the ceiling PostgreSQL itself gives for batched
#               alerts on this machine, without HTTP, JSON or the server
#   1. single   one alert per request with a unique X-Vigil-Alert-ID (what `vigil watch --webhook` sends)
#   2. falco    one Falco alert per request to / (Falco's http_output, falcosidekick)
#   3. batch    BATCH alerts per request as NDJSON
# and prints alerts/s, p50/p99 latency and the ratio to the baselines. Everything shares the two
# cores (wrk, the server, PostgreSQL), as on a single small node. Figures only, never asserted;
# the rows stored are counted against the 2xx answers so a fast wrong run shows.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
BATCH=${BATCH:-100}
# Batches hold BATCH alerts each in flight: with 32 connections that is 3,200 alerts queued at
# once, whose latency is their count over the throughput (Little's law) whatever the server
# does. A node sends its batches over one connection; 4 stand for 4 nodes.
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-4}
command -v wrk >/dev/null || { echo "server-bench: wrk not installed (apt-get install wrk)" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "server-bench: pgbench not installed (apt-get install postgresql)" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -n "${VIGIL_BIN:-}" ]; then BIN=$VIGIL_BIN; else   # VIGIL_BIN: an already built binary (skips the build)
    swift build -c release --product vigil >/dev/null
    BIN=$(swift build -c release --show-bin-path)/vigil
fi

WORK=$(mktemp -d /tmp/vigil-server-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS="runuser -u postgres --"; fi
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    $AS "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
$AS "$PGBIN/initdb" -D "$WORK/data" -A trust -U vigil -E UTF8 >/dev/null
$AS "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w \
    -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
export VIGIL_POSTGRES="postgres://vigil@127.0.0.1:$PGPORT/postgres"
TOKEN=$("$BIN" server token create --scope ingest --tenant bench)
PORT=$(free_port)
"$BIN" server --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
i=0
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$WORK/server.log"; exit 1; }; sleep 0.1
done
psql_q() { psql -qtAX -h 127.0.0.1 -p "$PGPORT" -U vigil postgres -c "$1"; }
echo "vigil server bench: $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s (batches: -c$BATCH_CONNECTIONS), batch $BATCH, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"

# wrk_run NAME ALERTS_PER_REQUEST [wrk args…] -> prints a line, sets RPS and P99MS
wrk_run() {
    name=$1; per=$2; shift 2
    wrk -t2 -c"${WRK_CONNECTIONS:-$CONNECTIONS}" -d"${DURATION}s" --latency "$@" >"$WORK/wrk.out" 2>&1 || { cat "$WORK/wrk.out"; exit 1; }
    python3 - "$name" "$per" "$WORK/wrk.out" <<'PY' >"$WORK/line"
import re, sys
name, per, text = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read()
def ms(v):
    n, u = float(re.match(r"([\d.]+)", v).group(1)), re.search(r"(us|ms|s)$", v).group(1)
    return n / 1000 if u == "us" else n * 1000 if u == "s" else n
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
reqs = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
bad = int(bad.group(1)) if bad else 0
errs = re.search(r"Socket errors: (.*)", text)
p50 = ms(re.search(r"50%\s+(\S+)", text).group(1)); p99 = ms(re.search(r"99%\s+(\S+)", text).group(1))
print("\t".join([name, f"{rps:.1f}", f"{rps*per:.0f}", f"{p50:.2f}", f"{p99:.2f}", str(reqs - bad), str(bad),
                 "socket errors: " + errs.group(1) if errs else ""]))
PY
    cat "$WORK/line"
}
report() {  # fields: name req/s alerts/s p50 p99 ok bad extra (tab-separated)
    awk -F'\t' '{ printf "  %-34s %9s req/s %9s alerts/s   p50 %7s ms   p99 %7s ms   non-2xx %s %s\n", $1, $2, $3, $4, $5, $7, $8 }' "$WORK/line"
}
field() { awk -F'\t' -v n="$1" '{ print $n }' "$WORK/line"; }
stored() { psql_q "SELECT count(*) FROM alerts WHERE tenant = 'bench'"; }

echo "baselines:"
wrk_run "healthz (HTTP only)" 0 "http://127.0.0.1:$PORT/healthz" >/dev/null; report
HEALTHZ_RPS=$(field 2)
# baseline 2: the server's statement, straight into PostgreSQL
python3 - "$BATCH" >"$WORK/insert.sql" <<'PY'
import sys
n = int(sys.argv[1])
body = '{"output":"x","priority":"Notice","rule":"Terminal shell in container","time":"2026-12-06T16:34:15.123456789Z","output_fields":{"container.id":"c1","container.image.repository":"docker.io/library/alpine","proc.name":"sh"},"hostname":"bench-node","tags":["container"]}'
arr = lambda v: "ARRAY[" + ",".join([v] * n) + "]"
print("WITH ins AS (INSERT INTO alerts (tenant, node, container_id, image, rule, priority, time, dedup_key, body) "
      "SELECT t, n, c, NULLIF(i, ''), r, p, timestamptz 'epoch' + m * interval '1 microsecond', NULLIF(k, ''), b::jsonb "
      f"FROM unnest({arr(repr('pgbench'))}::text[], {arr(repr('bench-node'))}::text[], {arr(repr('c1'))}::text[], "
      f"{arr(repr('docker.io/library/alpine:3.19'))}::text[], {arr(repr('Terminal shell in container'))}::text[], "
      f"{arr(repr('Notice'))}::text[], {arr('1796574855123456')}::int8[], {arr(repr(''))}::text[], {arr(repr(body))}::text[]) "
      "AS u(t, n, c, i, r, p, m, k, b) ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM ins;")
PY
CLIENTS=$(( CONNECTIONS / 8 )); [ "$CLIENTS" -ge 1 ] || CLIENTS=1
pgbench -n -h 127.0.0.1 -p "$PGPORT" -U vigil -c "$CLIENTS" -j 2 -T "$DURATION" -f "$WORK/insert.sql" postgres >"$WORK/pgbench.out" 2>&1 \
    || { cat "$WORK/pgbench.out"; exit 1; }
TPS=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench.out" | head -1)
PGLAT=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$WORK/pgbench.out")
DB_ALERTS=$(python3 -c "print(f'{$TPS * $BATCH:.0f}')")
printf '  %-34s %9s tx/s  %9s alerts/s   avg %7s ms   (%s clients, %s rows per INSERT)\n' "pgbench, direct batched INSERT" "$TPS" "$DB_ALERTS" "$PGLAT" "$CLIENTS" "$BATCH"

echo "server:"
before=$(stored)
MODE=single TOKEN=$TOKEN wrk_run "single alerts, X-Vigil-Alert-ID" 1 -s Benchmarks/server-bench.lua "http://127.0.0.1:$PORT" >/dev/null; report
SINGLE=$(field 3); SINGLE_OK=$(field 6); SINGLE_P99=$(field 5)
after=$(stored); echo "    stored $((after - before)) rows for $SINGLE_OK 2xx answers (requests in flight when wrk stops are stored too)"
before=$after
MODE=falco TOKEN=$TOKEN wrk_run "Falco alerts to /" 1 -s Benchmarks/server-bench.lua "http://127.0.0.1:$PORT" >/dev/null; report
after=$(stored); echo "    stored $((after - before)) rows for $(field 6) 2xx answers"
before=$after
MODE=batch BATCH=$BATCH TOKEN=$TOKEN WRK_CONNECTIONS=$BATCH_CONNECTIONS wrk_run "NDJSON batches of $BATCH, $BATCH_CONNECTIONS conns" "$BATCH" -s Benchmarks/server-bench.lua "http://127.0.0.1:$PORT" >/dev/null; report
BATCHED=$(field 3); BATCH_P99=$(field 5)
after=$(stored); echo "    stored $((after - before)) rows for $(field 6) 2xx answers x $BATCH"
python3 - <<PY
single, batched, db, hz = float("$SINGLE"), float("$BATCHED"), float("$DB_ALERTS"), float("$HEALTHZ_RPS")
print(f"ratios: single alerts/s = {single/hz:.2f} x healthz req/s, {single/db:.2f} x direct INSERT alerts/s; "
      f"batched = {batched/db:.2f} x direct INSERT alerts/s")
print(f"target (>= 5000 alerts/s, p99 < 50 ms): single {single:.0f}/s p99 $SINGLE_P99 ms; batched {batched:.0f}/s p99 $BATCH_P99 ms")
PY
