#!/usr/bin/env bash
# `vigil query` against Debian's jq and gojq on large Trivy-style reports.
#
#   Benchmarks/jq-bench.sh [SIZES...]          (default: 20MB 200MB)
#
# Generates the reports with ../shared/conformance/jq/make_big_report.py (deterministic), installs
# jq and gojq with apt-get when missing, then runs the four reading queries and the update-heavy
# queries (rewrite in place, delete, to_entries round trips) with each tool (output to /dev/null)
# and prints best-of-N wall time, peak RSS, and vigil's time and RSS ratios against jq and gojq
# (ratio > 1 means vigil is faster / smaller). Then the `[range(N)] | .[] = 1` family at
# N = 10^4, 10^5, 10^6 (no input), with each tool's time ratio between sizes (10 = linear).
# UPDATES_ONLY=1 skips the reading queries; SKIP_RANGE=1 skips the range family; a run longer
# than TIMEOUT seconds (default 120) is reported as nan.
# VIGIL=path/to/vigil overrides the binary (default: .build/release/vigil, built if absent).
# RUNS=n sets the repetitions (default 3). Not a test: never asserts anything.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(20MB 200MB)
RUNS=${RUNS:-3}
GEN=${JQ_REPORT_GEN:-../shared/conformance/jq/make_big_report.py}
TMP=${TMPDIR:-/tmp}
VIGIL=${VIGIL:-.build/release/vigil}

if ! command -v jq >/dev/null || ! command -v gojq >/dev/null; then
    echo "installing jq and gojq (apt-get)..." >&2
    if apt-cache policy gojq 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt-get install -y jq gojq >/dev/null
    else
        echo "gojq is not in this apt archive; comparing with jq only" >&2
        apt-get install -y jq >/dev/null
    fi
fi
if [ ! -x "$VIGIL" ]; then
    swift build -c release --product vigil >/dev/null
fi

QUERIES=(
    '.'
    '[.Results[].Vulnerabilities[] | select(.Severity=="CRITICAL")] | length'
    '.Results[].Vulnerabilities[] | select(.Description | test("overflow";"i")) | .VulnerabilityID'
    '[.Results[].Vulnerabilities[]] | group_by(.Severity) | map({key: .[0].Severity, value: length}) | from_entries'
)
UPDATE_QUERIES=(
    '.Results[].Vulnerabilities[] |= (.Title |= ascii_upcase)'
    'del(.Results[].Vulnerabilities[] | select(.Severity == "LOW"))'
    '.Results[].Vulnerabilities[] |= with_entries(.key |= ascii_downcase)'
    '.Results[] |= (to_entries | from_entries)'
)
[ "${UPDATES_ONLY:-}" = 1 ] && QUERIES=()
QUERIES+=("${UPDATE_QUERIES[@]}")
RANGE_QUERIES=(
    '[range(N)] | .[] = 1 | add'
    '[range(N)] | .[] |= . + 1 | add'
    '[range(N)] | del(.[] | select(. % 2 == 0)) | length'
    'reduce range(N) as $i ({}; .["k\($i)"] = $i) | length'
    'reduce range(N) as $i ([]; . + [$i]) | length'
    '[range(N)] | to_entries | map(.value) | add'
)

# measure CMD... -> "seconds maxrss_kb" (best wall time of $RUNS, max RSS of that run)
measure() {
    python3 - "$RUNS" "$@" <<'EOF'
import os, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
best = None
for _ in range(runs):
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.execvp(cmd[0], cmd)
    limit = float(os.environ.get("TIMEOUT", "120"))
    while True:
        r, status, ru = os.wait4(pid, os.WNOHANG)
        if r == pid: break
        if time.monotonic() - t0 > limit:
            os.kill(pid, 9); _, status, ru = os.wait4(pid, 0); status = 1 << 8; break
        time.sleep(0.005)
    dt = time.monotonic() - t0
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        print("nan nan"); sys.exit(0)
    if best is None or dt < best[0]:
        best = (dt, ru.ru_maxrss)
print("%.3f %d" % best)
EOF
}

