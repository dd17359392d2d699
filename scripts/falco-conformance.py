#!/usr/bin/env python3
"""Falco conformance check for Vigil's rules engine.

Drives `vigil rules parse` over libsinsp's filter-parser vectors and `vigil rules validate/describe`
over Falco's rule-loader vectors, then prints every failure with its reason and, as the last
line, `N passed, M failed`.

Usage: scripts/falco-conformance.py [--vigil PATH] [--vectors DIR] [--verbose]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VECTORS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "conformance", "falco", "vectors"))


# Normalised forms of the 15 AST cases: libsinsp's ast::as_string over the ASTs that upstream's
# filter_parser.ut.cpp expects (logical nodes parenthesised, consecutive `not`s kept as parsed).
EXPECTED_AST = {
    "evt.name exists and evt.type in (a, b) or proc.name=cat":
        "((evt.name exists and evt.type in (a, b)) or proc.name = cat)",
    "b64(evt.name) exists and tolower(toupper(evt.type)) in val(some.field) or proc.name=b64(tolower(some.field))":
        "((b64(evt.name) exists and tolower(toupper(evt.type)) in val(some.field)) or proc.name = b64(tolower(some.field)))",
    "not not not not not(not not(not not_macro))": "not not not_macro",
    "proc.name == oneof (cat, nginx)": "proc.name == oneof (cat, nginx)",
    "proc.name != anyof (cat, nginx)": "proc.name != anyof (cat, nginx)",
    "proc.name = allof (cat)": "proc.name = allof (cat)",
    "proc.name == oneof ()": "proc.name == oneof ()",
    "proc.name == oneof my_list": "proc.name == oneof my_list",
    "proc.name == oneof (cat, nginx) and fd.name exists": "(proc.name == oneof (cat, nginx) and fd.name exists)",
    "proc.name == anyof and fd.name exists": "(proc.name == anyof and fd.name exists)",
    "proc.name == oneof (cat) and proc.name == anyof": "(proc.name == oneof (cat) and proc.name == anyof)",
    "proc.name contains oneof (cat, nginx)": "proc.name contains oneof (cat, nginx)",
    "proc.name startswith anyof (/etc/, /tmp/)": "proc.name startswith anyof (/etc/, /tmp/)",
}


def run(vigil, args):
    p = subprocess.run([vigil] + args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def parser_suite(vigil, vectors):
    path = os.path.join(vectors, "libsinsp_filter_parser_vectors.json")
    data = json.load(open(path))["vectors"]
    passed, failures = 0, []
    for i, v in enumerate(data):
        code, out, err = run(vigil, ["rules", "parse", "--", v["filter"]])
        kind = v["kind"]
        ok = True
        reason = ""
        if kind in ("accept", "accept_ast"):
            if code != 0:
                ok, reason = False, "rejected: " + err.strip()
            elif kind == "accept_ast":
                want = EXPECTED_AST.get(v["filter"])
                if want is None:
                    ok, reason = False, "no expected normalised form recorded for this case"
                elif out.strip() != want:
                    ok, reason = False, "normalised form %r expected %r" % (out.strip(), want)
        else:
            if code == 0:
                ok, reason = False, "accepted as " + out.strip()
            elif v.get("error") and v["error"] not in err:
                ok, reason = False, "error %r lacks %r" % (err.strip(), v["error"])
        if ok:
            passed += 1
        else:
            failures.append("parser #%d %s %s %r: %s" % (i, v["test"], kind, v["filter"], reason))
    return len(data), passed, failures


def get_path(obj, path):
    # path like "rules"[0]["info"]["condition"]
    import re
    for tok in re.findall(r'"([^"]*)"|\[(\d+)\]|\["([^"]*)"\]', path):
        key = tok[0] or tok[2]
        if key:
            obj = obj[key]
        else:
            obj = obj[int(tok[1])]
    return obj


def loader_suite(vigil, vectors):
    path = os.path.join(vectors, "falco_engine_test_rule_loader.json")
    tests = json.load(open(path))["tests"]
    passed, failures = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            files = []
            for j, f in enumerate(t["rules_files"]):
                fp = os.path.join(tmp, "%s_%d.yaml" % (t["test"], j))
                with open(fp, "w") as fh:
                    fh.write(f["content"] or "")
                files.append(fp)
            expect_ok = all(f["load_ok"] for f in t["rules_files"])
            code, out, err = run(vigil, ["rules", "validate", "--json"] + files)
            reasons = []
            try:
                summary = json.loads(out)
            except ValueError:
                failures.append("loader %s: validate printed no JSON (%s)" % (t["test"], err.strip()))
                continue
            if summary["successful"] != expect_ok:
                reasons.append("load %s, expected %s (errors: %s)" % (
                    "ok" if summary["successful"] else "failed", "ok" if expect_ok else "failure", summary["errors"]))
            if (code == 0) != summary["successful"]:
                reasons.append("exit code %d does not match the load result" % code)
            describe = None
            for e in t["expect"]:
                k = e["kind"]
                if k == "error":
                    msgs = summary["errors"]
                    hit = any(e["substring"] in m for m in msgs) if e["substring"] else bool(msgs)
                    if hit != e["present"]:
                        reasons.append("error %r present=%s expected %s (errors: %s)" % (e["substring"], hit, e["present"], msgs))
                elif k == "warning":
                    msgs = summary["warnings"]
                    hit = any(e["substring"] in m for m in msgs) if e["substring"] else bool(msgs)
                    if hit != e["present"]:
                        reasons.append("warning %r present=%s expected %s (warnings: %s)" % (e["substring"], hit, e["present"], msgs))
                elif k == "has_warnings":
                    if bool(summary["warnings"]) != e["value"]:
                        reasons.append("has_warnings=%s expected %s (%s)" % (bool(summary["warnings"]), e["value"], summary["warnings"]))
                elif k == "num_enabled_rules":
                    if summary["num_enabled_rules"] != e["equals"]:
                        reasons.append("num_enabled_rules=%s expected %s" % (summary["num_enabled_rules"], e["equals"]))
                elif k == "schema_validation":
                    if summary["schema_validation"] != e["value"]:
                        reasons.append("schema %s expected %s" % (summary["schema_validation"], e["value"]))
                elif k in ("compiled_condition", "describe_json"):
                    if describe is None:
                        c, dout, derr = run(vigil, ["rules", "describe", "--json"] + files)
                        try:
                            describe = json.loads(dout)
                        except ValueError:
                            describe = {"rules": []}
                            reasons.append("describe printed no JSON (%s)" % derr.strip())
                    if k == "compiled_condition":
                        rule = next((r for r in describe["rules"] if r["info"]["name"] == e["rule"]), None)
                        got = rule["details"]["condition_compiled"] if rule else None
                        if got != e["equals"]:
                            reasons.append("compiled condition %r expected %r" % (got, e["equals"]))
                    else:
                        try:
                            got = get_path(describe, e["path"])
                        except (KeyError, IndexError, TypeError):
                            got = None
                        if got != e["equals"]:
                            reasons.append("%s = %r expected %r" % (e["path"], got, e["equals"]))
            if reasons:
                failures.append("loader %s: %s" % (t["test"], "; ".join(reasons)))
            else:
                passed += 1
    return len(tests), passed, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", default=os.environ.get("VIGIL", os.path.join(HERE, "..", ".build", "debug", "vigil")))
    ap.add_argument("--vectors", default=os.environ.get("FALCO_VECTORS", DEFAULT_VECTORS))
    args = ap.parse_args()
    if not os.path.exists(args.vigil):
        print("vigil binary not found at %s (use --vigil)" % args.vigil, file=sys.stderr)
        sys.exit(2)
    total_passed = total_failed = 0
    for name, suite in (("condition parser", parser_suite), ("rule loader", loader_suite)):
        n, p, fails = suite(args.vigil, args.vectors)
        for f in fails:
            print("FAIL " + f)
        print("%s: %d/%d passed" % (name, p, n))
        total_passed += p
        total_failed += n - p
    print("%d passed, %d failed" % (total_passed, total_failed))
    sys.exit(0 if total_failed == 0 else 1)


if __name__ == "__main__":
    main()
