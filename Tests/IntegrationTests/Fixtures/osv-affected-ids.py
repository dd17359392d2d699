#!/usr/bin/env python3
"""Prints the OSV advisories (one per line) that affect one package version, read from
the advisory files under FEED_DIR, with univers's version classes as the independent range
implementation: Maven → MavenVersion, Go → GolangVersion (module and `stdlib` versions with or
without their `v`). `ECOSYSTEM` and `SEMVER` ranges are evaluated event by event as OSV defines
them (introduced / fixed / last_affected); explicit `versions` lists count too. Withdrawn
advisories are skipped.

Each line: the advisory id, then its aliases (CVE ids), space-separated.

usage: osv-affected-ids.py FEED_DIR ECOSYSTEM NAME VERSION
"""
import json
import os
import sys

from univers.versions import GolangVersion, MavenVersion

CLASSES = {"Maven": MavenVersion, "Go": GolangVersion}


def parse(cls, text):
    if cls is GolangVersion and not text.startswith("v"):
        text = "v" + text
    return cls(text)


def affected(entry, cls, version):
    v = parse(cls, version)
    if any(parse(cls, x) == v for x in entry.get("versions", []) if x):
        return True
    for r in entry.get("ranges", []):
        if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        inside = False
        # events sorted by version, as OSV evaluates them
        events = []
        for e in r.get("events", []):
            (kind, value), = e.items()
            if kind == "limit":
                continue
            events.append((None if value == "0" else parse(cls, value), kind))
        events.sort(key=lambda e: (0,) if e[0] is None else (1, e[0]))
        for ev, kind in events:
            if kind == "introduced" and (ev is None or v >= ev):
                inside = True
            elif kind == "fixed" and v >= ev:
                inside = False
            elif kind == "last_affected" and v > ev:
                inside = False
        if inside:
            return True
    return False


def main(feed, ecosystem, name, version):
    cls = CLASSES[ecosystem]
    for dirpath, _, files in os.walk(feed):
        for f in sorted(files):
            if not f.endswith(".json"):
                continue
            doc = json.load(open(os.path.join(dirpath, f)))
            if "id" not in doc or doc.get("withdrawn"):
                continue
            for entry in doc.get("affected", []):
                pkg = entry.get("package", {})
                if pkg.get("ecosystem") == ecosystem and pkg.get("name") == name and affected(entry, cls, version):
                    print(doc["id"], *sorted(doc.get("aliases", [])))
                    break


if __name__ == "__main__":
    main(*sys.argv[1:5])
