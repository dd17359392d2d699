#!/usr/bin/env bash
# Overhead of `vigil watch` (default mode: containers only) on a syscall-heavy loop: ITER openat+close
# on the host and inside a podman container, with and without the sensor. Each sample is the fastest
# of REPS back-to-back loops (filters the VM's slow phases); N samples per mode, modes interleaved so
# machine noise hits all of them; reported: the ratio of medians and the median of the paired
# ratios (each with-sensor sample over the sample just before it). Targets (issue 6): ≤ 1.10× host,
# ≤ 1.3× container.
# Needs root, podman and the image scripts/container-lab.sh builds. Usage: Benchmarks/sensor-overhead.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=${VIGIL:-$ROOT/.build/release/vigil}
N=${N:-7}; ITER=${ITER:-200000}; REPS=${REPS:-5}
IMAGE=${VIGIL_TEST_IMAGE:-localhost/vigil-test/bookworm:minbase}
OUT="$ROOT/.build/bench"; mkdir -p "$OUT"
[ -x "$VIGIL" ] || (cd "$ROOT" && swift build -c release --product vigil >/dev/null)
[ -f "$(dirname "$VIGIL")/vigil.bpf.o" ] || bash "$ROOT/scripts/build-bpf.sh" "$(dirname "$VIGIL")" >/dev/null
command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc libc6-dev >/dev/null; }
gcc -O2 -static -o "$OUT/openloop" "$ROOT/Benchmarks/openloop.c"

CTR=vigil-overhead-$$
podman rm -f -t0 "$CTR" >/dev/null 2>&1 || true
podman run -d --name "$CTR" --network=none -v "$OUT:/bench:ro" "$IMAGE" sleep infinity >/dev/null
trap 'podman rm -f -t0 "$CTR" >/dev/null 2>&1 || true' EXIT

start_watch() {
    "$VIGIL" watch -o /dev/null ${WATCH_ARGS:-} 2>"$OUT/watch.err" & WP=$!
    for _ in $(seq 100); do grep -q watching "$OUT/watch.err" 2>/dev/null && return; sleep 0.05; done
    echo "vigil watch did not start: $(cat "$OUT/watch.err")" >&2; exit 1
}
stop_watch() { kill -INT "$WP"; wait "$WP" || true; grep "stats:" "$OUT/watch.err" | tail -1 >> "$OUT/watch.stats"; }
loop() { if [ "$1" = host ]; then "$OUT/openloop" "$ITER" /etc/hostname "$REPS"; else podman exec "$CTR" /bench/openloop "$ITER" /etc/hostname "$REPS"; fi; }

declare -A R
: > "$OUT/watch.stats"
for i in $(seq "$N"); do
    for where in host ctr; do
        R[$where-none]+="$(loop $where) "
        start_watch; R[$where-vigil]+="$(loop $where) "; stop_watch
    done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
for k in host-none host-vigil ctr-none ctr-vigil; do echo "$k: ${R[$k]}"; done
paired() { # median of with/without ratios taken side by side
    paste <(echo "$1" | tr ' ' '\n' | grep .) <(echo "$2" | tr ' ' '\n' | grep .) | awk '{print $2/$1}' | med
}
hp=$(paired "${R[host-none]}" "${R[host-vigil]}"); cp_=$(paired "${R[ctr-none]}" "${R[ctr-vigil]}")
hn=$(echo "${R[host-none]}" | med); hv=$(echo "${R[host-vigil]}" | med)
cn=$(echo "${R[ctr-none]}" | med); cv=$(echo "${R[ctr-vigil]}" | med)
echo "sensor stats per run (last is the final container run):"; tail -2 "$OUT/watch.stats"
awk -v hn="$hn" -v hv="$hv" -v cn="$cn" -v cv="$cv" -v n="$ITER" -v hp="$hp" -v cp="$cp_" 'BEGIN{
  printf "median seconds for %d openat+close: host %.4f -> %.4f with vigil watch, container %.4f -> %.4f\n", n, hn, hv, cn, cv
  printf "slowdown: host x%.3f (+%.0f ns/op, target <= 1.10), container x%.3f (+%.0f ns/op, target <= 1.30)\n", hv/hn, (hv-hn)*1e9/n, cv/cn, (cv-cn)*1e9/n
  printf "median of paired ratios: host x%.3f, container x%.3f\n", hp, cp }'
