#!/usr/bin/env python3
"""Package.swift declares exactly what each target imports.

For every target of `swift package dump-package`, compares the modules its Swift (and C) sources
import with the dependencies it declares:
  - imported but not declared: the target compiles only because another dependency happens to
    bring the module along (what MemberImportVisibility and SwiftPM's explicit-module builds reject);
  - declared but not imported: a dependency edge the code does not need (it slows builds and
    hides the real module graph in docs/ARCHITECTURE.md).
Also checks that VigilCLI imports none of the modules the command line must not reach (the engines
own their pipelines: ContainerImage, Analyzers, CLibBPF, CVigilBPF, GRDB).

Exit 1 with one line per problem; `--graph` prints the target graph (target: dependencies).
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Modules of the toolchain and the OS, never declared in Package.swift.
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization",
          "Testing", "XCTest", "os", "_Concurrency", "Swift", "SwiftShims", "RegexBuilder", "CoreFoundation"}
# Products of package dependencies: product name -> module names it provides.
PRODUCT_MODULES = {"ArgumentParser": {"ArgumentParser"}, "Crypto": {"Crypto"}, "GRDB": {"GRDB", "GRDBSQLite"}, "Yams": {"Yams"},
                   "PropertyBased": {"PropertyBased"}, "AsyncHTTPClient": {"AsyncHTTPClient"},
                   "ZIPFoundation": {"ZIPFoundation"}}
FORBIDDEN_IN_CLI = {"ContainerImage", "Analyzers", "CLibBPF", "CVigilBPF", "GRDB"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|public\s+|internal\s+|package\s+)*import\s+"
                    r"(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def target_dir(t):
    if t.get("path"):
        return os.path.join(ROOT, t["path"])
    base = "Tests" if t["type"] == "test" else "Sources"
    return os.path.join(ROOT, base, t["name"])


def imports_of(directory, excluded):
    found = set()
    for dirpath, dirnames, files in os.walk(directory):
        dirnames[:] = [d for d in dirnames if os.path.relpath(os.path.join(dirpath, d), directory) not in excluded]
        for f in files:
            if f.endswith(".swift"):
                text = open(os.path.join(dirpath, f), encoding="utf-8", errors="replace").read()
                # imports inside #if blocks for other platforms count too: they name real modules
                found.update(IMPORT.findall(text))
    return found


def declared(t):
    """Each declared dependency as (name, the modules it makes importable)."""
    out = []
    for dep in t.get("dependencies", []):
        if "byName" in dep:
            out.append((dep["byName"][0], {dep["byName"][0]}))
        elif "target" in dep:
            out.append((dep["target"][0], {dep["target"][0]}))
        elif "product" in dep:
            name = dep["product"][0]
            out.append((name, PRODUCT_MODULES.get(name, {name})))
    return out


def check_architecture_table(graph):
    """docs/ARCHITECTURE.md's map names every target with Package.swift's dependencies."""
    doc = os.path.join(ROOT, "docs", "ARCHITECTURE.md")
    rows = {}
    for line in open(doc, encoding="utf-8"):
        m = re.match(r"^\| `([A-Za-z-]+)`(?: \(`[^`]*`\))? \| .* \| ([^|]*) \|$", line.rstrip("\n"))
        if m:
            rows[m.group(1)] = {d.strip() for d in m.group(2).split(",") if d.strip() not in ("", "—")}
    problems = []
    for name, deps in graph.items():
        if name.endswith("Tests") or name == "TestSupport":
            continue
        if name not in rows:
            problems.append(f"docs/ARCHITECTURE.md: no row for target {name}")
        elif rows[name] != set(deps):
            problems.append(f"docs/ARCHITECTURE.md: {name} depends on {', '.join(sorted(deps)) or '—'} "
                            f"(the table says {', '.join(sorted(rows[name])) or '—'})")
    return problems


def main():
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                        capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in package["targets"]}
    problems = []
    graph = {}
    for name, t in sorted(targets.items()):
        if t["type"] == "system":
            continue
        d = target_dir(t)
        if not os.path.isdir(d):
            continue
        used = imports_of(d, set(t.get("exclude", []))) - SYSTEM - {name}
        decl = declared(t)
        graph[name] = sorted(n for n, _ in decl)
        importable = set().union(*(modules for _, modules in decl)) if decl else set()
        for m in sorted(used - importable):
            problems.append(f"{name}: imports {m} but Package.swift does not declare it")
        # a C target has no Swift imports; its declared system libraries are used from C
        if any(f.endswith(".swift") for _, _, fs in os.walk(d) for f in fs):
            for dep, modules in decl:
                if not modules & used:
                    problems.append(f"{name}: declares {dep} but no source file imports it")
    problems += check_architecture_table(graph)
    cli = imports_of(target_dir(targets["VigilCLI"]), set()) if "VigilCLI" in targets else set()
    for m in sorted(cli & FORBIDDEN_IN_CLI):
        problems.append(f"VigilCLI: imports {m} (the command line calls engines; it must not reach {m})")
    if "--graph" in sys.argv:
        for name, deps in graph.items():
            print(f"{name}: {', '.join(deps)}")
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"imports match Package.swift ({len(graph)} targets)", file=sys.stderr)


if __name__ == "__main__":
    main()
