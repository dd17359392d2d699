#!/bin/sh
# Replay throughput of Falco's stable rules + Vigil's defaults over one million synthetic events.
#
#   Benchmarks/rules-bench.sh [EVENTS]        (default 1000000)
#   RUNS=5 BASELINE=/path/to/older/vigil Benchmarks/rules-bench.sh
#
# Builds release, generates a deterministic mixed stream (Benchmarks/gen-events.py), then times
#   1. decode + state only (no rules)        -> the replay floor
#   2. Vigil defaults                          -> 5 rules
#   3. Falco stable rules + Vigil defaults     -> the acceptance number
# RUNS times each, interleaved with BASELINE when given (same stream, same machine phase), and
# prints the best and median events/s end to end (process start included), then the
# decode+state / rules split from one more run with --profile (its two clock reads per event are
# left out of the timed runs). Single-threaded by construction (one core).
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
RULES=${FALCO_RULES:-../shared/conformance/falco/rules/falco_rules.yaml}
EVENTS=${TMPDIR:-/tmp}/vigil-bench-events-$N.jsonl
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
[ -f "$EVENTS" ] || python3 Benchmarks/gen-events.py "$N" > "$EVENTS"
echo "events: $N ($(du -h "$EVENTS" | cut -f1)), binary: $BIN${BASELINE:+, baseline: $BASELINE}, runs: $RUNS"
ERR=${TMPDIR:-/tmp}/vigil-bench.err

# one timed replay: prints its seconds
once() {
    bin=$1; shift
    start=$(date +%s.%N)
    "$bin" watch --replay "$EVENTS" --json -o /dev/null --rate-limit 0 --dedup-window 0 "$@" 2>"$ERR" || { cat "$ERR"; exit 1; }
    end=$(date +%s.%N)
    python3 -c "print(float('$end') - float('$start'))"
}

# where the time goes: "decode_ns rules_ns" from a --profile run
split() {
    bin=$1; shift
    "$bin" watch --replay "$EVENTS" --json -o /dev/null --rate-limit 0 --dedup-window 0 --profile "$@" 2>"$ERR" || { cat "$ERR"; exit 1; }
    sed -n 's/.*decode+state \([0-9]*\) ns\/event, rules \([0-9]*\) ns\/event.*/\1 \2/p' "$ERR"
}

run() {
    label=$1; shift
    : > "$ERR.runs"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        echo "new $(once "$BIN" "$@")" >> "$ERR.runs"
        [ -n "${BASELINE:-}" ] && echo "base $(once "$BASELINE" "$@")" >> "$ERR.runs"
        i=$((i + 1))
    done
    python3 - "$label" "$N" "$ERR.runs" "$(split "$BIN" "$@")" <<'EOF'
import sys
label, n, path, split = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split()
runs = {}
for line in open(path):
    who, secs = line.split()
    runs.setdefault(who, []).append(float(secs))
def summary(rs):
    rs.sort()
    return rs[0], rs[len(rs) // 2]
best, med = summary(runs["new"])
print("%-32s best %9.0f events/s (%5.0f ns/event), median %9.0f events/s; profiled run: decode+state %s, rules %s ns/event"
      % (label, n / best, best * 1e9 / n, n / med, split[0], split[1]))
if "base" in runs:
    bbest, bmed = summary(runs["base"])
    print("%-32s best %9.0f events/s (%5.0f ns/event), median %9.0f events/s -> %.2fx faster (best), %.2fx (median)"
          % ("  baseline", n / bbest, bbest * 1e9 / n, n / bmed, bbest / best, bmed / med))
EOF
}

run "decode + state (no rules)" --no-defaults
run "Vigil defaults"
[ -f "$RULES" ] && run "Falco stable + Vigil defaults" --rules "$RULES"
