#!/usr/bin/env python3
"""Generates a vulnerability feed set shaped like the real ones, at their real sizes, for
Benchmarks/feed-scale.sh:

  nvd/nvdcve-2.0-YYYY.json   NVD API 2.0 yearly feeds, N_NVD CVE records in all (default 400,000),
                             more per year as the years go on, as NVD's are; each with an English
                             and a Spanish description, a CVSS v3.1 metric, CWE weaknesses, 1-2
                             configurations of 1-6 CPE criteria with version ranges, 2-8 references
  ghsa/advisories/github-reviewed/YYYY/MM/GHSA-…/GHSA-….json
                             N_OSV OSV advisories (default 250,000) in the GitHub Advisory
                             Database's layout, across npm, Maven, PyPI, Packagist, Go, RubyGems,
                             NuGet and crates.io; most alias one of the NVD CVEs, as real ones do;
                             Markdown details, CVSS vector, 1-3 affected packages with 1-2 ranges

Package names come from a pool per ecosystem in which a few real names (django, jinja2,
golang.org/x/net, tokio…) carry a realistic share, so a scan of the test fixtures meets as many
advisories in the big database as in a real one. Deterministic for a given --seed.

Usage: Benchmarks/gen-feeds.py OUT_DIR [--nvd N] [--osv N] [--seed S]
"""
import argparse
import json
import os
import random

WORDS = ("allows remote attackers to execute arbitrary code via crafted input in the parser when "
         "handling malformed requests leading to denial of service memory corruption buffer overflow "
         "cross site scripting injection authentication bypass information disclosure privilege "
         "escalation improper validation of user supplied data in component module function").split()
ECOSYSTEMS = [("npm", 0.35), ("Maven", 0.20), ("PyPI", 0.12), ("Packagist", 0.10), ("Go", 0.08),
              ("RubyGems", 0.05), ("NuGet", 0.05), ("crates.io", 0.05)]
REAL = {"PyPI": ["django", "jinja2", "pyyaml", "requests", "flask"], "Go": ["golang.org/x/net", "golang.org/x/crypto", "golang.org/x/text"],
        "crates.io": ["tokio", "smallvec"], "npm": ["lodash", "express"], "Maven": ["org.apache.logging.log4j:log4j-core"],
        "RubyGems": ["rack"], "Packagist": ["symfony/symfony"], "NuGet": ["Newtonsoft.Json"]}


def text(r, lo, hi):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def name(r, eco, i):
    if r.random() < 0.002:
        return r.choice(REAL[eco])
    n = r.randint(0, 60000)
    return {"Maven": "org.example%d:artifact-%d" % (n % 997, n), "Go": "github.com/example%d/module-%d" % (n % 997, n),
            "Packagist": "vendor%d/package-%d" % (n % 997, n)}.get(eco, "package-%d" % n)


def version(r):
    return "%d.%d.%d" % (r.randint(0, 12), r.randint(0, 30), r.randint(0, 40))


def nvd_record(r, cve, year):
    vendor, product = "vendor%d" % r.randint(0, 20000), "product%d" % r.randint(0, 60000)
    configurations = []
    for _ in range(r.randint(1, 2)):
        matches = []
        for _ in range(r.randint(1, 6)):
            m = {"vulnerable": True, "criteria": "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*:*" % (vendor, product),
                 "matchCriteriaId": "%08X-%04X-%04X-%04X-%012X" % tuple(r.getrandbits(b) for b in (32, 16, 16, 16, 48))}
            if r.random() < 0.7:
                m["versionEndExcluding"] = version(r)
            if r.random() < 0.3:
                m["versionStartIncluding"] = version(r)
            matches.append(m)
        configurations.append({"nodes": [{"operator": "OR", "negate": False, "cpeMatch": matches}]})
    score = round(r.uniform(2, 10), 1)
    return {"cve": {
        "id": cve, "sourceIdentifier": "cve@mitre.org", "published": "%d-%02d-%02dT10:15:00.000" % (year, r.randint(1, 12), r.randint(1, 28)),
        "lastModified": "2025-%02d-%02dT12:00:00.000" % (r.randint(1, 12), r.randint(1, 28)), "vulnStatus": "Analyzed", "cveTags": [],
        "descriptions": [{"lang": "en", "value": text(r, 30, 90)}, {"lang": "es", "value": text(r, 30, 90)}],
        "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {
            "version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": score,
            "baseSeverity": "CRITICAL" if score >= 9 else "HIGH" if score >= 7 else "MEDIUM" if score >= 4 else "LOW",
            "attackVector": "NETWORK", "attackComplexity": "LOW", "privilegesRequired": "NONE", "userInteraction": "NONE",
            "scope": "UNCHANGED", "confidentialityImpact": "HIGH", "integrityImpact": "HIGH", "availabilityImpact": "HIGH"},
            "exploitabilityScore": 3.9, "impactScore": 5.9}]},
        "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-%d" % r.choice([79, 89, 20, 787, 125, 22, 352, 400])}]}],
        "configurations": configurations,
        "references": [{"url": "https://example.invalid/%s/%d" % (cve, k), "source": "cve@mitre.org"} for k in range(r.randint(2, 8))],
    }}


