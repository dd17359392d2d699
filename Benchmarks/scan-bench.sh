#!/usr/bin/env bash
# Scan speed and peak memory against baselines run in the same script:
#   - alpine docker-archive (tar.gz): vigil scan vs `gzip -dc` of the same archive
#   - ~200 MB Debian image (built with ../shared/lab scripts 01 + 02):
#       OCI layout (gzip layers): vigil scan vs `gzip -dc` of the layer blobs
#       docker-archive (plain tar): vigil scan vs `sha256sum` of the archive (the diff-ID hashing floor)
# Prints best-of-N wall time, the ratio to the baseline and vigil's peak RSS. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
LAB="${LAB:-/tmp/lab}"
RUNS="${RUNS:-5}"
VIGIL="${VIGIL:-.build/release/vigil}"
[ -x "$VIGIL" ] || swift build -c release --product vigil
export VIGIL_DB="${VIGIL_DB:-/tmp/vigil-bench.db}"
[ -f "$VIGIL_DB" ] || "$VIGIL" db import "$SHARED/data/feeds/alpine-secdb" "$SHARED/data/feeds/debian-tracker" "$SHARED/data/feeds/ubuntu/osv" >/dev/null

if [ ! -f "$LAB/images/docker-archive.tar" ] || [ ! -d "$LAB/images/oci-layout" ]; then
    echo "building the Debian image with the lab recipes (debootstrap, podman, skopeo)…"
    LAB="$LAB" bash "$SHARED/lab/scripts/01-containers.sh" >/dev/null
    LAB="$LAB" bash "$SHARED/lab/scripts/02-image-formats.sh" >/dev/null || true
fi

# best wall time of $RUNS runs of a command, in seconds
best() {
    local best=999999 t0 t1 t
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
    done
    printf "%.4f" "$best"
}
peak_kb() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
row() { # name vigil_s baseline_s baseline_name rss_kb size
    printf "%-34s vigil %7.3f s   %-22s %7.3f s   ratio %5.2f   peak RSS %6.1f MiB   input %s\n" \
        "$1" "$2" "$4" "$3" "$(echo "$2 / $3" | bc -l)" "$(echo "$5 / 1024" | bc -l)" "$6"
}

ALPINE="$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz"
v=$(best "$VIGIL" image --input "$ALPINE" -f json -o /dev/null --quiet)
b=$(best sh -c "gzip -dc '$ALPINE' > /dev/null")
row "alpine 3.10 docker-archive.tar.gz" "$v" "$b" "gzip -dc archive" "$(peak_kb "$VIGIL" image --input "$ALPINE" -f json -o /dev/null --quiet)" "$(du -h "$ALPINE" | cut -f1)"

OCI="$LAB/images/oci-layout"
if [ -d "$OCI" ]; then
    layers=$(python3 -c "
import json,sys
idx=json.load(open('$OCI/index.json')); m=idx['manifests'][0]['digest'].split(':')[1]
man=json.load(open('$OCI/blobs/sha256/'+m)); print(' '.join('$OCI/blobs/sha256/'+l['digest'].split(':')[1] for l in man['layers']))")
    v=$(best "$VIGIL" image --input "$OCI" -f json -o /dev/null --quiet)
    b=$(best sh -c "gzip -dc $layers > /dev/null")
    row "debian bookworm OCI layout (gzip)" "$v" "$b" "gzip -dc layers" "$(peak_kb "$VIGIL" image --input "$OCI" -f json -o /dev/null --quiet)" "$(du -sh "$OCI" | cut -f1)"
fi
DA="$LAB/images/docker-archive.tar"
if [ -f "$DA" ]; then
    v=$(best "$VIGIL" image --input "$DA" -f json -o /dev/null --quiet)
    b=$(best sha256sum "$DA")
    row "debian bookworm docker-archive" "$v" "$b" "sha256sum archive" "$(peak_kb "$VIGIL" image --input "$DA" -f json -o /dev/null --quiet)" "$(du -h "$DA" | cut -f1)"
    gz=/tmp/vigil-bench-docker-archive.tar.gz
    [ -f "$gz" ] || gzip -1 -c "$DA" > "$gz"
    v=$(best "$VIGIL" image --input "$gz" -f json -o /dev/null --quiet)
    b=$(best sh -c "gzip -dc '$gz' > /dev/null")
    row "debian bookworm docker-archive.gz" "$v" "$b" "gzip -dc archive" "$(peak_kb "$VIGIL" image --input "$gz" -f json -o /dev/null --quiet)" "$(du -h "$gz" | cut -f1)"
fi
