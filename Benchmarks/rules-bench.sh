#!/bin/sh
# Replay throughput of Falco's stable rules + Vigil's defaults over one million synthetic events.
#
#   Benchmarks/rules-bench.sh [EVENTS]        (default 1000000)
#
# Builds release, generates a deterministic mixed stream (Benchmarks/gen-events.py), then times
#   1. decode + state only (no rules)        -> the replay floor
#   2. Vigil defaults                          -> 5 rules
#   3. Falco stable rules + Vigil defaults     -> the acceptance number
# and prints events/s and ns/event for each. Single-threaded by construction (one core).
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000000}
RULES=${FALCO_RULES:-../shared/conformance/falco/rules/falco_rules.yaml}
EVENTS=${TMPDIR:-/tmp}/vigil-bench-events-$N.jsonl
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
[ -f "$EVENTS" ] || python3 Benchmarks/gen-events.py "$N" > "$EVENTS"
echo "events: $N ($(du -h "$EVENTS" | cut -f1)), binary: $BIN"

run() {
    label=$1; shift
    start=$(date +%s.%N)
    "$BIN" watch --replay "$EVENTS" --json -o /dev/null --rate-limit 0 --dedup-window 0 --profile "$@" 2>"${TMPDIR:-/tmp}/vigil-bench.err" || { cat "${TMPDIR:-/tmp}/vigil-bench.err"; exit 1; }
    end=$(date +%s.%N)
    summary=$(grep -v "warning:" "${TMPDIR:-/tmp}/vigil-bench.err" | tr "\n" " ")
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print('%-34s %7.2f s  %10.0f events/s  %6.0f ns/event' % (sys.argv[4], s, n/s, s*1e9/n))" "$start" "$end" "$N" "$label"
    echo "    $summary"
}

run "decode + state (no rules)" --no-defaults
run "Vigil defaults" 
[ -f "$RULES" ] && run "Falco stable + Vigil defaults" --rules "$RULES"
