#!/usr/bin/env python3
"""Validates recorded HTTP exchanges with vigil server against Harbor's Pluggable Scanner Adapter
API v1.2 (the OpenAPI document in ../shared/reference) with openapi-core, an implementation
independent of Vigil: request and response bodies, status codes, media types and headers.

Usage: validate-harbor-exchanges.py SPEC EXCHANGES.jsonl
Each line: {"method", "path", "query", "request_headers", "request_body", "status",
"response_headers", "response_body"} (bodies as text). Prints one line per failure; exit 1 if any.
"""
import json
import sys

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

spec_path, exchanges_path = sys.argv[1], sys.argv[2]
# The upstream document itself is not valid OpenAPI 3.0 (`enum` beside `schema` on the
# sbom_media_type parameter, `descriptions` for `description` in ScannerCapability), so checking
# the document is turned off; requests and responses are still checked against its schemas.
# The adapter's vendor media types are JSON; openapi-core only knows `application/json` by itself.
JSON_TYPES = [
    "application/vnd.scanner.adapter.metadata+json",
    "application/vnd.scanner.adapter.scan.request+json",
    "application/vnd.scanner.adapter.scan.response+json",
    "application/vnd.scanner.adapter.error+json",
    "application/vnd.scanner.adapter.vuln.report.harbor+json",
    "application/vnd.security.vulnerability.report",
    "application/vnd.security.sbom.report+json",
]
deserializers = {t: (lambda data, **_: json.loads(data)) for t in JSON_TYPES}
# The raw report's schema is a string: the body is text (Vigil's Trivy JSON).
deserializers["application/vnd.scanner.adapter.vuln.report.raw"] = lambda data, **_: data.decode() if isinstance(data, bytes) else data
api = OpenAPI.from_file_path(spec_path, config=Config(spec_validator_cls=None, extra_media_type_deserializers=deserializers))
failures = 0
count = 0
for line in open(exchanges_path, encoding="utf-8"):
    if not line.strip():
        continue
    count += 1
    x = json.loads(line)
    req_headers = {k: v for k, v in x.get("request_headers", {}).items()}
    req_type = req_headers.get("Content-Type", "application/json")
    args = dict(p.split("=", 1) for p in x.get("query", "").split("&") if "=" in p)
    from urllib.parse import unquote
    args = {k: unquote(v) for k, v in args.items()}
    request = MockRequest("http://localhost", x["method"].lower(), x["path"], headers=req_headers, args=args,
                          data=x.get("request_body", "").encode() if x.get("request_body") else None, content_type=req_type)
    resp_headers = x.get("response_headers", {})
    response = MockResponse(x.get("response_body", "").encode(), status_code=x["status"], headers=resp_headers,
                            content_type=resp_headers.get("Content-Type", ""))
    label = f'{x["method"]} {x["path"]} -> {x["status"]}'
    # Requests the test sent on purpose broken (400/422/501) are not valid requests: check only the answer.
    if x["status"] < 400 and x["status"] != 302:
        try:
            api.validate_request(request)
        except Exception as e:  # noqa: BLE001 - report every kind of failure
            failures += 1
            print(f"{label}: request: {e}: {getattr(e, '__cause__', '')}")
    try:
        api.validate_response(request, response)
    except Exception as e:  # noqa: BLE001
        failures += 1
        print(f"{label}: response: {e}: {getattr(e, '__cause__', '')}")
print(f"{count} exchanges, {failures} failures")
sys.exit(1 if failures or count == 0 else 0)
