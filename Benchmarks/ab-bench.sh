#!/usr/bin/env bash
# A/B of two vigil builds on the workloads of jq-bench.sh, rules-bench.sh and scan-bench.sh,
# interleaved in one run (A, B, B, A, ... so both see the same machine phases). For a refactor
# that must not cost speed: prints, per workload, each build's best and median wall time and the
# ratio B/A (1.00 = same; > 1 = B slower).
#
#   Benchmarks/ab-bench.sh OLD_VIGIL NEW_VIGIL            (ROUNDS=6 by default)
#
# Workloads: the eight jq-bench queries on the 20 MB report, Falco's stable rules + Vigil's defaults
# replaying the 1M-event stream, and `vigil image`/`vigil rootfs` scans (alpine docker-archive.tar.gz,
# the lab Debian root filesystem when present). Not a test: never asserts anything.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?old vigil binary}
B=${2:?new vigil binary}
ROUNDS=${ROUNDS:-6}
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
TMP=${TMPDIR:-/tmp}
export VIGIL_DB="${VIGIL_DB:-$TMP/vigil-bench.db}"
[ -f "$VIGIL_DB" ] || "$A" db import "$SHARED/data/feeds/alpine-secdb" "$SHARED/data/feeds/debian-tracker" "$SHARED/data/feeds/ubuntu/osv" >/dev/null
REPORT="$TMP/vigil-jq-bench-20MB.json"
[ -f "$REPORT" ] || python3 "$SHARED/conformance/jq/make_big_report.py" --size 20MB -o "$REPORT"
EVENTS="$TMP/vigil-bench-events-1000000.jsonl"
[ -f "$EVENTS" ] || python3 Benchmarks/gen-events.py 1000000 > "$EVENTS"
RULES="$SHARED/conformance/falco/rules/falco_rules.yaml"
ALPINE="$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz"
ROOTFS=${ROOTFS:-/var/tmp/vigil-lab/rootfs}

WORK=()   # "name<TAB>arguments as one shell word list" (names and queries contain |)
add() { WORK+=("$1"$'\t'"$2"); }
add "jq ." "query . $REPORT"
add "jq select CRITICAL" "query '[.Results[].Vulnerabilities[] | select(.Severity==\"CRITICAL\")] | length' $REPORT"
add "jq test(overflow)" "query '.Results[].Vulnerabilities[] | select(.Description | test(\"overflow\";\"i\")) | .VulnerabilityID' $REPORT"
add "jq group_by" "query '[.Results[].Vulnerabilities[]] | group_by(.Severity) | map({key: .[0].Severity, value: length}) | from_entries' $REPORT"
add "jq |= ascii_upcase" "query '.Results[].Vulnerabilities[] |= (.Title |= ascii_upcase)' $REPORT"
add "jq del(select LOW)" "query 'del(.Results[].Vulnerabilities[] | select(.Severity == \"LOW\"))' $REPORT"
add "jq with_entries" "query '.Results[].Vulnerabilities[] |= with_entries(.key |= ascii_downcase)' $REPORT"
add "jq to_entries round trip" "query '.Results[] |= (to_entries | from_entries)' $REPORT"
add "rules: decode + state" "watch --replay $EVENTS --json -o /dev/null --rate-limit 0 --dedup-window 0 --no-defaults"
add "rules: Falco stable + defaults" "watch --replay $EVENTS --json -o /dev/null --rate-limit 0 --dedup-window 0 --rules $RULES"
add "scan alpine archive (json)" "image --input $ALPINE -f json -o /dev/null --quiet"
add "scan alpine archive (table)" "image --input $ALPINE -o /dev/null --quiet"
[ -d "$ROOTFS" ] && add "scan lab Debian rootfs (json)" "rootfs $ROOTFS -f json -o /dev/null --quiet"

time_once() { # binary args -> seconds
    local t0 t1
    t0=$(date +%s.%N)
    eval "\"$1\" $2" >/dev/null 2>&1 || { echo "FAILED: $1 $2" >&2; echo nan; return; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

echo "A (old): $A"
echo "B (new): $B"
echo "rounds: $ROUNDS (order A B B A per pair of rounds)"
printf '%-32s %9s %9s %9s %9s %7s %7s\n' workload "A best" "B best" "A median" "B median" "B/A best" "B/A med"
for w in "${WORK[@]}"; do
    name=${w%%$'\t'*}; args=${w#*$'\t'}
    ta=(); tb=()
    for r in $(seq "$ROUNDS"); do
        if (( r % 2 )); then ta+=("$(time_once "$A" "$args")"); tb+=("$(time_once "$B" "$args")")
        else tb+=("$(time_once "$B" "$args")"); ta+=("$(time_once "$A" "$args")"); fi
    done
    python3 - "$name" "${ta[*]}" "${tb[*]}" <<'EOF'
import sys, statistics
name, a, b = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
print("%-32s %9.3f %9.3f %9.3f %9.3f %7.3f %7.3f" % (name, min(a), min(b), statistics.median(a), statistics.median(b),
      min(b) / min(a), statistics.median(b) / statistics.median(a)))
EOF
done