def ghsa_id(r):
    alphabet = "23456789cfghjmpqrvwx"
    return "GHSA-" + "-".join("".join(r.choice(alphabet) for _ in range(4)) for _ in range(3))


def osv_record(r, gid, cve, published):
    affected = []
    eco = r.choices([e for e, _ in ECOSYSTEMS], [w for _, w in ECOSYSTEMS])[0]
    for k in range(r.choices([1, 2, 3], [0.8, 0.15, 0.05])[0]):
        events = [{"introduced": "0" if r.random() < 0.6 else version(r)}, {"fixed": version(r)}]
        ranges = [{"type": "ECOSYSTEM", "events": events}]
        affected.append({"package": {"ecosystem": eco, "name": name(r, eco, k)}, "ranges": ranges,
                         "database_specific": {"last_known_affected_version_range": "< " + events[1]["fixed"]}})
    return {
        "schema_version": "1.4.0", "id": gid, "modified": published, "published": published,
        "aliases": [cve] if cve else [], "summary": text(r, 5, 12), "details": "### Impact\n" + text(r, 60, 300) + "\n\n### Patches\n" + text(r, 10, 40),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": affected,
        "references": [{"type": "WEB", "url": "https://example.invalid/%s/%d" % (gid, k)} for k in range(r.randint(2, 6))],
        "database_specific": {"cwe_ids": ["CWE-%d" % r.choice([79, 89, 20, 400])], "severity": r.choice(["LOW", "MODERATE", "HIGH", "CRITICAL"]),
                              "github_reviewed": True, "github_reviewed_at": published, "nvd_published_at": None},
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--nvd", type=int, default=400_000)
    p.add_argument("--osv", type=int, default=250_000)
    p.add_argument("--seed", type=int, default=400250)
    a = p.parse_args()
    r = random.Random(a.seed)
    years = list(range(2002, 2027))
    weights = [1 + 0.25 * (y - 2002) ** 1.6 for y in years]
    counts = [int(a.nvd * w / sum(weights)) for w in weights]
    counts[-1] += a.nvd - sum(counts)
    os.makedirs(os.path.join(a.out, "nvd"), exist_ok=True)
    cves = []
    for year, n in zip(years, counts):
        ids = ["CVE-%d-%d" % (year, 10000 + k) for k in range(n)]
        cves += [(c, year) for c in ids]
        with open(os.path.join(a.out, "nvd", "nvdcve-2.0-%d.json" % year), "w") as f:
            f.write('{"resultsPerPage": %d, "startIndex": 0, "totalResults": %d, "format": "NVD_CVE", "version": "2.0", '
                    '"timestamp": "2026-12-01T00:00:00.000", "vulnerabilities": [\n' % (n, n))
            for k, cve in enumerate(ids):
                f.write((",\n" if k else "") + json.dumps(nvd_record(r, cve, year)))
            f.write("\n]}\n")
    seen = set()
    for k in range(a.osv):
        gid = ghsa_id(r)
        while gid in seen:
            gid = ghsa_id(r)
        seen.add(gid)
        cve, year = r.choice(cves) if r.random() < 0.75 else (None, r.choice(years))
        month = r.randint(1, 12)
        directory = os.path.join(a.out, "ghsa", "advisories", "github-reviewed", str(year), "%02d" % month, gid)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, gid + ".json"), "w") as f:
            json.dump(osv_record(r, gid, cve, "%d-%02d-15T12:00:00Z" % (year, month)), f, indent=2)


if __name__ == "__main__":
    main()
