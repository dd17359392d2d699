#!/usr/bin/env python3
"""Cross-checks Vigil's npm, Maven, RubyGems, Composer and NuGet orderings and ranges.

Builds a small driver (swiftc over Sources/Versioning/*.swift plus
scripts/versions-crosscheck/main.swift, no package build), generates random tricky versions and
ranges, and compares Vigil's answers with
  - the ecosystems' own implementations where Debian has them: node-semver (node-semver),
    RubyGems (ruby), Maven's ComparableVersion/VersionRange (libmaven3-core-java, default-jdk),
    Composer's VersionParser (php-cli, php-composer-semver);
  - univers (PyPI), for every scheme.
A disagreement with univers is explained when the ecosystem's own implementation sides with
Vigil; for NuGet (no NuGet.Versioning on Debian) each disagreement must match a listed,
documented univers deviation. Exit status 1 if anything is unexplained.

Usage: scripts/versions-crosscheck.py [--pairs N] [--ranges N] [--seed S] [--scheme npm ...]
"""
import argparse
import os
import random
import shutil
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "scripts", "versions-crosscheck")
MAVEN_JAR = "/usr/share/java/maven-artifact-3.x.jar"
SCHEMES = ["npm", "maven", "rubygems", "composer", "nuget"]

# ---------------------------------------------------------------- generators


def pick(r, xs):
    return xs[r.randrange(len(xs))]


def npm_version(r):
    """Mostly valid SemVer (pre-releases, builds, `v`, whitespace), sometimes subtly broken."""
    broken = r.random() < 0.12
    core = [pick(r, ["0", "1", "2", "1", "0", "3", "10"]) for _ in range(3)]
    if broken and r.random() < 0.4:
        core[r.randrange(3)] = pick(r, ["01", "x", "", "9007199254740992", "00"])
    if broken and r.random() < 0.2:
        core = core[: r.randrange(1, 3)]
    s = ".".join(core)
    if r.random() < 0.45:
        ids = [pick(r, ["alpha", "beta", "rc", "0", "1", "2", "11", "-x", "0a", "a-1", "BETA", "-"]) for _ in range(r.randrange(1, 4))]
        if broken and r.random() < 0.5:
            ids[r.randrange(len(ids))] = pick(r, ["01", "", "a_b", "00"])
        s += "-" + ".".join(ids)
    if r.random() < 0.12:
        s += "+" + pick(r, ["build.1", "001", "sha.5114f85"] + (["", "a..b"] if broken else []))
    pre = pick(r, ["", "", "", "", "v", " ", "\u00a0"] + (["=", "V", "vv"] if broken else []))
    post = pick(r, ["", "", "", "", " ", "  "])
    return pre + s + post


def npm_partial(r, allow_pre=True):
    n = r.choice([1, 2, 3, 3, 3])
    parts = [pick(r, ["0", "1", "2", "3", "x", "*", "X", "1", "0"]) if r.random() < 0.2 else pick(r, ["0", "1", "2", "3"]) for _ in range(n)]
    s = ".".join(parts)
    if n == 3 and allow_pre and r.random() < 0.35:
        s += "-" + ".".join(pick(r, ["alpha", "beta", "0", "1", "rc"]) for _ in range(r.randrange(1, 3)))
    if r.random() < 0.05:
        s = "v" + s
    return s


def npm_range(r):
    sets = []
    for _ in range(r.choice([1, 1, 1, 2, 2, 3])):
        if r.random() < 0.15:
            sets.append(npm_partial(r) + " - " + npm_partial(r))
            continue
        comps = []
        for _ in range(r.choice([1, 1, 2, 2, 3])):
            op = pick(r, ["", "", "^", "~", ">=", "<", ">", "<=", "=", "~>", ">= ", "^ "])
            comps.append(op + npm_partial(r))
        if r.random() < 0.05:
            comps.append(pick(r, ["*", "", "x", ">=*", "<*", "1.2.3.4", "~>*", "^01.2"]))
        sets.append(" ".join(comps))
    return pick(r, [" || ", "||", " ||  "]).join(sets)


MAVEN_WORDS = ["alpha", "a", "beta", "b", "m", "milestone", "rc", "cr", "CR", "snapshot", "SNAPSHOT", "ga", "GA", "final",
               "release", "sp", "SP", "foo", "xyz", "jre", "Final", "RELEASE", "", "ab", "z"]


