#!/usr/bin/env python3
"""Independent readers for the lockfiles no Debian tool reads (the oracle of
Tests/IntegrationTests/LockfileInventoryTests.swift): package-lock.json (json), pnpm-lock.yaml
(PyYAML), yarn.lock (a small line reader, with the package.json beside the original file deciding
development dependencies; no yarn on this machine) and pom.xml (xml.etree).
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
    import os
    # entries: [name, version, patterns, dependency patterns]; patterns without "npm:".
    def norm(p):
        m = re.match(r"^(@?[^@]+)@npm:(.*)$", p)
        return m.group(1) + "@" + m.group(2) if m else p
    entries, entry, deps_block = [], None, False
    for line in open(path):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            pats = [p.strip().strip('"') for p in line.rstrip(":").split(",")]
            m = re.match(r"^(@?[^@]+)@(?:([a-z0-9+]+):)?", pats[0])
            entry = [m.group(1), None, [norm(p) for p in pats], []] if m and m.group(2) in (None, "npm") else None
            if entry:
                entries.append(entry)
            deps_block = False
        elif entry and re.match(r"^  \S", line):
            deps_block = line.strip() in ("dependencies:", "optionalDependencies:")
            if re.match(r"^  version:? ", line):
                entry[1] = line.split(None, 1)[1].strip('"')
        elif entry and deps_block and re.match(r"^    \S", line):
            m = re.match(r'^\s+"?([^":\s]+(?:/[^":\s]+)?)"?:?\s+"?([^"]*)"?$', line)
            if m:
                entry[3].append(norm(m.group(1) + "@" + m.group(2)))
    manifest = os.path.join(os.path.dirname(path), "package.json")
    keep = entries
    if os.path.exists(manifest):
        pj = json.load(open(manifest))
        if "workspaces" not in pj:
            index = {p: i for i, e in enumerate(entries) for p in e[2]}
            todo = [norm(n + "@" + r) for s in ("dependencies", "optionalDependencies", "peerDependencies") for n, r in pj.get(s, {}).items()]
            seen = set()
            while todo:
                i = index.get(todo.pop())
                if i is None or i in seen:
                    continue
                seen.add(i)
                todo += entries[i][3]
            keep = [entries[i] for i in sorted(seen)]
    out = {e[0] + "@" + e[1] for e in keep}
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
