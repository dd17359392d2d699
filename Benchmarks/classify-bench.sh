#!/usr/bin/env bash
# Classification cost on the 200 MB benchmark report: the Classification sources of a baseline
# revision and of the working tree, each compiled with -O into the same small driver, classify
# every vulnerability of the report (CWE ids, title, description, CVSS vectors; the CWE catalogue
# of ../shared/data/feeds/cwe), interleaved RUNS times. The driver parses the report first and times
# only the classification. Prints each build's best and median seconds, their ratio, and — with
# VIGIL=path/to/release/vigil — the time of `vigil report split --by category` on the same report
# (which classifies every vulnerability), so the difference can be read as a share of the split.
# Usage: Benchmarks/classify-bench.sh [BASELINE_REV]   (default 6322793, before CategoryReasons)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-6322793}
RUNS=${RUNS:-5}
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
WORK=${WORK:-/tmp/vigil-classify-bench}
mkdir -p "$WORK/base" "$WORK/new"
REPORT="$WORK/report-200MB.json"
[ -f "$REPORT" ] || python3 "$SHARED/conformance/jq/make_big_report.py" --size 200MB -o "$REPORT"

cat > "$WORK/main.swift" <<'SWIFT'
import Foundation
let args = CommandLine.arguments
let report = try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: args[1]))) as! [String: Any]
var parents: [Int: [Int]] = [:]
// "id parent parent …" per line (the CWE catalogue's view-1000 parents, converted by the script)
for line in try! String(contentsOfFile: args[2], encoding: .utf8).split(separator: "\n") {
    let f = line.split(separator: " ").compactMap { Int($0) }
    if let id = f.first { parents[id] = Array(f.dropFirst()) }
}
struct H: CWEHierarchy { let p: [Int: [Int]]; func parents(of id: Int) -> [Int] { p[id] ?? [] } }
var items: [(cwe: [String], title: String?, description: String?, vectors: [String])] = []
for r in report["Results"] as? [[String: Any]] ?? [] {
    for v in r["Vulnerabilities"] as? [[String: Any]] ?? [] {
        var vectors: [String] = []
        for (_, s) in v["CVSS"] as? [String: [String: Any]] ?? [:] {
            for k in ["V3Vector", "V40Vector", "V2Vector"] { if let x = s[k] as? String { vectors.append(x) } }
        }
        items.append((v["CweIDs"] as? [String] ?? [], v["Title"] as? String, v["Description"] as? String, vectors))
    }
}
let c = Classifier(hierarchy: H(p: parents))
let start = DispatchTime.now().uptimeNanoseconds
var n = 0
for it in items { n &+= classifyOne(c, it.cwe, it.title, it.description, it.vectors) }
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
print("\(items.count) \(seconds) \(n)")
SWIFT
# the new API gives reasons too (what `vigil` computes per vulnerability); the old one categories only
cat > "$WORK/new/shim.swift" <<'SWIFT'
func classifyOne(_ c: Classifier, _ cwe: [String], _ t: String?, _ d: String?, _ v: [String]) -> Int {
    let decision = c.classify(VulnerabilityFacts(cweIDs: cwe, title: t, description: d, cvssVectors: v))
    return decision.categories.count + decision.orderedReasons.count
}
SWIFT
cat > "$WORK/base/shim.swift" <<'SWIFT'
func classifyOne(_ c: Classifier, _ cwe: [String], _ t: String?, _ d: String?, _ v: [String]) -> Int {
    c.categories(cweIDs: cwe, title: t, description: d).count
}
SWIFT
rm -rf "$WORK/base/src"; mkdir -p "$WORK/base/src"
for f in $(git ls-tree --name-only "$BASE" Sources/Classification/); do git show "$BASE:$f" > "$WORK/base/src/$(basename "$f")"; done
swiftc -O -module-name bench -o "$WORK/base/driver" "$WORK"/base/src/*.swift "$WORK/base/shim.swift" "$WORK/main.swift" 2>&1 | grep -v warning || true
swiftc -O -module-name bench -o "$WORK/new/driver" Sources/Classification/*.swift "$WORK/new/shim.swift" "$WORK/main.swift" 2>&1 | grep -v warning || true

CSV="$WORK/cwe-parents.txt"
python3 - "$SHARED/data/feeds/cwe/cwe-v4.14.csv" "$CSV" <<'PY'
import csv, re, sys
with open(sys.argv[2], "w") as out:
    for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
        m = re.match(r"CWE-(\d+)$", r["id"])
        if m: out.write(" ".join([m.group(1)] + re.findall(r"\d+", r["parents_view1000"])) + "\n")
PY
base=(); new=(); split=()
for i in $(seq "$RUNS"); do
    base+=("$("$WORK/base/driver" "$REPORT" "$CSV" | awk '{print $2}')")
    new+=("$("$WORK/new/driver" "$REPORT" "$CSV" | awk '{print $2}')")
    if [ -n "${VIGIL:-}" ]; then
        rm -rf "$WORK/split"; mkdir -p "$WORK/split"
        s=$(date +%s.%N); "$VIGIL" report split "$REPORT" --by category --out-dir "$WORK/split" >/dev/null 2>&1; e=$(date +%s.%N)
        split+=("$(echo "$e - $s" | bc)")
    fi
done
count=$("$WORK/new/driver" "$REPORT" "$CSV" | awk '{print $1}')
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.3f %.3f", a[1], a[int((NR+1)/2)]}'; }
read -r bb bm <<<"$(stats "${base[@]}")"
read -r nb nm <<<"$(stats "${new[@]}")"
echo "vulnerabilities classified: $count (RUNS=$RUNS, interleaved)"
echo "baseline $BASE: best ${bb} s, median ${bm} s ($(echo "$bb * 1000000000 / $count" | bc) ns/vulnerability)"
echo "working tree:    best ${nb} s, median ${nm} s ($(echo "$nb * 1000000000 / $count" | bc) ns/vulnerability)"
echo "ratio new/base: best $(echo "scale=3; $nb / $bb" | bc), median $(echo "scale=3; $nm / $bm" | bc)"
if [ ${#split[@]} -gt 0 ]; then
    read -r sb sm <<<"$(stats "${split[@]}")"
    echo "vigil report split --by category ($VIGIL): best ${sb} s, median ${sm} s; classification added $(echo "scale=3; $nb - $bb" | bc) s = $(echo "scale=1; ($nb - $bb) * 100 / $sb" | bc)% of the split"
fi
