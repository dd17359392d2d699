#!/usr/bin/env python3
"""Join the hand labels (labels.tsv) with sample.jsonl and write heldout.jsonl.

labels.tsv rows are keyed by the record's index in sample.jsonl; every row also repeats
path and id, and the build refuses to run if they do not match the sample (so a changed
sampler cannot silently shift labels onto other records). The description text is NOT
copied into heldout.jsonl. split = "tune" when the first byte of sha256(id) is even,
else "test". Prints per-source and per-category-per-split counts as JSON.
"""
import hashlib
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = ["buffer-overflow", "denial-of-service", "privilege-escalation", "man-in-the-middle",
              "code-execution", "information-disclosure", "path-traversal", "injection", "other"]


def split_of(rid):
    return "tune" if hashlib.sha256(rid.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def main():
    sample = [json.loads(l) for l in open(os.path.join(os.environ.get("HELDOUT_OUT", "/tmp/vigil-heldout"), "sample.jsonl"), encoding="utf-8")]
    labels = {}
    for n, line in enumerate(open(os.path.join(HERE, "labels.tsv"), encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        idx, path, rid, cats, reason = line.rstrip("\n").split("\t")
        idx = int(idx)
        rec = sample[idx]
        if (rec["path"], rec["id"]) != (path, rid):
            sys.exit(f"labels.tsv line {n}: index {idx} is {rec['path']} {rec['id']} in sample.jsonl, not {path} {rid}")
        cs = cats.split(",")
        bad = [c for c in cs if c not in CATEGORIES]
        if bad or ("other" in cs and len(cs) > 1) or len(set(cs)) != len(cs):
            sys.exit(f"labels.tsv line {n}: bad category list {cats}")
        if idx in labels:
            sys.exit(f"labels.tsv line {n}: index {idx} labelled twice")
        labels[idx] = (cs, reason)
    missing = [i for i in range(len(sample)) if i not in labels]
    if missing:
        sys.exit(f"labels.tsv: {len(missing)} sampled records unlabelled, first index {missing[0]}")

    out, per_source, per_split = [], Counter(), {"tune": Counter(), "test": Counter()}
    split_sizes = Counter()
    for i, rec in enumerate(sample):
        cs, reason = labels[i]
        cs = [c for c in CATEGORIES if c in cs]  # canonical order
        row = {"source": rec["source"], "path": rec["path"], "id": rec["id"]}
        if "line" in rec:
            row["line"] = rec["line"]
        if rec.get("aliases"):
            row["aliases"] = rec["aliases"]
        sp = split_of(rec["id"])
        row.update({"categories": cs, "reason": reason, "split": sp})
        out.append(row)
        per_source[rec["source"]] += 1
        split_sizes[sp] += 1
        for c in cs:
            per_split[sp][c] += 1
    with open(os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests", "ClassificationTests", "Fixtures", "heldout.jsonl"), "w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps({
        "records": len(out),
        "per_source": dict(per_source),
        "split_sizes": dict(split_sizes),
        "per_category": {c: {"tune": per_split["tune"][c], "test": per_split["test"][c],
                             "total": per_split["tune"][c] + per_split["test"][c]} for c in CATEGORIES},
    }, indent=1))


if __name__ == "__main__":
    main()
