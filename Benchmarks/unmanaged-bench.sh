#!/usr/bin/env bash
# Cost of the unmanaged-software analyzer (WordPress + binary classifier + package file lists) on
# the Debian lab image: the same release `vigil` scans the same docker-archive with the analyzer
# (B) and without it (A: VIGIL_SKIP_ANALYZERS=unmanaged), interleaved A B A B … so machine noise
# hits both alike. Prints best and median of each and their ratios. Not a test.
#
# The archive is made from the root filesystem scripts/container-lab.sh debootstraps
# ($VIGIL_LAB_DIR/rootfs, default /var/tmp/vigil-lab/rootfs) as a one-layer docker-archive.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
LAB_DIR="${VIGIL_LAB_DIR:-/var/tmp/vigil-lab}"
RUNS="${RUNS:-11}"
VIGIL="${VIGIL:-.build/release/vigil}"
[ -x "$VIGIL" ] || swift build -c release --product vigil
[ -d "$LAB_DIR/rootfs/var/lib/dpkg" ] || { echo "no lab root filesystem at $LAB_DIR/rootfs: run scripts/container-lab.sh" >&2; exit 1; }
ARCHIVE="${ARCHIVE:-/tmp/vigil-unmanaged-bench-debian.tar}"
if [ ! -f "$ARCHIVE" ]; then
  python3 - "$LAB_DIR/rootfs" "$ARCHIVE" <<'PY'
import hashlib, io, json, os, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
layer = out + ".layer"
with tarfile.open(layer, "w", format=tarfile.GNU_FORMAT) as t:
    for name in sorted(os.listdir(root)):
        t.add(os.path.join(root, name), arcname=name)
diff = hashlib.sha256(open(layer, "rb").read()).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]}}).encode()
with tarfile.open(out, "w") as t:
    def add(name, data):
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
    add("config.json", config)
    t.add(layer, arcname=diff + "/layer.tar")
    add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["vigil-lab/debian:minbase"], "Layers": [diff + "/layer.tar"]}]).encode())
os.remove(layer)
PY
fi
export VIGIL_DB="${VIGIL_DB:-/tmp/vigil-unmanaged-bench.db}"
[ -f "$VIGIL_DB" ] || "$VIGIL" db import "$SHARED/data/feeds/debian-tracker" "$SHARED/data/feeds/nvd" >/dev/null

run() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
a=(); b=()
for _ in $(seq "$RUNS"); do
  a+=("$(run env VIGIL_SKIP_ANALYZERS=unmanaged "$VIGIL" image --input "$ARCHIVE" -f json -o /dev/null --quiet)")
  b+=("$(run "$VIGIL" image --input "$ARCHIVE" -f json -o /dev/null --quiet)")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d %d", v[1], v[int((NR+1)/2)]}'; }
read -r a_best a_med <<<"$(stats "${a[@]}")"
read -r b_best b_med <<<"$(stats "${b[@]}")"
printf "input: %s (%s), %d interleaved runs each\n" "$ARCHIVE" "$(du -h "$ARCHIVE" | cut -f1)" "$RUNS"
printf "A without unmanaged analyzer: best %.3f s  median %.3f s\n" "$(echo "$a_best / 1000000" | bc -l)" "$(echo "$a_med / 1000000" | bc -l)"
printf "B with unmanaged analyzer:    best %.3f s  median %.3f s\n" "$(echo "$b_best / 1000000" | bc -l)" "$(echo "$b_med / 1000000" | bc -l)"
printf "ratio B/A: best %.3f  median %.3f\n" "$(echo "$b_best / $a_best" | bc -l)" "$(echo "$b_med / $a_med" | bc -l)"
