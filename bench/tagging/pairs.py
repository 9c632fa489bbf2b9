#!/usr/bin/env python3
"""Writes an on-topic tagging set of ~2 KB articles for the speed check (issue 13).

Each article of the tagcorpus's dev3 split (on-topic excerpts, median 991 bytes) is joined
with the one half the split away, as two paragraphs: 150 texts, median 1,993 bytes, about
a real article's median (2,068 bytes over l3s-gn1). Labels are the union of the two (the
set is for speed and output comparisons, not for scores).

    python3 bench/tagging/pairs.py /tmp/dev3-pairs
    target/release/examples/eval_tagger --no-linear --frames config/frames.toml /tmp/dev3-pairs
"""
import glob
import json
import os
import sys
import tomllib

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def load(split):
    articles = []
    for path in sorted(glob.glob(os.path.join(ROOT, "crates/extractor/tests/tagcorpus", split, "*.toml"))):
        with open(path, "rb") as f:
            articles += tomllib.load(f)["article"]
    return articles


def toml_str(s):
    # JSON's escapes of a non-ASCII-escaped string are all valid TOML basic-string escapes.
    return json.dumps(s, ensure_ascii=False)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    articles = load("dev3")
    n = len(articles)
    lines = []
    for k, a in enumerate(articles):
        b = articles[(k + n // 2) % n]
        lines.append("[[article]]")
        lines.append(f"id = {toml_str(a['id'] + '+' + b['id'])}")
        lines.append(f"genre = {toml_str(a['genre'])}")
        lines.append(f"lang = {toml_str(a['lang'])}")
        if "published" in a:
            lines.append(f"published = {toml_str(str(a['published']))}")
        lines.append(f"text = {toml_str(a['text'] + chr(10) + chr(10) + b['text'])}")
        for field in ("tags", "amounts", "dates"):
            values = list(dict.fromkeys(a.get(field, []) + b.get(field, [])))
            lines.append(f"{field} = [{', '.join(toml_str(v) for v in values)}]")
        lines.append("")
    with open(os.path.join(out, "pairs.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
