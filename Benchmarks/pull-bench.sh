#!/usr/bin/env bash
# Cold pull+scan and warm re-scan of the ~200 MB Debian image from a registry on loopback, against
# `skopeo copy` of the same image to an OCI directory. Needs the lab registry
# (../shared/lab/scripts/01-containers.sh and 02-image-formats.sh: 127.0.0.1:5000/lab/bookworm:minbase).
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL="${VIGIL:-.build/release/vigil}"
REF="${REF:-127.0.0.1:5000/lab/bookworm:minbase}"
DB="${VIGIL_DB:-/tmp/vigil-bench.db}"
[ -x "$VIGIL" ] || swift build -c release --product vigil
curl -sf "http://${REF%%/*}/v2/" >/dev/null || { echo "no registry at ${REF%%/*}: run the lab scripts first"; exit 1; }
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
cache=$(mktemp -d); oci=$(mktemp -d)
cold=$(XDG_CACHE_HOME=$cache t "$VIGIL" image --insecure "$REF" --db "$DB" -f json -o /dev/null --quiet)
warm=$(XDG_CACHE_HOME=$cache t "$VIGIL" image --insecure "$REF" --db "$DB" -f json -o /dev/null --quiet)
skopeo_s=$(t skopeo copy -q --src-tls-verify=false "docker://$REF" "oci:$oci/layout:x")
rss=$(XDG_CACHE_HOME=$(mktemp -d) /usr/bin/time -f %M "$VIGIL" image --insecure "$REF" --db "$DB" -f json -o /dev/null --quiet 2>&1 >/dev/null | tail -1)
printf "cold pull+scan %.3f s   warm re-scan %.3f s   skopeo copy %.3f s\n" "$cold" "$warm" "$skopeo_s"
printf "ratio cold/skopeo %.2f   warm/skopeo %.3f   cold peak RSS %.1f MiB\n" "$(echo "$cold / $skopeo_s" | bc -l)" "$(echo "$warm / $skopeo_s" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
rm -rf "$cache" "$oci"
