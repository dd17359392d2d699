#!/usr/bin/env bash
# Opens a Vigil HTML report in headless Chromium (Debian package `chromium`), takes a screenshot and
# fails on any console message (script errors, CSP refusals of network loads) or when the page's
# script did not run (its "N of M shown" counter stays empty).
#
#   scripts/check-html-report.sh REPORT.html [SCREENSHOT.png]
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
    exit 2
fi
html=$(realpath "$1")
shot=${2:-${html%.html}.png}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "check-html-report: chromium not installed (apt-get install -y chromium)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-extensions --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0)
timeout 120 "$chromium" "${flags[@]}" --window-size=1400,1000 --virtual-time-budget=3000 \
    --screenshot="$shot" "file://$html" >"$work/shot.out" 2>"$work/shot.log" || true
timeout 120 "$chromium" "${flags[@]}" --virtual-time-budget=3000 --dump-dom "file://$html" >"$work/dom.html" 2>"$work/dom.log" || true
status=0
if grep -h 'CONSOLE' "$work/shot.log" "$work/dom.log" >"$work/console.txt"; then
    echo "check-html-report: console messages in $1:" >&2
    cat "$work/console.txt" >&2
    status=1
fi
if [ ! -s "$shot" ]; then
    echo "check-html-report: no screenshot written ($shot)" >&2
    status=1
fi
shown=$(grep -o '<span id="shown">[0-9]* of [0-9]* shown</span>' "$work/dom.html" || true)
if [ -z "$shown" ]; then
    echo "check-html-report: the page script did not run (no 'N of M shown' counter in the DOM)" >&2
    status=1
fi
if grep -q '<script>alert' "$work/dom.html"; then
    echo "check-html-report: unescaped <script> from report text found in the DOM" >&2
    status=1
fi
if [ $status -eq 0 ]; then
    echo "$1: opened in $($chromium --version 2>/dev/null | head -1), no console messages, $(echo "$shown" | sed 's/<[^>]*>//g'); screenshot $shot"
fi
exit $status
