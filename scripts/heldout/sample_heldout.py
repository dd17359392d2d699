#!/usr/bin/env python3
"""Deterministic sampler for Vigil's held-out vulnerability-category evaluation set.

Draws vulnerability records at random (fixed seed) from the real feeds under
the shared feeds (`../shared/data/feeds`, or $VIGIL_SHARED/data/feeds) and writes sample.jsonl
(into $HELDOUT_OUT, default /tmp/vigil-heldout; it holds feed text, so never into the repo), one JSON object per line:
  source, path (relative to the feeds root), line (for list-style feeds), id, aliases,
  cwe_ids, cvss_vectors, text (title / description).

Only the Python standard library plus PyYAML are used. Records without usable
description text are skipped (and counted). A CVE already sampled from an earlier
source is not sampled again from a later one (cross-feed twins would double-count).
"""
import hashlib
import json
import os
import random
import re
import sys

import yaml

SEED = 20261206
_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FEEDS = os.path.join(os.environ.get("VIGIL_SHARED") or os.path.join(os.path.dirname(_REPO), "shared"), "data", "feeds")
_OUT_DIR = os.environ.get("HELDOUT_OUT", "/tmp/vigil-heldout")
os.makedirs(_OUT_DIR, exist_ok=True)
OUT = os.path.join(_OUT_DIR, "sample.jsonl")

# Target counts per source (the brief's rough split).
TARGETS = {
    "ghsa": 50,
    "rubysec": 80,
    "composer-friendsofphp": 80,
    "nvd": 60,
    "debian-tracker": 35,
    "ubuntu": 35,
}
# Within ubuntu: how many from the OSV records (only 12 files) vs the CVE tracker (uct).
UBUNTU_OSV = 8

MIN_TEXT = 12  # characters; shorter text is not a usable description


def rel(p):
    return os.path.relpath(p, FEEDS)


def files_under(root, suffixes):
    out = []
    for d, _dirs, fs in os.walk(root):
        for f in fs:
            if f.endswith(suffixes):
                out.append(os.path.join(d, f))
    return sorted(out)


def clean(s):
    return re.sub(r"\s+", " ", (s or "")).strip()


PLACEHOLDER = re.compile(r"^\[?(unknown description|no description|n/a|tbd|reserved)\]?\.?$", re.I)


def usable(text):
    t = clean(text)
    return len(t) >= MIN_TEXT and not PLACEHOLDER.match(t)


# ---------------------------------------------------------------- OSV (ghsa, ubuntu/osv)
def osv_record(path, source):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    summary = clean(d.get("summary"))
    details = (d.get("details") or "").strip()
    text = (summary + "\n\n" + details).strip() if summary else details
    cwes = list((d.get("database_specific") or {}).get("cwe_ids") or [])
    vectors = []
    for s in d.get("severity") or []:
        sc = s.get("score")
        if isinstance(sc, str) and ("/" in sc) and sc not in vectors:
            vectors.append(sc)
    aliases = [a for a in (d.get("aliases") or []) + (d.get("upstream") or []) if a.startswith("CVE-")]
    aliases = sorted(set(aliases))
    rid = d["id"]
    extra = {}
    if d.get("withdrawn"):
        extra["withdrawn"] = d["withdrawn"]
    return dict(source=source, path=rel(path), id=rid, aliases=aliases, cwe_ids=cwes,
                cvss_vectors=vectors, text=text, **extra)


