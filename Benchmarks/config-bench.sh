#!/bin/sh
# Dockerfile parse+check throughput: generates N varied Dockerfiles (default 1000) with
# Benchmarks/gen-dockerfiles.py, builds the config-bench executable in release, and prints
# files/s for parse only and for parse + all checks + predictions (best of ROUNDS, in-process,
# single-threaded; file reading excluded).
#
#   Benchmarks/config-bench.sh [N] [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000}
ROUNDS=${2:-5}
DIR=${TMPDIR:-/tmp}/vigil-config-bench-$N
rm -rf "$DIR"
python3 Benchmarks/gen-dockerfiles.py "$DIR" "$N"
swift build -c release --product config-bench >/dev/null
BIN=$(swift build -c release --show-bin-path)/config-bench
"$BIN" "$DIR" "$ROUNDS"
