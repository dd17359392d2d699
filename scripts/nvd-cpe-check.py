#!/usr/bin/env python3
"""Independent check of NVD configuration matching, for Vigil's tests.

Reads NVD CVE API 2.0 records (one `cve` object per file, or API responses with
`vulnerabilities[].cve`) and prints, one per line, the CVE ids whose configurations make the
TARGET CPE vulnerable given the ASSETS present, following NVD's definition:

* a configuration is its nodes joined by its operator (AND/OR, default OR), optionally negated;
* a node is its cpeMatch entries joined by the node operator, optionally negated;
* an entry matches an asset when every CPE attribute of the entry is ANY (`*`), or NA (`-`)
  and the asset's is NA, or equal to the asset's (case-insensitive); the version is compared
  exactly, or, when the entry's version is ANY, against versionStart/End Including/Excluding;
* the CVE applies to TARGET when some configuration holds over ASSETS+TARGET and TARGET
  matches one of that configuration's entries with `vulnerable: true` (entries with
  `vulnerable: false` are platform context only).

With --severity each line also gives the severity Trivy shows for an NVD-only finding: NVD's
CVSS v3.x baseSeverity (NVD's own `Primary` metric first), else v4.0, else the v2 severity.

usage: nvd-cpe-check.py RECORDS_DIR TARGET_CPE [--any-vendor] [--severity] [--asset CPE]...
Written separately from Vigil's Swift implementation on purpose: tests compare the two.
"""
import json
import os
import re
import sys

PRE = {"dev": 0, "snapshot": 1, "alpha": 2, "a": 2, "beta": 3, "b": 3, "pre": 4, "preview": 5, "rc": 6}


def tokens(v):
    v = v.lower()
    if v.startswith("v"):
        v = v[1:]
    out = []
    for num, word in re.findall(r"(\d+)|([a-z]+)", v):
        out.append((3, int(num)) if num else ((0, PRE[word]) if word in PRE else (2, word)))
    # `4.7` equals `4.7.0`: trailing zero numbers do not count.
    while out and out[-1] == (3, 0):
        out.pop()
    return out


def compare(a, b):
    ta, tb = tokens(a), tokens(b)
    for i in range(max(len(ta), len(tb))):
        x = ta[i] if i < len(ta) else (1, 0)  # (1, 0): the end of the version
        y = tb[i] if i < len(tb) else (1, 0)
        if x != y:
            return -1 if x < y else 1
    return 0


def split_cpe(text):
    fields, cur, esc = [], "", False
    for ch in text[len("cpe:2.3:"):]:
        if esc:
            cur += ch
            esc = False
        elif ch == "\\":
            esc = True
        elif ch == ":":
            fields.append(cur)
            cur = ""
        else:
            cur += ch
    fields.append(cur)
    return fields


def entry_matches(entry, asset, any_vendor):
    c = split_cpe(entry["criteria"])
    for i in range(11):
        if i == 3 or (i == 1 and any_vendor):
            continue
        if c[i] == "*":
            continue
        if c[i] == "-":
            if asset[i] != "-":
                return False
            continue
        if c[i].lower() != asset[i].lower():
            return False
    version = asset[3]
    if c[3] == "-":
        return version == "-"
    if c[3] != "*":
        return c[3].lower() == version.lower()
    bounds = [k for k in ("versionStartIncluding", "versionStartExcluding", "versionEndIncluding", "versionEndExcluding") if entry.get(k)]
    if bounds and version in ("*", "-"):
        return False
    if entry.get("versionStartIncluding") and compare(version, entry["versionStartIncluding"]) < 0:
        return False
    if entry.get("versionStartExcluding") and compare(version, entry["versionStartExcluding"]) <= 0:
        return False
    if entry.get("versionEndIncluding") and compare(version, entry["versionEndIncluding"]) > 0:
        return False
    if entry.get("versionEndExcluding") and compare(version, entry["versionEndExcluding"]) >= 0:
        return False
    return True


def node_holds(node, assets, target, any_vendor):
    results = [any(entry_matches(e, a, any_vendor and a == target) for a in assets) for e in node.get("cpeMatch", [])]
    value = (bool(results) and all(results)) if node.get("operator", "OR").upper() == "AND" else any(results)
    return not value if node.get("negate") else value


def configuration_affects(cfg, assets, target, any_vendor):
    nodes = cfg.get("nodes", [])
    if not any(e.get("vulnerable") and entry_matches(e, target, any_vendor) for n in nodes for e in n.get("cpeMatch", [])):
        return False
    values = [node_holds(n, assets, target, any_vendor) for n in nodes]
    value = (bool(values) and all(values)) if cfg.get("operator", "OR").upper() == "AND" else any(values)
    return not value if cfg.get("negate") else value


def records(directory):
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(root, name)) as f:
                data = json.load(f)
            if "vulnerabilities" in data:
                for item in data["vulnerabilities"]:
                    yield item["cve"]
            elif "sourceIdentifier" in data and "id" in data:
                yield data


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    directory, target_text = argv[1], argv[2]
    any_vendor, severity, assets_text, i = False, False, [], 3
    while i < len(argv):
        if argv[i] == "--any-vendor":
            any_vendor = True
        elif argv[i] == "--severity":
            severity = True
        elif argv[i] == "--asset":
            i += 1
            assets_text.append(argv[i])
        i += 1
    target = split_cpe(target_text)
    assets = [split_cpe(a) for a in assets_text]
    if target not in assets:
        assets.append(target)
    hits = {}
    for cve in records(directory):
        if cve.get("vulnStatus") == "Rejected":
            continue
        if any(configuration_affects(c, assets, target, any_vendor) for c in cve.get("configurations", [])):
            hits[cve["id"]] = nvd_severity(cve.get("metrics", {}))
    for h in sorted(hits):
        print(f"{h} {hits[h]}" if severity else h)


def nvd_severity(metrics):
    def pick(key):
        entries = metrics.get(key, [])
        primary = [m for m in entries if m.get("type") == "Primary"]
        return (primary or entries or [None])[0]
    for key in ("cvssMetricV31", "cvssMetricV30", "cvssMetricV40"):
        m = pick(key)
        if m and m.get("cvssData", {}).get("baseSeverity"):
            return m["cvssData"]["baseSeverity"].upper()
    m = pick("cvssMetricV2")
    if m:
        return (m.get("baseSeverity") or m.get("cvssData", {}).get("baseSeverity") or "UNKNOWN").upper()
    return "UNKNOWN"


if __name__ == "__main__":
    main(sys.argv)
