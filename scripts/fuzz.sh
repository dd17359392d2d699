#!/usr/bin/env bash
# libFuzzer harnesses for Vigil's parsers (Fuzz/<Harness>/Harness.swift), see docs/security.md.
#
#   scripts/fuzz.sh build [HARNESS…]        build (all by default) into .build/fuzz/
#   scripts/fuzz.sh run HARNESS SECONDS     fuzz one harness; crashes land in .build/fuzz/crashes/HARNESS/
#   scripts/fuzz.sh short [SECONDS]         every harness for SECONDS (default 5); non-zero exit on a finding
#   scripts/fuzz.sh campaign [SECONDS]      every harness for SECONDS (default 1800) each, one after another
#   scripts/fuzz.sh list                    harness names
#
# Each harness is compiled with `swiftc -sanitize=fuzzer,address` together with the few library
# sources it exercises (no SwiftPM build: libFuzzer brings its own main). Corpora grow in
# .build/fuzz/corpus/HARNESS/ and are seeded from the test fixtures and ../shared (when present).
# Per input: 1 s (-timeout) and 2 GB RSS (-rss_limit_mb) before a hang or an OOM is a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.build/fuzz
SHARED=${VIGIL_SHARED:-$ROOT/../shared}
# With Swift's own backtracer on, a crashing process under ASan hangs instead of writing its
# crash file (DEPENDENCIES.md, trap 4).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}

HARNESSES=(tar-gzip condition-parser json dockerfile)

