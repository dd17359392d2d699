#!/usr/bin/env bash
# `vigil query` against Debian's jq and gojq on large Trivy-style reports.
#
#   Benchmarks/jq-bench.sh [SIZES...]          (default: 20MB 200MB)
#
# Generates the reports with ../shared/conformance/jq/make_big_report.py (deterministic), installs
# jq and gojq with apt-get when missing, then runs the four acceptance queries from the issue with
# each tool (output to /dev/null) and prints best-of-N wall time, peak RSS, and vigil's time and
# RSS ratios against jq and gojq (ratio > 1 means vigil is faster / smaller).
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
    _, status, ru = os.wait4(pid, 0)
    dt = time.monotonic() - t0
    if os.WEXITSTATUS(status) not in (0,):
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