echo "jq:    $(jq --version 2>&1)"
command -v gojq >/dev/null && echo "gojq:  $(gojq --version 2>&1)"
echo "vigil: $VIGIL"
for size in "${SIZES[@]}"; do
    report="$TMP/vigil-jq-bench-$size.json"
    [ -f "$report" ] || python3 "$GEN" --size "$size" -o "$report"
    echo
    echo "== report $size ($(du -h "$report" | cut -f1)), best of $RUNS"
    printf '%-4s %-6s %9s %10s\n' "q" "tool" "time(s)" "rss(MB)"
    qi=0
    for q in "${QUERIES[@]}"; do
        qi=$((qi + 1))
        read -r jt jr < <(measure jq "$q" "$report")
        if command -v gojq >/dev/null; then read -r gt gr < <(measure gojq "$q" "$report"); else gt=nan; gr=nan; fi
        read -r vt vr < <(measure "$VIGIL" query "$q" "$report")
        python3 - "$qi" "$jt" "$jr" "$gt" "$gr" "$vt" "$vr" <<'EOF'
import sys, math
q, jt, jr, gt, gr, vt, vr = sys.argv[1], *map(float, sys.argv[2:])
for name, t, r in (("jq", jt, jr), ("gojq", gt, gr), ("vigil", vt, vr)):
    print("Q%-3s %-6s %9.2f %10.1f" % (q, name, t, r / 1024))
def ratio(a, b): return "n/a" if math.isnan(a) or math.isnan(b) or b == 0 else "%.2fx" % (a / b)
fastest = min(x for x in (jt, gt) if not math.isnan(x))
print("     vigil speed vs jq %s, vs gojq %s, vs faster %s | RSS jq/vigil %s, gojq/vigil %s"
      % (ratio(jt, vt), ratio(gt, vt), ratio(fastest, vt), ratio(jr, vr), ratio(gr, vr)))
EOF
    done
done

[ "${SKIP_RANGE:-}" = 1 ] && exit 0
echo
echo "== [range(N)] family (-n), best of $RUNS; growth = time(10N) / time(N), 10 is linear"
printf '%-50s %-6s %9s %9s %9s %7s %7s\n' "query" "tool" "1e4 s" "1e5 s" "1e6 s" "x1e5" "x1e6"
for q in "${RANGE_QUERIES[@]}"; do
    args=("$q")
    for tool in jq gojq vigil; do
        for n in 10000 100000 1000000; do
            qq=${q//N/$n}
            if [ "$tool" = gojq ] && ! command -v gojq >/dev/null; then t=nan; r=nan
            elif [ "$tool" = vigil ]; then read -r t r < <(measure "$VIGIL" query -n "$qq")
            else read -r t r < <(measure "$tool" -n "$qq"); fi
            args+=("$t")
            [ "$n" = 1000000 ] && rss_last=$r
        done
        args+=("$rss_last")
    done
    python3 - "${args[@]}" <<'EOF'
import sys, math
q = sys.argv[1]; v = list(map(float, sys.argv[2:]))
rows = {"jq": v[0:4], "gojq": v[4:8], "vigil": v[8:12]}
def g(a, b): return "n/a" if math.isnan(a) or math.isnan(b) or a == 0 else "%.1f" % (b / a)
for name, (a, b, c, _) in rows.items():
    print("%-50s %-6s %9.3f %9.3f %9.3f %7s %7s" % (q[:50], name, a, b, c, g(a, b), g(b, c)))
def ratio(a, b): return "n/a" if math.isnan(a) or math.isnan(b) or b == 0 else "%.2fx" % (a / b)
best = [x for x in (rows["jq"][2], rows["gojq"][2]) if not math.isnan(x)]
print("     vigil at 1e6: speed vs jq %s, vs gojq %s, vs faster %s | RSS jq/vigil %s, gojq/vigil %s" % (
      ratio(rows["jq"][2], rows["vigil"][2]), ratio(rows["gojq"][2], rows["vigil"][2]),
      ratio(min(best), rows["vigil"][2]) if best else "n/a",
      ratio(rows["jq"][3], rows["vigil"][3]), ratio(rows["gojq"][3], rows["vigil"][3])))
EOF
done
