#!/usr/bin/env python3
"""Independent expectations for Vigil's installed-language analyzers (Trivy's rules, written
again from the formats' own tools), used by Tests/IntegrationTests/InstalledLanguageTests.swift.

usage: language-expectations.py ROOTFS [GHSA_DIR]

Prints JSON: {"packages": [[type, name, version, path, purl], ...], "unreadable": [path, ...],
"findings": [[name, version, ghsa_id], ...], "aliases": {id: ghsa_id}}.
  - node-pkg: every package.json, read with Python's json; name and version must be non-empty
    strings and the name npm's URL-safe form (Trivy's rule); a file json cannot read is
    "unreadable".
  - gemspec: */specifications/*.gemspec loaded by RubyGems itself (`ruby`, Gem::Specification.load).
  - dotnet-core: *.deps.json, libraries of type package, minus those the runtime target lists
    without runtime/runtimeTargets/native assets.
  - PURLs from packageurl-python; findings from the GHSA OSV files with univers' version classes
    (OSV event evaluation), withdrawn advisories left out.
Needs the PyPI packages univers and packageurl-python.
"""
import json
import os
import re
import subprocess
import sys

from packageurl import PackageURL

NPM_NAME = re.compile(r"^(@[A-Za-z0-9-._]+/)?[A-Za-z0-9-._]+$")


def walk(root):
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(base, f)
            if os.path.isfile(full) and not os.path.islink(full):
                yield os.path.relpath(full, root), full


def purl(kind, name, version):
    if kind == "node-pkg":
        lowered = name.lower()
        ns, _, n = lowered.rpartition("/")
        return PackageURL(type="npm", namespace=ns or None, name=n, version=version).to_string()
    if kind == "gemspec":
        return PackageURL(type="gem", name=name, version=version).to_string()
    return PackageURL(type="nuget", name=name, version=version).to_string()


def main():
    root = sys.argv[1]
    packages, unreadable, gemspecs = [], [], []
    for rel, full in walk(root):
        base = os.path.basename(rel)
        if base == "package.json":
            try:
                with open(full, "rb") as fh:
                    doc = json.load(fh)
            except ValueError:
                unreadable.append(rel)
                continue
            if not isinstance(doc, dict):
                unreadable.append(rel)
                continue
            name, version = doc.get("name") or "", doc.get("version") or ""
            if not isinstance(name, str) or not isinstance(version, str) or (name and not NPM_NAME.match(name)):
                unreadable.append(rel)
                continue
            if name and version:
                packages.append(["node-pkg", name, version, rel])
        elif base.endswith(".gemspec") and os.path.basename(os.path.dirname(rel)) == "specifications":
            gemspecs.append((rel, full))
        elif base.endswith(".deps.json") and len(base) > len(".deps.json"):
            with open(full, "rb") as fh:
                doc = json.load(fh)
            target = (doc.get("targets") or {}).get((doc.get("runtimeTarget") or {}).get("name"))
            for key, lib in (doc.get("libraries") or {}).items():
                parts = key.split("/")
                if str(lib.get("type", "")).lower() != "package" or len(parts) != 2:
                    continue
                if target is not None and key in target and not any(target[key].get(k) is not None for k in ("runtime", "runtimeTargets", "native")):
                    continue
                packages.append(["dotnet-core", parts[0], parts[1], rel])
    if gemspecs:
        script = 'ARGV.each { |f| s = Gem::Specification.load(f); puts [s.name, s.version.to_s].join("\\t") }'
        out = subprocess.run(["ruby", "-e", script] + [full for _, full in gemspecs], check=True, capture_output=True, text=True).stdout
        for (rel, _), line in zip(gemspecs, out.splitlines()):
            name, version = line.split("\t")
            packages.append(["gemspec", name, version, rel])
    for p in packages:
        p.append(purl(p[0], p[1], p[2]))
    findings, aliases = [], {}
    if len(sys.argv) > 2:
        findings, aliases = advisories(sys.argv[2], packages)
    json.dump({"packages": sorted(packages), "unreadable": unreadable, "findings": sorted(findings), "aliases": aliases}, sys.stdout)


def advisories(directory, packages):
    from univers.versions import ComposerVersion, NugetVersion, RubygemsVersion, SemverVersion

    classes = {"npm": SemverVersion, "RubyGems": RubygemsVersion, "NuGet": NugetVersion, "Packagist": ComposerVersion}
    ecosystem = {"node-pkg": "npm", "gemspec": "RubyGems", "dotnet-core": "NuGet"}
    installed = {}
    for kind, name, version, _, _ in packages:
        installed.setdefault((ecosystem[kind], name), set()).add(version)
    findings, aliases = set(), {}
    for rel, full in walk(directory):
        if not rel.endswith(".json"):
            continue
        with open(full, "rb") as fh:
            adv = json.load(fh)
        if "id" not in adv or adv.get("withdrawn"):
            continue
        for a in adv.get("aliases") or []:
            aliases[a] = adv["id"]
        aliases[adv["id"]] = adv["id"]
        for affected in adv.get("affected") or []:
            pkg = affected.get("package") or {}
            eco, name = pkg.get("ecosystem"), pkg.get("name")
            vc = classes.get(eco)
            if vc is None:
                continue
            for version in installed.get((eco, name), ()):
                v = vc(version)
                hit = version in (affected.get("versions") or [])
                for r in affected.get("ranges") or []:
                    if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
                        continue
                    vulnerable = False
                    for event in r.get("events") or []:
                        if "introduced" in event and (event["introduced"] == "0" or v >= vc(event["introduced"])):
                            vulnerable = True
                        if "fixed" in event and v >= vc(event["fixed"]):
                            vulnerable = False
                        if "last_affected" in event and v > vc(event["last_affected"]):
                            vulnerable = False
                    hit = hit or vulnerable
                if hit:
                    findings.add((name, version, adv["id"]))
    return [list(f) for f in findings], aliases


if __name__ == "__main__":
    main()
