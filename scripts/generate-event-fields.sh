#!/usr/bin/env bash
# Writes Sources/Sensor/Generated/*.swift from the event field and type tables in
# scripts/event-fields/ (fields.txt, event-types.txt). `--check`: write nothing, exit 1 when a
# committed generated file differs from the generator's output (CI runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/event-fields/generate.py "$@"