sources() {
    case $1 in
        tar-gzip) echo "-module-name FuzzTarGzip -I Sources/CVigilZlib -I $OUT/mods" \
            Sources/ContainerImage/{TarReader,TarHeader,GzipSource,ByteSource,ContainerImageError,ArchivePath}.swift \
            Fuzz/TarGzip/Harness.swift "$OUT/mods/VigilCore.o" ;;
        condition-parser) echo "-module-name FuzzConditionParser -I $OUT/mods" \
            Sources/RuleEngine/Condition/{ConditionParser,ConditionExpr}.swift Fuzz/ConditionParser/Harness.swift \
            "$OUT/mods/VigilCore.o" ;;
        json) echo "-module-name FuzzJSON -I $OUT/mods" Sources/JSONValue/*.swift Fuzz/JSON/Harness.swift "$OUT/mods/VigilCore.o" ;;
        dockerfile) echo "-module-name FuzzDockerfile -I $OUT/mods" Sources/ConfigScan/*.swift \
            Fuzz/Dockerfile/Harness.swift "$OUT/mods/"{JSONValue,SystemIO,VigilCore}.o ;;
        *) echo "unknown harness '$1' (try: ${HARNESSES[*]})" >&2; exit 2 ;;
    esac
}

seed() {
    local h=$1 dir=$OUT/seeds/$1
    rm -rf "$dir"; mkdir -p "$dir"
    case $h in
        tar-gzip)
            # Small archives in every header flavour the reader handles: ustar, GNU long names,
            # PAX records, symlinks, hard links, directories, an empty file; plain and gzip.
            local src; src=$(mktemp -d)
            mkdir -p "$src/etc" "$src/var/lib/dpkg" "$src/$(printf 'd%.0s' {1..120})"
            printf 'ID=debian\nVERSION_ID="12"\n' > "$src/etc/os-release"
            printf 'Package: bash\nStatus: install ok installed\nVersion: 5.2-1\n' > "$src/var/lib/dpkg/status"
            : > "$src/empty"
            ln -s ../etc/os-release "$src/var/link"
            ln "$src/etc/os-release" "$src/hard"
            for fmt in ustar gnu pax; do
                tar --format=$fmt -C "$src" -cf "$dir/$fmt.tar" . 2>/dev/null || true
                gzip -9 -c "$dir/$fmt.tar" > "$dir/$fmt.tar.gz"
            done
            cat "$dir/ustar.tar.gz" "$dir/gnu.tar.gz" > "$dir/two-members.tar.gz"
            rm -rf "$src" ;;
        condition-parser)
            # Conditions from libsinsp's parser vectors and the default rules.
            python3 - "$dir" "$SHARED/conformance/falco/vectors/libsinsp_filter_parser_vectors.json" "$(find Sources/RuleEngine -name DefaultRules.swift)" <<'PY'
import json, os, re, sys
out, vectors, rules = sys.argv[1:4]
seeds = []
if os.path.exists(vectors):
    seeds += [v["filter"] for v in json.load(open(vectors))["vectors"] if isinstance(v.get("filter"), str)]
seeds += re.findall(r"^\s*condition:\s*(.+)$", open(rules).read(), re.M)
for i, s in enumerate(seeds):
    open(os.path.join(out, "seed-%04d" % i), "w").write(s)
PY
            ;;
        dockerfile)
            # The ConfigScan fixtures (Dockerfiles of every shape the parser tests use).
            local n=0
            while IFS= read -r f; do
                cp "$f" "$dir/seed-$n"; n=$((n + 1))
            done < <(find Tests/ConfigScanTests/Fixtures -type f -size -64k 2>/dev/null | head -300) ;;
        json)
            # The test fixtures' JSON (feeds, reports, events) and Trivy's reference reports.
            local n=0
            while IFS= read -r f; do
                cp "$f" "$dir/seed-$n.json"; n=$((n + 1))
            done < <(find Tests -name '*.json' -size -64k 2>/dev/null | head -200; \
                     find "$SHARED/reference/trivy-json-examples" -name '*.json' -size -256k 2>/dev/null | head -20)
            # Event lines are JSON objects too.
            find Tests -name '*.jsonl' -size -64k 2>/dev/null | head -20 | while IFS= read -r f; do
                split -l 1 -a 4 "$f" "$dir/$(basename "$f" .jsonl)-"
            done ;;
    esac
}

# The shared targets the harnessed sources import (VigilCore, then SystemIO and JSONValue over
# it), each an instrumented module in $OUT/mods.
shared_modules() {
    mkdir -p "$OUT/mods"
    local m
    for m in VigilCore SystemIO JSONValue; do
        swiftc -wmo -parse-as-library -O -g -sanitize=fuzzer,address -module-name "$m" -emit-module -I "$OUT/mods" \
            -emit-module-path "$OUT/mods/$m.swiftmodule" -c Sources/"$m"/*.swift -o "$OUT/mods/$m.o" 2>&1 \
            | grep -v "Cannot export local symbol" || true
        [ -f "$OUT/mods/$m.o" ] || { echo "build of module $m failed" >&2; exit 1; }
    done
}

build() {
    mkdir -p "$OUT"
    local list=("$@"); [ ${#list[@]} -eq 0 ] && list=("${HARNESSES[@]}")
    shared_modules
    for h in "${list[@]}"; do
        echo "building $h"
        rm -f "$OUT/$h"   # a failed compile must not leave an old binary that passes the check below
        # shellcheck disable=SC2046
        swiftc -sanitize=fuzzer,address -parse-as-library -O -g $(sources "$h") -o "$OUT/$h" 2>&1 \
            | grep -v "Cannot export local symbol" || true
        [ -x "$OUT/$h" ] || { echo "build of $h failed" >&2; exit 1; }
        seed "$h"
    done
}

run() {
    local h=$1 seconds=$2
    [ -x "$OUT/$h" ] || build "$h"
    mkdir -p "$OUT/corpus/$h" "$OUT/crashes/$h"
    echo "fuzzing $h for ${seconds}s"
    "$OUT/$h" "$OUT/corpus/$h" "$OUT/seeds/$h" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$OUT/crashes/$h/" -print_final_stats=1 2>&1 | tail -n 25
    # libFuzzer exits non-zero on a crash, a timeout or an OOM; its artifact is in crashes/.
    return "${PIPESTATUS[0]}"
}

case ${1:-} in
    build) shift; build "$@" ;;
    run) [ $# -eq 3 ] || { echo "usage: $0 run HARNESS SECONDS" >&2; exit 2; }; run "$2" "$3" ;;
    short|campaign)
        seconds=${2:-$([ "$1" = short ] && echo 5 || echo 1800)}
        failed=0
        for h in "${HARNESSES[@]}"; do run "$h" "$seconds" || failed=1; done
        exit $failed ;;
    list) printf '%s\n' "${HARNESSES[@]}" ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
esac
