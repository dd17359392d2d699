#!/usr/bin/env bash
# Load: a container opening files as fast as it can for SECONDS (≥ 100k events/s) while `vigil watch`
# runs; reports events/s, kernel ring-buffer drops (exact, per-CPU counters summed), whether every
# kernel record was consumed, and vigil's RSS every 5 s (it must stay flat and vigil must not crash).
# --all-opens: every open reaches user space (by default the kernel drops reads no rule can match,
# which would leave this loop's /etc/hostname reads in the kernel and user space idle).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=${VIGIL:-$ROOT/.build/release/vigil}
SECONDS_LOAD=${SECONDS_LOAD:-30}
IMAGE=${VIGIL_TEST_IMAGE:-localhost/vigil-test/bookworm:minbase}
OUT="$ROOT/.build/bench"; mkdir -p "$OUT"
[ -x "$VIGIL" ] || (cd "$ROOT" && swift build -c release --product vigil >/dev/null)
[ -f "$(dirname "$VIGIL")/vigil.bpf.o" ] || bash "$ROOT/scripts/build-bpf.sh" "$(dirname "$VIGIL")" >/dev/null
command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc libc6-dev >/dev/null; }
gcc -O2 -static -o "$OUT/openloop" "$ROOT/Benchmarks/openloop.c"
CTR=vigil-load-$$
podman rm -f -t0 "$CTR" >/dev/null 2>&1 || true
podman run -d --name "$CTR" --network=none -v "$OUT:/bench:ro" "$IMAGE" sleep infinity >/dev/null
trap 'podman rm -f -t0 "$CTR" >/dev/null 2>&1 || true' EXIT

"$VIGIL" watch -o /dev/null --all-opens --stats 5 2>"$OUT/load.err" & WP=$!
for _ in $(seq 100); do grep -q watching "$OUT/load.err" 2>/dev/null && break; sleep 0.05; done
podman exec "$CTR" timeout "$SECONDS_LOAD" /bench/openloop 1000000000000 >/dev/null 2>&1 &
LP=$!
for t in $(seq 5 5 "$SECONDS_LOAD"); do
    sleep 5
    kill -0 "$WP" 2>/dev/null || { echo "FAIL: vigil watch died"; cat "$OUT/load.err"; exit 1; }
    echo "t=${t}s vigil RSS $(ps -o rss= -p "$WP" | tr -d ' ') KiB"
done
wait "$LP" || true
sleep 1
kill -INT "$WP"; wait "$WP"; status=$?
grep "stats:" "$OUT/load.err"
echo "vigil watch exit status $status"
