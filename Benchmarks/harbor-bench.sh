#!/bin/sh
# Harbor adapter under load (issue 20: 100 concurrent Harbor scans of the lab image, zero errors).
#
#   Benchmarks/harbor-bench.sh            (SCANS=100 REPLICAS=2 WORKERS=2 by default; VIGIL_BIN=path skips the build)
#
# Builds release, the WordPress lab image from the real Debian packages
# (scripts/fetch-unmanaged-fixtures.sh first), a database of the real NVD records, Debian's
# docker-registry with htpasswd auth on loopback (the image pushed by skopeo), a throwaway
# PostgreSQL and REPLICAS `vigil server` processes sharing one --secret-file. Then SCANS scan
# requests go out at once, spread over the replicas, and every report is polled until ready.
# Prints: errors (any answer but 202/302/200, or a report whose findings differ from the CLI's),
# the wall time for all scans and scans/s, against the baseline measured in the same run: one
# `vigil image --input` of the same archive, times SCANS (what the same work costs one CLI after
# another). Figures only, never asserted.
set -eu
cd "$(dirname "$0")/.."
SCANS=${SCANS:-100}
REPLICAS=${REPLICAS:-2}
WORKERS=${WORKERS:-2}
PKGS=.build/unmanaged-fixtures/pkgs
[ -f "$PKGS/wordpress.version" ] || { echo "harbor-bench: run scripts/fetch-unmanaged-fixtures.sh first" >&2; exit 1; }
for t in docker-registry skopeo htpasswd; do command -v $t >/dev/null || { echo "harbor-bench: $t missing (scripts/system-packages.sh)" >&2; exit 1; }; done
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -n "${VIGIL_BIN:-}" ]; then BIN=$VIGIL_BIN; else
    swift build -c release --product vigil >/dev/null
    BIN=$(swift build -c release --show-bin-path)/vigil
fi

WORK=$(mktemp -d /tmp/vigil-harbor-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS="runuser -u postgres --"; fi
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    $AS "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

python3 scripts/build-wordpress-lab-image.py "$PKGS" ../shared "$WORK/lab.tar" >/dev/null
"$BIN" db import --db "$WORK/vigil.db" ../shared/data/feeds/nvd/records >/dev/null 2>&1
"$BIN" image --input "$WORK/lab.tar" --db "$WORK/vigil.db" -f json --quiet >"$WORK/cli.json"
start=$(date +%s.%N)
"$BIN" image --input "$WORK/lab.tar" --db "$WORK/vigil.db" -f json --quiet >/dev/null
one=$(python3 -c "import time; print(time.time() - $start)")

REGPORT=$(free_port)
htpasswd -Bbc "$WORK/htpasswd" robot bench-password >/dev/null 2>&1
cat >"$WORK/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/registry}}
http: {addr: 127.0.0.1:$REGPORT}
auth: {htpasswd: {realm: bench, path: $WORK/htpasswd}}
YML
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
PIDS="$PIDS $!"
i=0; until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REGPORT/v2/")" = 401 ]; do i=$((i+1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done
skopeo copy -q --dest-tls-verify=false --dest-creds robot:bench-password "docker-archive:$WORK/lab.tar" "docker://127.0.0.1:$REGPORT/lab/wordpress:4.6.1"
DIGEST=$(skopeo inspect --raw --tls-verify=false --creds robot:bench-password "docker://127.0.0.1:$REGPORT/lab/wordpress:4.6.1" | skopeo manifest-digest /dev/stdin)

PGPORT=$(free_port)
$AS "$PGBIN/initdb" -D "$WORK/data" -A trust -U vigil -E UTF8 >/dev/null
$AS "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
export VIGIL_POSTGRES="postgres://vigil@127.0.0.1:$PGPORT/postgres"
TOKEN=$("$BIN" server token create --scope scan --tenant bench)
head -c 32 /dev/urandom >"$WORK/secret"
URLS=""
n=0
while [ $n -lt "$REPLICAS" ]; do
    PORT=$(free_port)
    "$BIN" server --listen "127.0.0.1:$PORT" --db "$WORK/vigil.db" --scan-workers "$WORKERS" --insecure-registries "127.0.0.1:$REGPORT" \
        --cache-dir "$WORK/cache$n" --secret-file "$WORK/secret" >"$WORK/server$n.log" 2>&1 &
    PIDS="$PIDS $!"
    i=0; until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do i=$((i+1)); [ $i -lt 200 ] || { cat "$WORK/server$n.log"; exit 1; }; sleep 0.1; done
    URLS="$URLS http://127.0.0.1:$PORT"
    n=$((n + 1))
done

python3 - "$SCANS" "$TOKEN" "$DIGEST" "127.0.0.1:$REGPORT" "$WORK/cli.json" "$one" $URLS <<'PY'
import base64, http.client, json, sys, threading, time, urllib.parse
scans, token, digest, registry, cli_path, one = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6])
urls = sys.argv[7:]
def findings(report):
    return {(v["VulnerabilityID"], v["PkgName"], v["InstalledVersion"]) for r in report.get("Results", []) for v in r.get("Vulnerabilities") or []}
expected = findings(json.load(open(cli_path)))
auth = "Basic " + base64.b64encode(b"robot:bench-password").decode()
body = json.dumps({"registry": {"url": "http://" + registry, "authorization": auth},
                   "artifact": {"repository": "lab/wordpress", "digest": digest, "tag": "4.6.1",
                                "mime_type": "application/vnd.docker.distribution.manifest.v2+json"}})
errors = []
lock = threading.Lock()
def request(url, method, path, payload=None, accept=None):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    headers = {"Authorization": "Bearer " + token}
    if payload: headers["Content-Type"] = "application/vnd.scanner.adapter.scan.request+json; version=1.1"
    if accept: headers["Accept"] = accept
    c.request(method, path, body=payload, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data
def one_scan(i):
    url = urls[i % len(urls)]
    try:
        status, data = request(url, "POST", "/api/v1/scan", body)
        if status != 202:
            raise RuntimeError(f"POST {status} {data[:200]!r}")
        sid = json.loads(data)["id"]
        while True:
            status, data = request(urls[(i + 1) % len(urls)], "GET", f"/api/v1/scan/{sid}/report", accept="application/vnd.scanner.adapter.vuln.report.raw")
            if status == 302:
                time.sleep(0.5); continue
            if status != 200:
                raise RuntimeError(f"report {status} {data[:200]!r}")
            if findings(json.loads(data)) != expected:
                raise RuntimeError("report differs from the CLI scan")
            return
    except Exception as e:  # noqa: BLE001
        with lock: errors.append(f"scan {i}: {e}")
start = time.time()
threads = [threading.Thread(target=one_scan, args=(i,)) for i in range(scans)]
for t in threads: t.start()
for t in threads: t.join()
wall = time.time() - start
print(f"harbor-bench: {scans} concurrent scans over {len(urls)} replicas: {len(errors)} errors, {wall:.1f} s, {scans / wall:.2f} scans/s")
print(f"harbor-bench: baseline, one vigil image --input of the same archive: {one:.2f} s; x{scans} = {one * scans:.1f} s; ratio {wall / (one * scans):.2f}")
for e in errors[:10]: print("  " + e)
PY