def maven_version(r):
    s = pick(r, ["1", "0", "2", "1", "10", "01", "", "a", "1.0"])
    for _ in range(r.randrange(0, 5)):
        sep = pick(r, [".", ".", "-", "-", "", "_"])
        tok = pick(r, ["0", "1", "2", "00", "10", "1"] + MAVEN_WORDS) if r.random() < 0.6 else pick(r, MAVEN_WORDS)
        if r.random() < 0.1:
            tok = pick(r, ["2147483648", "9223372036854775808", "12345678901234567890"])
        s += sep + tok
    return s


def maven_bound(r):
    return maven_version(r) if r.random() < 0.85 else ""


def maven_range(r):
    if r.random() < 0.1:
        return maven_version(r)
    parts = []
    for _ in range(r.choice([1, 1, 1, 2, 2, 3])):
        lo, hi = maven_bound(r), maven_bound(r)
        if r.random() < 0.12:
            parts.append("[" + maven_version(r) + "]")
        else:
            parts.append(pick(r, ["[", "("]) + lo + pick(r, [",", ",", ", "]) + hi + pick(r, ["]", ")"]))
    return pick(r, [",", ",", ", "]).join(parts)


def gem_version(r):
    s = pick(r, ["1", "0", "2", "1", "10", "01", "3"])
    for _ in range(r.randrange(0, 5)):
        s += "." + (pick(r, ["0", "1", "2", "10", "00"]) if r.random() < 0.65 else pick(r, ["a", "b", "pre", "rc1", "beta", "alpha", "A", "Z", "rc", "0a", "z1"]))
    if r.random() < 0.15:
        s += "-" + pick(r, ["beta", "rc.1", "pre", "1", "a-b", "x.2"])
    if r.random() < 0.06:
        s = pick(r, ["", " ", "a", "1..0", "1.0 beta", "1a", ".1", "1.", "1.0-", "1-.0", " 1.0 ", "1.0\u00a0"])
    return s


def gem_requirement(r):
    parts = []
    for _ in range(r.choice([1, 1, 2, 2, 3])):
        op = pick(r, ["", "= ", "!= ", "> ", "< ", ">= ", "<= ", "~> ", "~> ", ">=", "~>", " ~>  "])
        parts.append(op + gem_version(r))
    if r.random() < 0.03:
        parts.append(pick(r, ["", "=~ 1", ">> 1", "~> "]))
    return pick(r, [", ", ",", " , "]).join(parts)


