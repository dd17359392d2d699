#!/usr/bin/env bash
# Feed-scale acceptance (issue 17): a generated feed set shaped like the real ones at their real
# sizes — 400,000 NVD CVE records with CPE configurations, 250,000 GitHub-layout OSV advisories
# across ecosystems (Benchmarks/gen-feeds.py) — imported together with the real sample feeds.
# Prints the import's wall time and peak RSS (/usr/bin/time -v; limits 5 min and 1 GiB), the
# database size, and the scan time of the same targets on the big database against the small
# one (the real feeds alone; limit +20%), best of $RUNS. Not a test; exit 1 when a limit fails.
#
# Scan targets: a tree of Python, Go and Rust applications that pins every package the real PyPI,
# Go and RustSec feeds name (665 + 25 + 10 lookups, several hundred findings, each enriched from
# NVD and GitHub records), and the Alpine image (OS advisories). The generated advisories use
# other package names, so both databases give the same findings and the ratio is the cost of the
# bigger database alone. Both targets are small: the time is the database open plus matching.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
VIGIL="${VIGIL:-.build/release/vigil}"
OUT="${FEED_SCALE_DIR:-/tmp/vigil-feed-scale}"
NVD="${NVD:-400000}"
OSV="${OSV:-250000}"
RUNS="${RUNS:-5}"
[ -x "$VIGIL" ] || swift build -c release --product vigil
mkdir -p "$OUT"
if [ ! -f "$OUT/feeds/.done-$NVD-$OSV" ]; then
    rm -rf "$OUT/feeds"
    echo "generating $NVD NVD records and $OSV OSV advisories in $OUT/feeds …"
    python3 Benchmarks/gen-feeds.py "$OUT/feeds" --nvd "$NVD" --osv "$OSV"
    touch "$OUT/feeds/.done-$NVD-$OSV"
fi
F="$SHARED/data/feeds"
REAL=("$F/alpine-secdb" "$F/pypi-osv" "$F/go-osv" "$F/rustsec" "$F/ghsa" "$F/rubysec" "$F/composer-friendsofphp"
      "$F/nodejs-security-wg" "$F/nvd/records")

"$VIGIL" db import --db "$OUT/small.db" "${REAL[@]}" >/dev/null
/usr/bin/time -v "$VIGIL" db import --db "$OUT/big.db" "${REAL[@]}" "$OUT/feeds/nvd" "$OUT/feeds/ghsa" >"$OUT/import.out" 2>"$OUT/import.time"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/import.time")
seconds=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/import.time")
size=$(stat -c %s "$OUT/big.db")
small_size=$(stat -c %s "$OUT/small.db")
printf "import: %s NVD + %s OSV generated, plus the real feeds: %.1f s, peak RSS %.0f MiB, database %.0f MiB (real feeds alone: %.1f MiB)\n" \
    "$NVD" "$OSV" "$seconds" "$(echo "$rss_kb / 1024" | bc -l)" "$(echo "$size / 1048576" | bc -l)" "$(echo "$small_size / 1048576" | bc -l)"
grep -E "^(Imported|Sources|  )" "$OUT/import.out" | head -20 || true

best() {
    local best=999999 t0 t1 t
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
    done
    printf "%.4f" "$best"
}
fail=0
(( $(echo "$seconds <= 300" | bc -l) )) || { echo "FAIL: import took more than 5 minutes"; fail=1; }
(( rss_kb <= 1048576 )) || { echo "FAIL: import peak RSS above 1 GiB"; fail=1; }
scan() { # name command...
    local name=$1; shift
    local s b
    s=$(best "$VIGIL" "$@" --db "$OUT/small.db" -f json -o /dev/null --quiet)
    b=$(best "$VIGIL" "$@" --db "$OUT/big.db" -f json -o /dev/null --quiet)
    local n_small n_big
    n_small=$("$VIGIL" "$@" --db "$OUT/small.db" -f json --quiet 2>/dev/null | python3 -c 'import json,sys; print(sum(len(r.get("Vulnerabilities") or []) for r in json.load(sys.stdin).get("Results") or []))')
    n_big=$("$VIGIL" "$@" --db "$OUT/big.db" -f json --quiet 2>/dev/null | python3 -c 'import json,sys; print(sum(len(r.get("Vulnerabilities") or []) for r in json.load(sys.stdin).get("Results") or []))')
    printf "scan %-28s small DB %7.3f s (%s findings)   big DB %7.3f s (%s findings)   ratio %5.2f\n" \
        "$name" "$s" "$n_small" "$b" "$n_big" "$(echo "$b / $s" | bc -l)"
    (( $(echo "$b <= $s * 1.2" | bc -l) )) || { echo "FAIL: $name scan grew more than 20%"; fail=1; }
}
ROOT="$OUT/scan-root"
python3 - "$F" "$ROOT" <<'PY'
import glob, json, os, sys
feeds, root = sys.argv[1], sys.argv[2]
os.makedirs(root + "/app", exist_ok=True); os.makedirs(root + "/srv/go", exist_ok=True); os.makedirs(root + "/srv/rust", exist_ok=True)
pypi = sorted(d for d in os.listdir(feeds + "/pypi-osv") if os.path.isdir(os.path.join(feeds, "pypi-osv", d)))
open(root + "/app/requirements.txt", "w").write("".join("%s==1.0\n" % n for n in pypi))
mods = sorted({a["package"]["name"] for f in glob.glob(feeds + "/go-osv/*.json") for a in json.load(open(f)).get("affected", [])
               if a["package"]["name"] != "stdlib"})
open(root + "/srv/go/go.mod", "w").write("module example.invalid/app\n\ngo 1.20\n\nrequire (\n" + "".join("\t%s v0.0.1\n" % m for m in mods) + ")\n")
crates = sorted(d for d in os.listdir(feeds + "/rustsec") if os.path.isdir(os.path.join(feeds, "rustsec", d)))
open(root + "/srv/rust/Cargo.lock", "w").write("version = 3\n\n" + "".join('[[package]]\nname = "%s"\nversion = "0.1.0"\n\n' % c for c in crates))
PY
scan "real-feed packages tree" rootfs "$ROOT"
scan "alpine 3.10 image" image --input "$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz"
exit $fail
