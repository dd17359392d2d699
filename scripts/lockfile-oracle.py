#!/usr/bin/env python3
"""Independent readers for the lockfiles no Debian tool reads (the oracle of
Tests/IntegrationTests/LockfileInventoryTests.swift): package-lock.json (json), pnpm-lock.yaml
(PyYAML), yarn.lock (a small line reader; no yarn on this machine) and pom.xml (xml.etree).
They apply Trivy's rules (development-only packages left out, workspace links resolved, POM
versions from this file only), written separately from Vigil's Swift parsers.

usage: lockfile-oracle.py NAME PATH   # prints name@version lines, sorted
"""
import json, re, sys
name, path = sys.argv[1], sys.argv[2]
out = set()
if name == "package-lock.json":
    d = json.load(open(path))
    if d.get("lockfileVersion", 1) == 1:
        def walk(deps):
            for n, v in deps.items():
                ver = v.get("version", "")
                if ver and ":" not in ver and "/" not in ver and not v.get("dev"):
                    out.add(n + "@" + ver)
                walk(v.get("dependencies", {}))
        walk(d.get("dependencies", {}))
    else:
        pk = d.get("packages", {})
        links = {k: v["resolved"] for k, v in pk.items() if v.get("link") and v.get("resolved")}
        seen = {}
        for k, v in pk.items():
            if v.get("link"):
                continue
            for lk, tgt in links.items():
                if k == tgt or k.startswith(tgt + "/"):
                    k = lk + k[len(tgt):]
                    break
            if not k.startswith("node_modules/"):
                continue
            n = v.get("name") or k.rsplit("node_modules/", 1)[1]
            key = n + "@" + v.get("version", "")
            seen[key] = seen.get(key, True) and bool(v.get("dev"))
        out = {k for k, dev in seen.items() if not dev and not k.endswith("@")}
elif name == "pnpm-lock.yaml":
    import yaml
    d = yaml.safe_load(open(path))
    for key, v in (d.get("packages") or {}).items():
        if (v or {}).get("dev"):
            continue
        key = key.lstrip("/")
        if float(str(d.get("lockfileVersion"))) < 6:
            n, ver = key.rsplit("/", 1)
            ver = ver.split("_")[0]
        else:
            key = key.split("(")[0]
            i = key.rindex("@", 1)
            n, ver = key[:i], key[i + 1:]
        if v and v.get("name") and v.get("version"):
            n, ver = v["name"], v["version"]
        if ":" not in ver and "/" not in ver:
            out.add(n + "@" + ver)
elif name == "yarn.lock":
    entry = None
    for line in open(path):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            first = line.rstrip(":").split(",")[0].strip().strip('"')
            m = re.match(r"^(@?[^@]+)@(?:([a-z0-9+]+):)?", first)
            entry = m.group(1) if m and m.group(2) in (None, "npm") else None
        elif entry and re.match(r"^  version:? ", line):
            out.add(entry + "@" + line.split(None, 1)[1].strip('"'))
elif name == "pom.xml":
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    def val(e, tag):
        x = e.find(ns + tag) if e is not None else None
        return x.text.strip() if x is not None and x.text else None
    parent = root.find(ns + "parent")
    props = {p.tag[len(ns):]: (p.text or "").strip() for p in (root.find(ns + "properties") or [])}
    g, a, v = val(root, "groupId") or val(parent, "groupId"), val(root, "artifactId"), val(root, "version") or val(parent, "version")
    props.update({"project.groupId": g, "project.artifactId": a, "project.version": v})
    def res(s):
        for _ in range(10):
            if not s or "${" not in s:
                break
            s = re.sub(r"\$\{([^}]*)\}", lambda m: props.get(m.group(1)) or m.group(0), s)
        return None if s is None or "${" in s else s
    managed = {}
    for dep in root.findall(ns + "dependencyManagement/" + ns + "dependencies/" + ns + "dependency"):
        if res(val(dep, "version")):
            managed[res(val(dep, "groupId")) + ":" + res(val(dep, "artifactId"))] = res(val(dep, "version"))
    if res(g) and res(v):
        out.add(res(g) + ":" + a + "@" + res(v))
    for dep in root.findall(ns + "dependencies/" + ns + "dependency"):
        if val(dep, "scope") == "test":
            continue
        key = res(val(dep, "groupId")) + ":" + res(val(dep, "artifactId"))
        ver = res(val(dep, "version")) or managed.get(key)
        if ver and not any(c in ver for c in "[(,"):
            out.add(key + "@" + ver)
print("\n".join(sorted(out)))
