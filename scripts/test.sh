#!/usr/bin/env bash
# Command (2) of the README and what CI runs: install, build, run every test (unit and integration),
# then the conformance suites that live in ../shared (skipped with a message when it is absent).
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED="${VIGIL_SHARED:-$(cd .. && pwd)/shared}"
bash scripts/system-packages.sh || exit 1
# generated sources (Sources/Sensor/Generated) equal their generator's output from scripts/event-fields/
bash scripts/generate-event-fields.sh --check || exit 1
# Package.swift declares exactly what each target imports; VigilCLI reaches no engine internals
python3 scripts/check-imports.py || exit 1
swift build --build-tests || exit 1
# live-sensor tests: BPF object beside the test build, podman settings, the debootstrap test image
bash scripts/container-lab.sh .build/debug || exit 1
# real Debian binaries and WordPress for the unmanaged-software tests (apt-get download, ~40 s)
bash scripts/fetch-unmanaged-fixtures.sh || exit 1
# real lockfiles (package-lock.json, yarn.lock, pnpm-lock.yaml, Gemfile.lock, composer.lock, POMs) from Debian packages
bash scripts/fetch-lockfile-fixtures.sh || exit 1
# installed Node/Ruby/.NET packages from Debian and PyPI wheels for the language analyzers' tests
bash scripts/fetch-language-fixtures.sh || exit 1
# real Debian Go programs and jars, uv's cargo-auditable wheel, univers for the language-binary tests (~20 s)
bash scripts/fetch-lang-binary-fixtures.sh || exit 1
# report validators from PyPI (.build/venv); RealReportTests run them too when this is set
bash scripts/report-validators-venv.sh .build/venv || exit 1
export VIGIL_REPORT_VALIDATOR_PYTHON="$PWD/.build/venv/bin/python"
swift test --skip-build 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
# SARIF/CycloneDX from scans and `vigil report convert` validated, HTML opened in Chromium (screenshots in .build/report-check)
bash scripts/check-report-formats.sh .build/debug/vigil || status=1

conformance() { # name, minimum passes, command…
    local name=$1 min=$2; shift 2
    local out last passed
    out=$("$@" 2>&1); last=$(printf '%s\n' "$out" | tail -1)
    passed=$(printf '%s' "$last" | awk '{print $1}')
    echo "$name conformance: $last (minimum $min)"
    if ! [[ "$passed" =~ ^[0-9]+$ ]] || [ "$passed" -lt "$min" ]; then
        printf '%s\n' "$out" | tail -40
        status=1
    fi
}
if [ -d "$SHARED/conformance/falco/vectors" ]; then
    conformance "Falco rules" 648 python3 scripts/falco-conformance.py --vigil .build/debug/vigil --vectors "$SHARED/conformance/falco/vectors"
else
    echo "skipping Falco conformance: $SHARED/conformance/falco/vectors not found"
fi
if [ -d "$SHARED/conformance/jq/suite-jq-1.8.2" ] && .build/debug/vigil query -n 1 >/dev/null 2>&1; then
    conformance "jq 1.8.2" "${JQ_MIN_PASS:-870}" python3 "$SHARED/conformance/jq/run_jq_suite.py" ".build/debug/vigil query" "$SHARED"/conformance/jq/suite-jq-1.8.2/*.test
fi

# libFuzzer harnesses (docs/security.md): each parser fuzzed a few seconds on its corpus; a crash,
# hang (> 1 s per input) or OOM (> 2 GB) fails the run and leaves the input in .build/fuzz/crashes
if bash scripts/fuzz.sh build && bash scripts/fuzz.sh short 5; then echo "fuzz short pass: no findings"; else echo "fuzz short pass: FAILED"; status=1; fi

# Tests run as root: one that replaced a device node (a rename over /dev/null) broke every later
# `>/dev/null` on the machine without failing itself.
if [ ! -c /dev/null ]; then
    echo "FAILED: /dev/null is no longer a character device after the tests (a test or tool renamed a file over it)"
    status=1
fi

echo "---- summary ----"
grep -E "Test run with|Executed [0-9]+ tests" .build/test-output.txt | tail -2 || true
exit "$status"
