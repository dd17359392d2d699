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

# wall and CPU (user+sys) microseconds of one run; CPU time is steadier on a shared machine
run() {
  local out=/tmp/vigil-unmanaged-bench.time
  /usr/bin/time -o "$out" -f "%e %U %S" "$@" >/dev/null 2>&1
  tail -1 "$out" | awk '{printf "%d %d\n", $1 * 1000000, ($2 + $3) * 1000000}'
}
aw=(); ac=(); bw=(); bc=()
for _ in $(seq "$RUNS"); do
  read -r w c <<<"$(run env VIGIL_SKIP_ANALYZERS=unmanaged "$VIGIL" image --input "$ARCHIVE" -f json -o /dev/null --quiet)"; aw+=("$w"); ac+=("$c")
  read -r w c <<<"$(run "$VIGIL" image --input "$ARCHIVE" -f json -o /dev/null --quiet)"; bw+=("$w"); bc+=("$c")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d %d", v[1], v[int((NR+1)/2)]}'; }
s() { echo "$1 / 1000000" | bc -l; }
printf "input: %s (%s), %d interleaved runs each\n" "$ARCHIVE" "$(du -h "$ARCHIVE" | cut -f1)" "$RUNS"
for kind in wall cpu; do
  if [ $kind = wall ]; then read -r a1 a2 <<<"$(stats "${aw[@]}")"; read -r b1 b2 <<<"$(stats "${bw[@]}")"
  else read -r a1 a2 <<<"$(stats "${ac[@]}")"; read -r b1 b2 <<<"$(stats "${bc[@]}")"; fi
  printf "%-4s A without unmanaged analyzer: best %.3f s  median %.3f s | B with: best %.3f s  median %.3f s | B/A best %.3f  median %.3f\n" \
    $kind "$(s $a1)" "$(s $a2)" "$(s $b1)" "$(s $b2)" "$(echo "$b1 / $a1" | bc -l)" "$(echo "$b2 / $a2" | bc -l)"
done