# ---------------------------------------------------------------- rubysec
def rubysec_record(path):
    with open(path, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    rid = os.path.splitext(os.path.basename(path))[0]
    aliases = []
    if d.get("cve"):
        aliases.append("CVE-" + str(d["cve"]))
    if d.get("ghsa"):
        aliases.append("GHSA-" + str(d["ghsa"]))
    title = clean(d.get("title"))
    desc = (d.get("description") or "").strip()
    text = (title + "\n\n" + desc).strip()
    scores = {k: d[k] for k in ("cvss_v2", "cvss_v3", "cvss_v4") if d.get(k) is not None}
    return dict(source="rubysec", path=rel(path), id=f"{d.get('gem')}/{rid}", aliases=aliases,
                cwe_ids=[], cvss_vectors=[], cvss_scores=scores, text=text)


# ---------------------------------------------------------------- FriendsOfPHP
def fop_record(path):
    with open(path, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    rid = os.path.splitext(os.path.basename(path))[0]
    pkg = str(d.get("reference") or "").replace("composer://", "")
    aliases = [d["cve"]] if d.get("cve") else []
    return dict(source="composer-friendsofphp", path=rel(path), id=f"{pkg}/{rid}",
                aliases=aliases, cwe_ids=[], cvss_vectors=[], text=clean(d.get("title")))


# ---------------------------------------------------------------- NVD 2.0
def nvd_record(path):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    d = d.get("cve", d)
    text = " ".join(x["value"] for x in d.get("descriptions") or [] if x.get("lang") == "en")
    cwes = []
    for w in d.get("weaknesses") or []:
        for x in w.get("description") or []:
            v = x.get("value")
            if v and v not in cwes:
                cwes.append(v)
    vectors = []
    for _k, ms in sorted((d.get("metrics") or {}).items()):
        for m in ms:
            v = (m.get("cvssData") or {}).get("vectorString")
            if v and v not in vectors:
                vectors.append(v)
    extra = {"vulnStatus": d.get("vulnStatus")}
    return dict(source="nvd", path=rel(path), id=d["id"], aliases=[d["id"]], cwe_ids=cwes,
                cvss_vectors=vectors, text=text.strip(), **extra)


# ---------------------------------------------------------------- debian-tracker
NON_DESCRIPTIVE = re.compile(
    r"^(security update|several( .*)?|multiple( .*)?|regression( .*)?|new upstream.*|update|"
    r"updated? packages?|.*end[- ]of[- ]life.*|.*key change.*|.*several.*|bug ?fix.*|"
    r"security fixes|various.*|fix.*regression.*|new packages?|lts.*|.*security update.*|.*security fix.*|"
    r"(possible |potential |remote |local )*(vulnerability|vulnerabilities|problem|problems|issues?)|"
    r"remote exploit|update)$", re.I)
ENTRY = re.compile(r"^\[(?P<date>[^\]]+)\]\s+(?P<adv>D[SL]A-[0-9-]+)\s+(?P<rest>.*)$")


def debian_json_records():
    out = []
    root = os.path.join(FEEDS, "debian-tracker", "json-samples")
    for fn in sorted(os.listdir(root)):
        p = os.path.join(root, fn)
        try:
            with open(p, encoding="utf-8") as fh:
                d = json.load(fh)
        except (ValueError, UnicodeDecodeError):
            continue  # not JSON (vunnel-DSA is a DSA-list excerpt)
        if isinstance(d, dict):  # tracker JSON: {package: {CVE: {...}}}
            for pkg, cves in sorted(d.items()):
                for cve, r in sorted(cves.items()):
                    out.append(dict(source="debian-tracker", path=rel(p), id=cve, aliases=[cve],
                                    package=pkg, cwe_ids=[], cvss_vectors=[],
                                    text=(r.get("description") or "").strip()))
        elif isinstance(d, list):  # vunnel output rows
            for row in d:
                v = row.get("Vulnerability", {})
                vec = (((v.get("Metadata") or {}).get("NVD") or {}).get("CVSSv2") or {}).get("Vectors")
                out.append(dict(source="debian-tracker", path=rel(p), id=v.get("Name"),
                                aliases=[v.get("Name")], cwe_ids=[], cvss_vectors=[vec] if vec else [],
                                text=(v.get("Description") or "").strip()))
    return out


def debian_list_records():
    out = []
    for fn in ("DSA-list", "DLA-list"):
        p = os.path.join(FEEDS, "debian-tracker", fn)
        with open(p, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n")
        i = 0
        while i < len(lines):
            m = ENTRY.match(lines[i])
            if not m:
                i += 1
                continue
            start = i
            rest = m.group("rest")
            pkg, _, title = rest.partition(" - ")
            cves = []
            i += 1
            while i < len(lines) and not ENTRY.match(lines[i]):
                cves += re.findall(r"CVE-\d{4}-\d+", lines[i]) if lines[i].strip().startswith("{") else []
                i += 1
            title = title.strip()
            text = f"{m.group('adv')} {pkg.strip()} - {title}" if title else ""
            if not title or NON_DESCRIPTIVE.match(title):
                text = ""  # "security update" and the like say nothing about the flaw
            out.append(dict(source="debian-tracker", path=rel(p), line=start + 1, id=m.group("adv"),
                            aliases=cves, package=pkg.strip(), cwe_ids=[], cvss_vectors=[], text=text))
    return out


# ---------------------------------------------------------------- ubuntu CVE tracker (uct)
def uct_record(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().split("\n")
    fields, key = {}, None
    for ln in lines:
        if ln and not ln[0].isspace() and ":" in ln:
            key, _, val = ln.partition(":")
            fields[key] = [val.strip()] if val.strip() else []
        elif ln.startswith(" ") and key is not None:
            fields[key].append(ln.strip())
        elif not ln.strip():
            key = None
    desc = " ".join(fields.get("Description", []))
    udesc = " ".join(fields.get("Ubuntu-Description", []))
    text = (desc + ("\n\nUbuntu: " + udesc if udesc else "")).strip()
    vectors = []
    for c in fields.get("CVSS", []):
        m = re.search(r"(CVSS:[0-9.]+/\S+|AV:\S+)", c)
        if m and m.group(1) not in vectors:
            vectors.append(m.group(1))
    cand = (fields.get("Candidate") or [os.path.basename(path)])[0]
    return dict(source="ubuntu", path=rel(path), id=cand, aliases=[cand] if cand.startswith("CVE-") else [],
                cwe_ids=[], cvss_vectors=vectors, text=text)


# ---------------------------------------------------------------- sampling
def draw(rng, candidates, n, seen, skipped, source):
    """Shuffle candidates with rng and keep the first n usable, not-yet-seen ones."""
    order = list(candidates)
    rng.shuffle(order)
    kept = []
    for rec in order:
        if len(kept) >= n:
            break
        if callable(rec):
            rec = rec()
        if rec.get("text") is not None and "withdrawn" in rec:
            pass  # withdrawn advisories still carry text; kept as a real record
        if not usable(rec.get("text")):
            skipped[source] = skipped.get(source, 0) + 1
            continue
        cves = [a for a in rec.get("aliases", []) if a.startswith("CVE-")]
        if rec["id"] in seen or any(c in seen for c in cves):
            skipped[source + " (duplicate)"] = skipped.get(source + " (duplicate)", 0) + 1
            continue
        seen.update([rec["id"]] + cves)
        kept.append(rec)
    return kept


def lazy(fn, *args):
    return lambda: fn(*args)


def main():
    rng = random.Random(SEED)
    seen, skipped, records = set(), {}, []

    ghsa = files_under(os.path.join(FEEDS, "ghsa", "advisories"), (".json",))
    records += draw(rng, [lazy(osv_record, p, "ghsa") for p in ghsa], TARGETS["ghsa"], seen, skipped, "ghsa")

    ruby = files_under(os.path.join(FEEDS, "rubysec", "gems"), (".yml", ".yaml"))
    records += draw(rng, [lazy(rubysec_record, p) for p in ruby], TARGETS["rubysec"], seen, skipped, "rubysec")

    fop_root = os.path.join(FEEDS, "composer-friendsofphp")
    fop = [p for p in files_under(fop_root, (".yaml", ".yml")) if os.path.dirname(p) != fop_root]
    records += draw(rng, [lazy(fop_record, p) for p in fop], TARGETS["composer-friendsofphp"], seen, skipped,
                    "composer-friendsofphp")

    nvd = [p for p in files_under(os.path.join(FEEDS, "nvd", "records"), (".json",))
           if os.path.basename(p).startswith("CVE-")]
    records += draw(rng, [lazy(nvd_record, p) for p in nvd], TARGETS["nvd"], seen, skipped, "nvd")

    # Debian: every tracker-JSON sample with text first (there are only a handful),
    # then a random fill from the DSA/DLA announcement lists whose title names the flaw.
    deb_json = draw(rng, debian_json_records(), TARGETS["debian-tracker"], seen, skipped, "debian-tracker")
    deb_list = draw(rng, debian_list_records(), TARGETS["debian-tracker"] - len(deb_json), seen, skipped,
                    "debian-tracker")
    records += deb_json + deb_list

    uosv = [p for p in files_under(os.path.join(FEEDS, "ubuntu", "osv"), (".json",))]
    u1 = draw(rng, [lazy(osv_record, p, "ubuntu") for p in uosv], UBUNTU_OSV, seen, skipped, "ubuntu")
    uct = [p for p in files_under(os.path.join(FEEDS, "ubuntu", "uct"), ("",))
           if re.match(r"CVE-\d{4}-\d+$", os.path.basename(p))]
    u2 = draw(rng, [lazy(uct_record, p) for p in uct], TARGETS["ubuntu"] - len(u1), seen, skipped, "ubuntu")
    records += u1 + u2

    with open(OUT, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    counts = {}
    for r in records:
        counts[r["source"]] = counts.get(r["source"], 0) + 1
    print(json.dumps({"seed": SEED, "total": len(records), "per_source": counts, "skipped": skipped}, indent=1),
          file=sys.stderr)


if __name__ == "__main__":
    main()
