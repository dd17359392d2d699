#!/usr/bin/env bash
# Scan cost of an application image of the size issue 17 names (Benchmarks/gen-lang-image.py:
# 20,000 node_modules package.json files, 500 jars + 20 wars + 5 Spring Boot style jars nested
# with real Debian jars, five Debian Go programs and uv's cargo-auditable binary) against the
# baseline of decompressing its layers: the release `vigil image --input` (B) and
# `gzip -dc` of the three layer blobs (A), interleaved A B A B … so machine noise hits both
# alike. Prints best and median wall and CPU time of each, B/A, and the scan's peak RSS.
# Targets (issue 17): B/A ≤ 1.5, peak RSS ≤ 256 MiB. Not a test.
#
# Needs scripts/fetch-lang-binary-fixtures.sh (the Debian material and uv's wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
RUNS="${RUNS:-5}"
VIGIL="${VIGIL:-.build/release/vigil}"
FIX=.build/lang-binary-fixtures
WORK="${WORK:-/tmp/vigil-lang-bench}"
[ -x "$VIGIL" ] || swift build -c release --product vigil
[ -f "$FIX/pkgs/runc.version" ] || bash scripts/fetch-lang-binary-fixtures.sh >/dev/null
UV=$(ls "$FIX"/wheels/uv/*.data/scripts/uv 2>/dev/null || true)
[ -f "$WORK/image.tar" ] || python3 Benchmarks/gen-lang-image.py "$FIX/pkgs" "$UV" "$WORK" >/dev/null
export VIGIL_DB="$WORK/vigil.db"
[ -f "$VIGIL_DB" ] || "$VIGIL" db import --db "$VIGIL_DB" "$SHARED/data/feeds/ghsa" "$SHARED/data/feeds/go-osv" >/dev/null

# What the scan found, so the figures are known to include the analyzers' work.
"$VIGIL" image --input "$WORK/image.tar" --db "$VIGIL_DB" -f json --list-all-pkgs --quiet -o "$WORK/report.json" 2>"$WORK/stderr.txt"
python3 - "$WORK/report.json" <<'PY'
import collections, json, sys
r = json.load(open(sys.argv[1]))
by = collections.Counter()
for res in r.get("Results", []):
    by[res.get("Type")] += len(res.get("Packages", []))
print("packages found by type:", dict(sorted(by.items())), "| findings:", sum(len(x.get("Vulnerabilities", [])) for x in r.get("Results", [])))
PY

run() { # wall and CPU (user+sys) microseconds, and peak RSS in KiB
  local out="$WORK/time.txt"
  /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  tail -1 "$out" | awk '{printf "%d %d %d\n", $1 * 1000000, ($2 + $3) * 1000000, $4}'
}
aw=(); ac=(); bw=(); bc=(); rss=()
for _ in $(seq "$RUNS"); do
  read -r w c _ <<<"$(run sh -c "gzip -dc '$WORK/layer1.tar.gz' '$WORK/layer2.tar.gz' '$WORK/layer3.tar.gz'")"; aw+=("$w"); ac+=("$c")
  read -r w c m <<<"$(run "$VIGIL" image --input "$WORK/image.tar" --db "$VIGIL_DB" -f json -o /dev/null --quiet)"; bw+=("$w"); bc+=("$c"); rss+=("$m")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d %d", v[1], v[int((NR+1)/2)]}'; }
s() { echo "$1 / 1000000" | bc -l; }
printf "input: %s (%s; layers %s uncompressed), %d interleaved runs each\n" "$WORK/image.tar" "$(du -h "$WORK/image.tar" | cut -f1)" \
  "$(gzip -dc "$WORK"/layer*.tar.gz | wc -c | awk '{printf "%.0f MiB", $1 / 1048576}')" "$RUNS"
for kind in wall cpu; do
  if [ $kind = wall ]; then read -r a1 a2 <<<"$(stats "${aw[@]}")"; read -r b1 b2 <<<"$(stats "${bw[@]}")"
  else read -r a1 a2 <<<"$(stats "${ac[@]}")"; read -r b1 b2 <<<"$(stats "${bc[@]}")"; fi
  printf "%-4s A gzip -dc layers: best %.3f s  median %.3f s | B vigil image: best %.3f s  median %.3f s | B/A best %.3f  median %.3f (target ≤ 1.5)\n" \
    $kind "$(s $a1)" "$(s $a2)" "$(s $b1)" "$(s $b2)" "$(echo "$b1 / $a1" | bc -l)" "$(echo "$b2 / $a2" | bc -l)"
done
printf "peak RSS of the scan: max %d MiB over %d runs (target ≤ 256 MiB)\n" "$(printf '%s\n' "${rss[@]}" | sort -n | tail -1 | awk '{print int($1 / 1024)}')" "$RUNS"
