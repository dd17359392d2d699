#!/usr/bin/env bash
# Byte-for-byte comparison of two vigil builds' command-line output (stdout, stderr, exit code) on
# the commands a refactor must not change: the alpine archive scan (table, JSON, SARIF), `vigil
# config` on the seed Dockerfile, a replayed recording through the default and Falco rules,
# `vigil report split` and `summary` of a scan, and a handful of error paths.
#
#   scripts/compare-builds.sh OLD_VIGIL NEW_VIGIL
#
# Exits 1 and prints a unified diff for every command whose output differs. Scans are run with the
# same database (VIGIL_DB, imported once by OLD) so the reports' content is comparable; the report
# fields that carry the time of the run (CreatedAt) are masked before comparing.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?old vigil binary}
NEW=${2:?new vigil binary}
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "${VIGIL_DB:-}" ]; then
    export VIGIL_DB="$WORK/vigil.db"
    "$OLD" db update --from "$SHARED/data/feeds" >/dev/null   # every mirrored feed, as the README's set-up does
fi
ALPINE="$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz"
SEED=Tests/ConfigScanTests/Fixtures/seed/Dockerfile
EVENTS=Tests/RuleEngineTests/Fixtures/events
RULES="$SHARED/conformance/falco/rules/falco_rules.yaml"

COMMANDS=(
    "image --input $ALPINE"
    "image --input $ALPINE -f json"
    "image --input $ALPINE -f json --list-all-pkgs --severity HIGH,CRITICAL"
    "image --input $ALPINE -f sarif"
    "image --input $ALPINE --category dos -f json"
    "image --input $ALPINE --scanners vuln,misconfig -f json"
    "image --input $ALPINE --exit-code 3 --ignore-unfixed"
    "config $SEED"
    "config $SEED -f json"
    "rules validate --rules $RULES"
    "report summary $WORK/scan.json"
    "image --input /nonexistent.tar"
    "image --input $SEED"
    "image --severity NOPE --input $ALPINE"
    "nosuch"
    "image --nosuch"
)
# scans with findings: the lab's Debian root filesystem and the WordPress lab image (when
# scripts/test.sh has made them)
ROOTFS=${ROOTFS:-/var/tmp/vigil-lab/rootfs}
WORDPRESS=.build/unmanaged-fixtures/wordpress-4.6.1-php5.6-apache-lab.tar
[ -d "$ROOTFS" ] && COMMANDS+=("rootfs $ROOTFS" "rootfs $ROOTFS -f json --list-all-pkgs")
[ -f "$WORDPRESS" ] && COMMANDS+=("image --input $WORDPRESS" "image --input $WORDPRESS -f json" "image --input $WORDPRESS -f cyclonedx")
SPLIT_INPUT=$ALPINE; [ -f "$WORDPRESS" ] && SPLIT_INPUT=$WORDPRESS
"$OLD" image --input "$SPLIT_INPUT" -f json -o "$WORK/scan.json" --quiet
for f in "$EVENTS"/*.jsonl; do
    COMMANDS+=("watch --replay $f --json")
    COMMANDS+=("watch --replay $f --rules $RULES")
done

mask() { sed -E 's/"CreatedAt": ?"[^"]*"/"CreatedAt":"…"/g; s/"(timeOfLastRun|timestamp|created)": ?"[^"]*"/"\1":"…"/g' "$1"; }
run() { # binary args outdir
    local bin=$1 args=$2 out=$3
    mkdir -p "$out"
    (cd "$out" && eval "\"$bin\" $args" >stdout 2>stderr; echo $? >rc) || true
}
failed=0
i=0
for args in "${COMMANDS[@]}"; do
    i=$((i + 1))
    run "$OLD" "$args" "$WORK/old/$i"
    run "$NEW" "$args" "$WORK/new/$i"
    same=1
    for part in stdout stderr rc; do
        if ! diff -q <(mask "$WORK/old/$i/$part") <(mask "$WORK/new/$i/$part") >/dev/null; then
            same=0
            echo "DIFFERS ($part): vigil $args"
            diff -u <(mask "$WORK/old/$i/$part") <(mask "$WORK/new/$i/$part") | head -20
        fi
    done
    [ $same = 1 ] && echo "same: vigil $args" || failed=1
done

# report split writes files: compare the directory trees
for bin in old new; do
    b=$OLD; [ $bin = new ] && b=$NEW
    mkdir -p "$WORK/split-$bin"
    (cd "$WORK/split-$bin" && "$b" report split "$WORK/scan.json" --by category --prefix wp_ >stdout 2>stderr; echo $? >rc) || true
done
if diff -r "$WORK/split-old" "$WORK/split-new" >/dev/null; then
    echo "same: vigil report split --by category ($(ls "$WORK/split-new" | wc -l) files)"
else
    echo "DIFFERS: vigil report split"; diff -r "$WORK/split-old" "$WORK/split-new" | head -20; failed=1
fi
[ $failed = 0 ] && echo "all outputs identical" || { echo "outputs differ"; exit 1; }
