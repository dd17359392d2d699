#!/usr/bin/env bash
# Validates the report formats `vigil` writes with independent tools (issue 9): SARIF 2.1.0 against
# the OASIS schema and CycloneDX with cyclonedx-python-lib (scripts/validate-reports.py, PyPI packages
# in a venv under .build/venv), and the HTML report in headless Chromium (scripts/check-html-report.sh,
# screenshot kept in .build/report-check/). Inputs: a scan of the alpine archive and Trivy's reference
# reports converted with `vigil report convert` (their HTML has findings to chart; the alpine archive has
# none against this data), plus a report whose text tries to inject markup.
#
#   scripts/check-report-formats.sh [VIGIL_BINARY]      (default .build/debug/vigil)
set -uo pipefail
cd "$(dirname "$0")/.."
VIGIL=${1:-.build/debug/vigil}
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
VENV=.build/venv
OUT=.build/report-check

bash scripts/report-validators-venv.sh "$VENV" || exit 1
rm -rf "$OUT" && mkdir -p "$OUT"
status=0
step() { # label, command…: runs it, prints its wall time
    local label=$1; shift
    local start=$EPOCHREALTIME
    "$@" || status=1
    awk -v a="$start" -v b="$EPOCHREALTIME" -v l="$label" 'BEGIN { printf "report formats: %s: %.2f s\n", l, b - a }'
}

if [ -f "$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz" ] && [ -d "$SHARED/data/feeds/cwe" ]; then
    "$VIGIL" db import --db "$OUT/vigil.db" "$SHARED/data/feeds/alpine-secdb" "$SHARED/data/feeds/cwe" >/dev/null || exit 1
    for f in sarif cyclonedx html; do
        "$VIGIL" image --input "$SHARED/data/images/alpine-3.10.4-docker-archive.tar.gz" --db "$OUT/vigil.db" --quiet \
            -f "$f" -o "$OUT/alpine.$f" || status=1
    done
    for example in trivy-alpine-310.image trivy-centos-7.image trivy-npm.repo; do
        for f in sarif cyclonedx html; do
            "$VIGIL" report convert "$SHARED/reference/trivy-json-examples/$example.json" --db "$OUT/vigil.db" --quiet \
                -f "$f" -o "$OUT/$example.$f" || status=1
        done
    done
else
    echo "report formats: $SHARED/data not found; checking only the hostile report"
fi
# Report text that tries to become markup or fetch something must stay text.
cat >"$OUT/hostile.json" <<'JSON'
{"SchemaVersion": 2, "ArtifactName": "hostile<img src=x>", "ArtifactType": "container_image",
 "Results": [{"Target": "t", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": [
  {"VulnerabilityID": "CVE-2031-0666", "PkgName": "libx<b>", "InstalledVersion": "1", "Severity": "HIGH",
   "Title": "<script>alert(1)</script>", "Description": "<img src=\"http://127.0.0.1:9/x.png\"> crash",
   "PrimaryURL": "javascript:alert(2)", "References": ["http://127.0.0.1:9/ref"]}]}]}
JSON
for f in sarif cyclonedx html; do
    "$VIGIL" report convert "$OUT/hostile.json" --quiet -f "$f" -o "$OUT/hostile.$f" || status=1
done

shopt -s nullglob
step "validate-reports.py ($(ls "$OUT"/*.sarif "$OUT"/*.cyclonedx | wc -l) files)" \
    "$VENV/bin/python" scripts/validate-reports.py "$OUT"/*.sarif "$OUT"/*.cyclonedx
for html in "$OUT"/*.html; do
    step "check-html-report.sh $(basename "$html")" bash scripts/check-html-report.sh "$html" "${html%.html}.png"
done
exit $status
