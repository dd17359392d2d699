#!/usr/bin/env bash
# Command (2) of the README and what CI runs: install, build, run every test (unit and integration).
# Integration tests read ../shared (or $VIGIL_SHARED) and skip with a printed reason when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
swift build --build-tests
swift test --skip-build 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
echo "---- summary ----"
grep -E "^(✔|✘|􀟈|􁁛|􀢄)? ?Test run with|Executed [0-9]+ tests|tests? (passed|failed)" .build/test-output.txt | tail -3 || true
exit "$status"
