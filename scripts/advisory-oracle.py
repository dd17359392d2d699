#!/usr/bin/env python3
"""Independent evaluation of the language advisory feeds, for Vigil's matcher tests.

Reads the GitHub Advisory Database (OSV JSON), RubySec YAML, FriendsOfPHP YAML and Node.js
security WG JSON the way their own documentation defines matching, with univers' version
classes and ranges (PyPI) — no Vigil code — and prints, for a deterministic sample of
(ecosystem, package, version) triples drawn from the advisories' own bounds, the ids a scanner
must report: one per vulnerability, the CVE preferred (Trivy's rule), the feed's own id when it
names no CVE, and a GHSA/feed id dropped when a matching CVE-filed advisory names it.

Output: one JSON object per line: {"ecosystem", "package", "version", "ids": [...], "twins": [...],
"reference": [...] or null}, `twins` being the reported ids that advisories of more than one feed
matched (GHSA and RubySec…), `reference` the ids the ecosystem's own implementation gives
(node-semver with includePrerelease as Trivy calls it, Composer's Semver, RubyGems; Debian's
packages) where univers is known to differ from it, null when that tool is absent.
Usage: scripts/advisory-oracle.py FEEDS_DIR [--per-package N] [--seed S]
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys

import yaml
from univers import gem
from univers.version_range import NpmVersionRange
from univers.versions import (ComposerVersion, GolangVersion, MavenVersion, NugetVersion, PypiVersion,
                              RubygemsVersion, SemverVersion)

VERSION_CLASS = {"npm": SemverVersion, "Maven": MavenVersion, "RubyGems": RubygemsVersion,
                 "Packagist": ComposerVersion, "NuGet": NugetVersion, "Go": GolangVersion, "PyPI": PypiVersion}
NAME_RULE = {"PyPI": lambda n: re.sub(r"[-_.]+", "-", n).lower(), "Go": lambda n: n}


def norm(eco, name):
    return NAME_RULE.get(eco, str.lower)(name)


def version(eco, text):
    try:
        return VERSION_CLASS[eco](text.strip().lstrip("v") if eco in ("npm", "Go") else text.strip())
    except Exception:
        return None


def ids_for(own, others):
    """CVE ids first (each its own finding), own id as vendor id; else own id."""
    cves = [own] if own.startswith("CVE-") else [i for i in dict.fromkeys(others) if i.startswith("CVE-")]
    if not cves or own.startswith("CVE-"):
        return [own], None
    return cves, own


class Advisory:
    def __init__(self, eco, package, ids, vendor, test):
        self.eco, self.package, self.ids, self.vendor, self.test = eco, package, ids, vendor, test
        self.bounds = []
        self.feed = None
        # The ecosystem's own implementation (node-semver, Composer's Semver, RubyGems), used
        # to explain a disagreement with univers: requests for version v, then the decision.
        self.ref_requests = None
        self.ref_decide = None


def osv_advisories(root):
    out = []
    for path in glob.glob(os.path.join(root, "**", "*.json"), recursive=True):
        rec = json.load(open(path))
        if "affected" not in rec or rec.get("withdrawn"):
            continue
        ids, vendor = ids_for(rec["id"], rec.get("aliases") or [])
        for aff in rec["affected"]:
            eco = aff["package"]["ecosystem"]
            if eco not in VERSION_CLASS:
                continue
            intervals = []
            for rng in aff.get("ranges") or []:
                if rng["type"] not in ("ECOSYSTEM", "SEMVER"):
                    continue
                lo = None
                for ev in rng["events"]:
                    if "introduced" in ev:
                        lo = ev["introduced"]
                    elif "fixed" in ev:
                        intervals.append((lo, ev["fixed"], False)); lo = None
                    elif "last_affected" in ev:
                        intervals.append((lo, ev["last_affected"], True)); lo = None
                if lo is not None:
                    intervals.append((lo, None, False))
            listed = [v for v in aff.get("versions") or []]

            def test(v, eco=eco, intervals=intervals, listed=listed):
                x = version(eco, v)
                if x is None:
                    return False
                if any(version(eco, l) == x for l in listed):
                    return True
                for lo, hi, inclusive in intervals:
                    if lo not in (None, "0") and x < version(eco, lo):
                        continue
                    if hi is None or (x <= version(eco, hi) if inclusive else x < version(eco, hi)):
                        return True
                return False
            a = Advisory(eco, norm(eco, aff["package"]["name"]), ids, vendor, test)
            a.bounds = [b for iv in intervals for b in iv[:2] if b not in (None, "0")] + listed
            if eco in REFERENCE_SCHEME:
                scheme = REFERENCE_SCHEME[eco]

                def requests(v, intervals=intervals, listed=listed, scheme=scheme):
                    bounds = listed + [b for iv in intervals for b in iv[:2] if b not in (None, "0")]
                    return [("cmp", scheme, v, b) for b in bounds]

                def decide(v, answers, intervals=intervals, listed=listed):
                    it = iter(answers)
                    if any(next(it) == "0" for _ in listed):
                        return True
                    for lo, hi, inclusive in intervals:
                        lo_ok = True if lo in (None, "0") else next(it) in ("0", "1")
                        if hi is None:
                            if lo_ok:
                                return True
                            continue
                        c = next(it)
                        if lo_ok and (c in ("-1", "0") if inclusive else c == "-1"):
                            return True
                    return False
                a.ref_requests, a.ref_decide = requests, decide
            out.append(a)
    return out


def rubysec_advisories(root):
    out = []
    for path in glob.glob(os.path.join(root, "gems", "*", "*.yml")):
        rec = yaml.safe_load(open(path))
        cve = "CVE-%s" % rec["cve"] if rec.get("cve") else None
        ghsa = "GHSA-%s" % rec["ghsa"] if rec.get("ghsa") else None
        osvdb = "OSVDB-%s" % rec["osvdb"] if rec.get("osvdb") else None
        own = ghsa or osvdb or cve or os.path.basename(path).split(".")[0]
        ids, vendor = ids_for(own, [i for i in (cve, ghsa, osvdb) if i and i != own])
        reqs = [str(r) for r in (rec.get("patched_versions") or []) + (rec.get("unaffected_versions") or [])]
        # univers' Gem::Requirement port (GemVersionRange's vers form rejects `~> 7.0.8, >= 7.0.8.5`).
        ranges = [gem.GemRequirement.from_string(r) for r in reqs]

        def test(v, ranges=ranges):
            try:
                x = gem.GemVersion(v)
            except Exception:
                return False
            return not any(r.satisfied_by(x) for r in ranges)
        a = Advisory("RubyGems", norm("RubyGems", rec["gem"]), ids, vendor, test)
        a.bounds = [m for r in reqs for m in re.findall(r"\d[0-9A-Za-z.\-]*", r)]
        a.ref_requests = lambda v, reqs=reqs: [("range", "rubygems", r, v) for r in reqs]
        a.ref_decide = lambda v, answers: not any(x == "1" for x in answers)
        out.append(a)
    return out


OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b,
       "==": lambda a, b: a == b, "=": lambda a, b: a == b, "": lambda a, b: a == b}


def friendsofphp_advisories(root):
    out = []
    for path in glob.glob(os.path.join(root, "*", "*", "*.yaml")):
        rec = yaml.safe_load(open(path))
        package = norm("Packagist", rec["reference"][len("composer://"):])
        stem = os.path.basename(path).rsplit(".", 1)[0]
        cve = rec.get("cve") or None
        own = cve or (stem if stem.startswith(("GHSA-", "CVE-")) else "PHPSA-%s-%s" % (package, stem))
        ids, vendor = ids_for(own, [cve] if cve else [])
        branches = []
        for b in (rec.get("branches") or {}).values():
            parts = []
            for c in b["versions"]:
                m = re.match(r"\s*(>=|<=|==|=|>|<)?\s*(.+?)\s*$", str(c))
                parts.append((m.group(1) or "", m.group(2)))
            branches.append(parts)

        def test(v, branches=branches):
            x = version("Packagist", v)
            if x is None:
                return False
            return any(all(OPS[op](x, version("Packagist", b)) for op, b in parts) for parts in branches)
        a = Advisory("Packagist", package, ids, vendor, test)
        a.bounds = [b for parts in branches for _, b in parts]
        joined = [",".join(str(c) for c in b["versions"]) for b in (rec.get("branches") or {}).values()]
        a.ref_requests = lambda v, joined=joined: [("range", "composer", j, v) for j in joined]
        a.ref_decide = lambda v, answers: any(x == "1" for x in answers)
        out.append(a)
    return out


def nswg_advisories(root):
    out = []
    for path in glob.glob(os.path.join(root, "vuln", "npm", "*.json")):
        rec = json.load(open(path))
        own = "NSWG-ECO-%d" % rec["id"]
        ids, vendor = ids_for(own, rec.get("cves") or [])
        if vendor is None and ids != [own]:
            vendor = own
        def alternatives(text):
            text = (text or "").strip()
            # One vers range per `||` alternative: univers' vers form of a whole union loses it.
            return [NpmVersionRange.from_native(alt.strip()) for alt in text.split("||")] if text else None
        vuln, patched = alternatives(rec.get("vulnerable_versions")), alternatives(rec.get("patched_versions"))

        def test(v, vuln=vuln, patched=patched):
            x = version("npm", v)
            if x is None:
                return False
            return (vuln is None or any(x in r for r in vuln)) and not (patched is not None and any(x in r for r in patched))
        a = Advisory("npm", norm("npm", rec["module_name"]), ids, vendor, test)
        texts = [(rec.get(k) or "").strip() for k in ("vulnerable_versions", "patched_versions")]
        a.ref_requests = lambda v, texts=texts: [("range", "npm", t, v) for t in texts if t]

        def ref_decide(v, answers, texts=texts):
            it = iter(answers)
            vulnerable = next(it) == "1" if texts[0] else True
            patched = next(it) == "1" if texts[1] else False
            return vulnerable and not patched
        a.ref_decide = ref_decide
        a.bounds = re.findall(r"\d+\.\d+\.\d+[0-9A-Za-z.\-]*", (rec.get("vulnerable_versions") or "") + " " + (rec.get("patched_versions") or ""))
        out.append(a)
    return out


REFERENCE_SCHEME = {"npm": "npm", "Packagist": "composer", "RubyGems": "rubygems"}
HERE = os.path.dirname(os.path.abspath(__file__))
# node-semver as Trivy's npm comparer calls it: includePrerelease, so 3.0.0-rc.1 is in `<3.4.0`.
NPM_REFERENCE = r"""
const semver = require('/usr/share/nodejs/semver');
const out = [];
for (const line of require('fs').readFileSync(0, 'utf8').split('\n')) {
  if (!line) continue;
  const f = line.split('\t');
  try {
    if (f[0] === 'cmp') out.push(String(new semver.SemVer(f[2]).compare(new semver.SemVer(f[3]))));
    else out.push(new semver.Range(f[2], { includePrerelease: true }).test(f[3]) ? '1' : '0');
  } catch (e) { out.push('X'); }
}
process.stdout.write(out.join('\n') + '\n');
"""


def reference_tools():
    tools = {}
    if os.path.exists("/usr/share/nodejs/semver/index.js"):
        tools["npm"] = ["node", "-e", NPM_REFERENCE]
    if os.path.exists("/usr/share/php/Composer/Semver/autoload.php"):
        tools["composer"] = ["php", os.path.join(HERE, "versions-crosscheck", "composer.php")]
    if shutil.which("ruby"):
        tools["rubygems"] = ["ruby", os.path.join(HERE, "versions-crosscheck", "gem.rb")]
    return tools


def run_tool(cmd, requests):
    data = "".join("\t".join(r) + "\n" for r in requests)
    p = subprocess.run(cmd, input=data.encode(), capture_output=True,
                       env=dict(os.environ, NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs"))
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (cmd[0], p.stderr.decode()[:2000]))
    lines = p.stdout.decode().split("\n")[: len(requests)]
    if len(lines) != len(requests):
        sys.exit("%s answered %d of %d requests" % (cmd[0], len(lines), len(requests)))
    return lines


def ids_of(matched):
    """The ids to report for the matched advisories, and those more than one feed matched."""
    ids = {i for a in matched for i in a.ids}
    vendors = {}
    for a in matched:
        if a.vendor and any(i.startswith("CVE-") for i in a.ids):
            vendors.setdefault(a.vendor, set()).update(i for i in a.ids if i.startswith("CVE-"))
    reported = sorted(i for i in ids if i.startswith("CVE-") or i not in vendors)
    feeds = {}
    for a in matched:
        for i in a.ids:
            for target in ([i] if i in reported else sorted(vendors.get(i, ()))):
                feeds.setdefault(target, set()).add(a.feed)
    return reported, sorted(i for i, f in feeds.items() if len(f) > 1)


def expected(advisories, v):
    """The ids univers' evaluation reports for version v, and the twins among them."""
    return ids_of([a for a in advisories if a.test(v)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("feeds")
    p.add_argument("--per-package", type=int, default=6)
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args()
    f = args.feeds
    advisories = []
    for feed, reader in [("ghsa", osv_advisories), ("go-osv", osv_advisories), ("rubysec", rubysec_advisories),
                         ("composer-friendsofphp", friendsofphp_advisories), ("nodejs-security-wg", nswg_advisories)]:
        for a in reader(os.path.join(f, feed)):
            a.feed = feed
            advisories.append(a)
    by_package = {}
    for a in advisories:
        by_package.setdefault((a.eco, a.package), []).append(a)
    r = random.Random(args.seed)
    rows = []
    for key in sorted(by_package):
        eco, package = key
        candidates = sorted({b for a in by_package[key] for b in a.bounds if version(eco, b) is not None})
        for v in r.sample(candidates, min(args.per_package, len(candidates))):
            try:
                ids, twins = expected(by_package[key], v)
            except Exception as e:  # univers cannot evaluate one of the ranges: no oracle for this triple
                print("skipped %s %s %s: %s" % (eco, package, v, e), file=sys.stderr)
                continue
            rows.append({"ecosystem": eco, "package": package, "version": v, "ids": ids, "twins": twins,
                         "reference": None})
    # The ecosystems' own implementations, in one batch per tool.
    tools = reference_tools()
    pending = {}
    for row in rows:
        advisories = by_package[(row["ecosystem"], row["package"])]
        if any(a.ref_requests is None or REFERENCE_SCHEME.get(a.eco) not in tools for a in advisories):
            continue
        row["_requests"] = [a.ref_requests(row["version"]) for a in advisories]
        for reqs in row["_requests"]:
            for req in reqs:
                pending.setdefault(req[1], []).append(req)
    answers = {scheme: iter(run_tool(tools[scheme], reqs)) for scheme, reqs in pending.items()}
    for row in rows:
        requests = row.pop("_requests", None)
        if requests is not None:
            advisories = by_package[(row["ecosystem"], row["package"])]
            matched = [a for a, reqs in zip(advisories, requests)
                       if a.ref_decide(row["version"], [next(answers[req[1]]) for req in reqs])]
            row["reference"] = ids_of(matched)[0]
        print(json.dumps(row))

if __name__ == "__main__":
    sys.exit(main())