def composer_version(r):
    s = pick(r, ["", "", "", "v", "V"]) + ".".join(pick(r, ["0", "1", "2", "1", "10", "01", "3"]) for _ in range(r.randrange(1, 5)))
    x = r.random()
    if x < 0.4:
        s += pick(r, ["-", "", ".", "_"]) + pick(r, ["dev", "alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "stable", "BETA", "Alpha", "gamma"])
        if r.random() < 0.6:
            s += pick(r, ["1", "2", ".1", "-2", "1.2", "10"])
        if r.random() < 0.2:
            s += pick(r, ["-dev", ".dev", "dev"])
    elif x < 0.5:
        s += pick(r, [".x-dev", ".*-dev", "-dev", ".X-dev"])
    if r.random() < 0.05:
        s += "+" + pick(r, ["build", "sha.1", "20200101"])
    if r.random() < 0.1:
        s = pick(r, ["dev-master", "dev-feature/x", "master", "trunk", "dev-1.0", "DEV-Foo", "dev-master#abc", "foo", "2010-01-02",
                     "20100102", "2010.01.02.10", "1.0.0.0.0", "1.0 as 2.0", "1.0@dev", "1.0@beta", "123456", " 1.0 ", "1.0-dev-dev"])
    return s


def composer_atom(r):
    v = ".".join(pick(r, ["0", "1", "2", "3"]) for _ in range(r.randrange(1, 4)))
    x = r.random()
    if x < 0.15:
        v += pick(r, ["-beta", "-RC1", "-dev", "@dev", "@beta", "-alpha2", "@stable"])
    op = pick(r, ["", "^", "~", ">=", "<", ">", "<=", "!=", "=", "==", "<>", ">= ", "~>"])
    if r.random() < 0.08:
        return pick(r, ["*", "1.*", "1.2.*", "1.x", "x", "v*", "*.*", "dev-master", "1.0.x-dev", "dev-master#abc", "@dev", "1.*@beta"])
    return op + v


def composer_constraint(r):
    alts = []
    for _ in range(r.choice([1, 1, 2, 2, 3])):
        if r.random() < 0.12:
            alts.append(composer_atom(r).lstrip("^~<>=!") + " - " + composer_atom(r).lstrip("^~<>=!"))
            continue
        alts.append(pick(r, [" ", ",", ", ", " , "]).join(composer_atom(r) for _ in range(r.choice([1, 1, 2, 2]))))
    return pick(r, [" || ", "||", " | ", "|"]).join(alts)


def nuget_version(r):
    s = ".".join(pick(r, ["0", "1", "2", "1", "10", "01", "3"]) for _ in range(r.randrange(1, 5)))
    if r.random() < 0.4:
        s += "-" + ".".join(pick(r, ["alpha", "beta", "Beta", "BETA", "rc", "0", "1", "2", "11", "a-b", "-", "01", "RC1"]) for _ in range(r.randrange(1, 3)))
    if r.random() < 0.1:
        s += "+" + pick(r, ["build", "meta.01", "", "a+b"])
    if r.random() < 0.06:
        s = pick(r, ["v1.0", " 1.0 ", "1.0-", "2147483648", "1.2.3.4.5", "1..2", "", "a", "1.0 beta", "1.0.0-2147483648"])
    return s


def nuget_range(r):
    v1, v2 = nuget_version(r), nuget_version(r)
    return pick(r, [v1, "[%s]" % v1, "(%s,)" % v1, "[%s,)" % v1, "(,%s]" % v1, "(,%s)" % v1, "[%s,%s]" % (v1, v2),
                    "[%s,%s)" % (v1, v2), "(%s,%s)" % (v1, v2), "(%s,%s]" % (v1, v2), "(%s)" % v1, "[%s,%s,%s]" % (v1, v2, v1),
                    "(,)", "[ %s , %s )" % (v1, v2)])


GENERATORS = {
    "npm": (npm_version, npm_range),
    "maven": (maven_version, maven_range),
    "rubygems": (gem_version, gem_requirement),
    "composer": (composer_version, composer_constraint),
    "nuget": (nuget_version, nuget_range),
}

# ---------------------------------------------------------------- running


def run(cmd, requests):
    data = "".join("\t".join(req) + "\n" for req in requests)
    # Debian's node modules live in /usr/share/nodejs, which a non-Debian node does not search.
    env = dict(os.environ, NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs")
    p = subprocess.run(cmd, input=data.encode(), capture_output=True, env=env)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (cmd[0], p.stderr.decode()[:2000]))
    lines = p.stdout.decode().split("\n")[: len(requests)]
    if len(lines) != len(requests):
        sys.exit("%s answered %d of %d requests" % (cmd[0], len(lines), len(requests)))
    return lines


def build_driver(workdir):
    exe = os.path.join(workdir, "versions-driver")
    sources = sorted(os.path.join(ROOT, "Sources", "Versioning", f) for f in os.listdir(os.path.join(ROOT, "Sources", "Versioning")) if f.endswith(".swift"))
    subprocess.run(["swiftc", "-Onone", "-module-name", "VersionsDriver", "-o", exe] + sources + [os.path.join(HERE, "main.swift")], check=True)
    return [exe]


def reference(scheme, workdir):
    """The ecosystem's own implementation as a command, or None."""
    if scheme == "npm" and os.path.exists("/usr/share/nodejs/semver/index.js"):
        return ["node", os.path.join(HERE, "npm.js")]
    if scheme == "rubygems" and shutil_which("ruby"):
        return ["ruby", os.path.join(HERE, "gem.rb")]
    if scheme == "composer" and os.path.exists("/usr/share/php/Composer/Semver/autoload.php"):
        return ["php", os.path.join(HERE, "composer.php")]
    if scheme == "maven" and os.path.exists(MAVEN_JAR) and shutil_which("javac"):
        subprocess.run(["javac", "-cp", MAVEN_JAR, "-d", workdir, os.path.join(HERE, "MavenCheck.java")], check=True)
        return ["java", "-cp", ":".join([MAVEN_JAR, "/usr/share/java/commons-lang3.jar", workdir]), "MavenCheck"]
    return None


def shutil_which(name):
    return shutil.which(name)


# ---------------------------------------------------------------- univers

def univers_classes(scheme):
    from univers import version_range as vr
    rng = {"npm": vr.NpmVersionRange, "maven": vr.MavenVersionRange, "rubygems": vr.GemVersionRange,
           "composer": vr.ComposerVersionRange, "nuget": vr.NugetVersionRange}[scheme]
    return rng.version_class, rng


def safe_valid(vc, text):
    try:
        return bool(vc.is_valid(text))
    except Exception:
        return False


def univers_cmp(vc, a, b):
    try:
        x, y = vc(a), vc(b)
        return str((x > y) - (x < y))
    except Exception:
        return "X"


def univers_range(rc, vc, r, v):
    try:
        parsed = rc.from_native(r)
    except Exception:
        return "E"
    try:
        return "1" if vc(v) in parsed else "0"
    except Exception:
        return "X"


# ---------------------------------------------------------------- NuGet: documented univers deviations

def nuget_string_reason(text, vigil_valid):
    """Why univers and Vigil disagree on whether one string is a NuGet version, or None.

    Each reason is a documented NuGet.Versioning rule that univers (which reuses python-semver
    and a `v`-stripping coercion) does not follow."""
    body = text.strip()
    core = body.split("-")[0].split("+")[0]
    labels = body.split("-", 1)[1].split("+")[0] if "-" in body.split("+")[0] else ""
    if body[:1] in ("v", "V"):
        return "univers strips a leading v; NuGet.Versioning rejects v1.0"
    if body == "":
        return "univers treats the empty string as no version rather than an invalid one"
    if any(p.isdigit() and int(p) > 2147483647 for p in core.split(".")):
        return "univers has no Int32 limit on numeric parts; NuGet's System.Version does"
    if body != text and vigil_valid:
        return "univers rejects surrounding whitespace; NuGet trims the string first"
    if any(set(l) == {"-"} or l.startswith("-") for l in labels.split(".") if l) and vigil_valid:
        return "python-semver rejects a release label of hyphens; SemVer 2 and NuGet allow it"
    return None


def nuget_univers_reason(kind, req, vigil, uni, vigil_valid, univers_valid, run_driver):
    """Why univers' NuGet answer differs from NuGet.Versioning's documented behaviour, or None."""
    strings = [req[2]] if kind == "valid" else list(req[2:])
    if kind == "range":
        rng = req[2].strip()
        if not rng.startswith(("[", "(")):
            return "univers reads a bare NuGet version as Maven's recommended version (or fails); NuGet means >= it"
        inner = rng[1:-1]
        if inner.count(",") > 1:
            return "univers (Maven's parser) reads [a,b,c] as a union; NuGet rejects more than two bounds"
        if "," not in inner and not (rng.startswith("[") and rng.endswith("]")):
            return "univers accepts (1.0) and [1.0); NuGet rejects a single version not in []"
        bounds = [p.strip() for p in inner.split(",")]
        if all(p == "" for p in inner.split(",")):
            return "univers accepts a range without bounds ([], (,)); NuGet rejects it"
        if all(p.strip() == "" for p in inner.split(",")):
            return "blank (not empty) bounds `[ , )`: NuGet's IsNullOrEmpty check lets them through as an unbounded range; univers rejects them"
        if len(bounds) == 2 and all(bounds) and all(vigil_valid(b) for b in bounds):
            from univers.versions import MavenVersion
            try:
                maven_equal = MavenVersion(bounds[0]) == MavenVersion(bounds[1])
            except Exception:
                maven_equal = False
            if maven_equal and run_driver([("cmp", "nuget", bounds[0], bounds[1])])[0] != "0":
                return "univers' (older) Maven order calls the two bounds equal (1-0.BETA = 1.0 there) and collapses the range to one version"
        if uni == "E" and vigil != "E":
            try:
                from univers.version_range import NugetVersionRange
                NugetVersionRange.from_native(req[2])
            except Exception as e:
                if "defies version ordering" in str(e):
                    return "univers checks NuGet bounds with Maven's order (1.0-2 > 1.0 there, < 1.0 in NuGet)"
                if "identical" in str(e):
                    return "univers (Maven's parser) rejects identical bounds [1,1]; NuGet accepts them"
        if any(" " in b for b in bounds) and not all(vigil_valid(b) for b in bounds if b):
            return "univers deletes every space in a range (so `1.0 beta` becomes 1.0beta); NuGet rejects the bound"
        if vigil == "E" and uni != "E" and any(b and not vigil_valid(b) and not univers_valid(b) for b in bounds):
            return "univers drops a bound neither side can parse (1.0-) instead of rejecting the range"
        if (len(bounds) == 2 and all(bounds) and bounds[0] != bounds[1] and all(vigil_valid(b) for b in bounds)
                and run_driver([("cmp", "nuget", bounds[0], bounds[1])])[0] == "0"):
            return "bounds equal in NuGet's order but spelled differently (1.01 and 01.1+meta): univers builds its interval from Maven's order"
        if vigil == "E" and uni != "E" and len(bounds) == 2 and all(bounds) and all(vigil_valid(b) for b in bounds):
            order = run_driver([("cmp", "nuget", bounds[1], bounds[0])])[0]
            if order == "0" and rng[0] != ("[" if rng[-1] == "]" else "("):
                return "univers accepts equal bounds with one side open ([1.0,1.0)); NuGet rejects them"
            from univers.versions import MavenVersion
            if run_driver([("cmp", "nuget", bounds[1], bounds[0])])[0] == "-1" and not MavenVersion(bounds[1]) < MavenVersion(bounds[0]):
                return "univers checks NuGet bounds with Maven's order, so it accepts a maximum below the minimum (1.0-rc as maximum of (1.0, ...))"
        strings = [p.strip() for p in inner.split(",")] + [req[3]] if "," in inner else [inner.strip(), req[3]]
        strings += [p for p in inner.split(",")]
    for t in strings:
        if t.strip() == "" and kind == "range":
            continue
        if vigil_valid(t) != univers_valid(t):
            reason = nuget_string_reason(t, vigil_valid(t))
            if reason:
                return reason
    if kind in ("cmp", "range"):
        labels = " ".join(req[2:]).replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ").replace(",", " ")
        if any(p.isdigit() and int(p) > 2147483647 for p in re.split(r"[.+\-\s]", labels)):
            return "univers compares a numeric label above Int32 as a number; NuGet as text"
    return None


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=40000)
    ap.add_argument("--ranges", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--scheme", action="append", choices=SCHEMES)
    ap.add_argument("--show", type=int, default=8, help="examples shown per disagreement class")
    args = ap.parse_args()
    schemes = args.scheme or SCHEMES
    unexplained_total = 0
    with tempfile.TemporaryDirectory() as work:
        driver = build_driver(work)
        for scheme in schemes:
            r = random.Random("%s-%d" % (scheme, args.seed))
            gen_version, gen_range = GENERATORS[scheme]
            requests = []
            for _ in range(args.pairs):
                a = gen_version(r)
                b = gen_version(r) if r.random() < 0.7 else a.replace("0", "00", 1) if r.random() < 0.5 else a.upper()
                requests.append(("cmp", scheme, a, b))
            for _ in range(args.ranges):
                requests.append(("range", scheme, gen_range(r), gen_version(r)))
            validity = sorted({t for q in requests[: args.pairs] for t in q[2:]})
            requests += [("valid", scheme, t) for t in validity]
            requests = [q for q in requests if not any("\t" in t or "\n" in t for t in q)]

            vigil = run(driver, requests)
            ref_cmd = reference(scheme, work)
            ref = run(ref_cmd, requests) if ref_cmd else None
            vc, rc = univers_classes(scheme)
            uni = []
            for q in requests:
                if q[0] == "cmp":
                    uni.append(univers_cmp(vc, q[2], q[3]))
                elif q[0] == "range":
                    uni.append(univers_range(rc, vc, q[2], q[3]))
                else:
                    uni.append("1" if safe_valid(vc, q[2]) else "0")

            valid_answers = {q[2]: (vigil[i], uni[i]) for i, q in enumerate(requests) if q[0] == "valid"}

            def vigil_valid(t):
                if t not in valid_answers:
                    valid_answers[t] = (run(driver, [("valid", scheme, t)])[0], "1" if safe_valid(vc, t) else "0")
                return valid_answers[t][0] == "1"

            def univers_valid(t):
                vigil_valid(t)
                return valid_answers[t][1] == "1"

            irregular_cache = {}

            def maven_irregular(q):
                texts = [q[2], q[3]] if q[0] != "range" else [q[3]] + [t.strip() for t in re.split(r"[\[\](),]", q[2])]
                texts = [t for t in texts if t not in irregular_cache]
                if texts:
                    for t, a in zip(texts, run(driver, [("irregular", "maven", t) for t in texts])):
                        irregular_cache[t] = a == "1"
                strings = [q[2], q[3]] if q[0] != "range" else [q[3]] + [t.strip() for t in re.split(r"[\[\](),]", q[2])]
                return any(irregular_cache[t] for t in strings)

            counts = Counter()
            classes = defaultdict(list)
            for i, q in enumerate(requests):
                kind = q[0]
                v, u = vigil[i], uni[i]
                if ref is not None:
                    rr = ref[i]
                    if rr == "X":
                        counts[kind + ": reference rejects an input (checked by 'valid')"] += 1
                    elif rr == "U" and kind == "cmp":
                        # Composer leaves two different branches unordered; Vigil orders them by name.
                        counts[kind + ": compared (Composer: distinct branches unordered, Vigil orders them by name)"] += 1
                        if v == "0":
                            classes["UNEXPLAINED %s vs reference" % kind].append(q)
                    else:
                        counts[kind + ": compared with the reference"] += 1
                        if rr != v and scheme == "maven" and maven_irregular(q):
                            classes["Maven's own order is not transitive here (a list starting with a sub-list, e.g. "
                                    "1-0-SNAPSHOT < 1 < 1-a < 1-0-SNAPSHOT in Maven 3.8); Vigil splices it (%s)" % kind].append(
                                (q, "vigil", v, "reference", rr))
                        elif rr != v:
                            classes["UNEXPLAINED %s vs reference" % kind].append((q, "vigil", v, "reference", rr))
                # univers
                if u == "X":
                    counts[kind + ": univers rejects an input"] += 1
                    continue
                counts[kind + ": compared with univers"] += 1
                if u == v:
                    continue
                if ref is not None and ref[i] == "X":
                    classes["univers differs on an input %s's own implementation rejects (outside its order; Vigil's malformed-input rule applies)" % scheme].append((q, "vigil", v, "univers", u))
                elif ref is not None and ref[i] == v:
                    classes["univers differs; %s's own implementation agrees with Vigil (%s)" % (scheme, kind)].append((q, "vigil", v, "univers", u))
                elif scheme == "maven" and maven_irregular(q):
                    classes["univers differs where Maven's own order is not transitive (Vigil splices a leading sub-list)"].append((q, "vigil", v, "univers", u))
                elif scheme == "nuget" and nuget_univers_reason(kind, q, v, u, vigil_valid, univers_valid, lambda reqs: run(driver, reqs)):
                    classes["univers: " + nuget_univers_reason(kind, q, v, u, vigil_valid, univers_valid, lambda reqs: run(driver, reqs))].append((q, "vigil", v, "univers", u))
                else:
                    classes["UNEXPLAINED %s vs univers" % kind].append((q, "vigil", v, "univers", u, "reference", ref[i] if ref else None))

            print("== %s (reference: %s)" % (scheme, " ".join(ref_cmd[:2]) if ref_cmd else "none; univers only"))
            for k in sorted(counts):
                print("   %7d %s" % (counts[k], k))
            for k in sorted(classes):
                print("   %7d %s" % (len(classes[k]), k))
                for ex in classes[k][: args.show]:
                    print("           %r" % (ex,))
                if k.startswith("UNEXPLAINED"):
                    unexplained_total += len(classes[k])
    print("unexplained disagreements: %d" % unexplained_total)
    return 1 if unexplained_total else 0


if __name__ == "__main__":
    sys.exit(main())
