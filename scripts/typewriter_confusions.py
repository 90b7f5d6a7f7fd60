#!/usr/bin/env python3
"""Which letters an OCR condition reads for which: over a set of truths and OCR files (a
matrix made by scripts/matrix/make_matrix.py, from scripts/corpus_docs.py's documents, never
from an evaluation set), the words aligned one for one that differ in a single stretch give
(observed, intended) pairs; each is counted with its share of the intended stretch's
occurrences in the truth. What the typewriter entries of dictionaries/ocr-confusions.tsv
come from.

Usage: scripts/typewriter_confusions.py SET_DIR CONDITION [--top 60]
"""
import argparse
import collections
import difflib
import glob
import os

STRIP = '.,;:()"«»'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set_dir")
    ap.add_argument("condition")
    ap.add_argument("--top", type=int, default=60)
    args = ap.parse_args()
    pairs = collections.Counter()
    truths = []
    for truth_path in sorted(glob.glob(os.path.join(args.set_dir, "*.truth.txt"))):
        name = os.path.basename(truth_path)[: -len(".truth.txt")]
        ocr_path = os.path.join(args.set_dir, f"{name}.{args.condition}.ocr.txt")
        if not os.path.exists(ocr_path):
            continue
        with open(truth_path, encoding="utf-8") as f:
            truth = f.read().split()
        with open(ocr_path, encoding="utf-8") as f:
            ocr = f.read().split()
        truths.append(" ".join(truth))
        words = difflib.SequenceMatcher(None, truth, ocr, autojunk=False)
        for op, a1, a2, b1, b2 in words.get_opcodes():
            if op != "replace" or a2 - a1 != b2 - b1:
                continue
            for meant, seen in zip(truth[a1:a2], ocr[b1:b2]):
                meant, seen = meant.strip(STRIP), seen.strip(STRIP)
                if not meant or not seen or abs(len(meant) - len(seen)) > 2:
                    continue
                chars = difflib.SequenceMatcher(None, meant, seen, autojunk=False)
                differ = [o for o in chars.get_opcodes() if o[0] != "equal"]
                if len(differ) == 1:
                    _, i1, i2, j1, j2 = differ[0]
                    pairs[(seen[j1:j2], meant[i1:i2])] += 1
    text = " ".join(truths)
    for (seen, meant), n in pairs.most_common(args.top):
        occurrences = text.count(meant) if meant else 0
        share = f"{100 * n / occurrences:.2f} %" if occurrences else "-"
        print(f"{seen!r:8} -> {meant!r:8} {n:4d} of {occurrences:6d}  {share}")


if __name__ == "__main__":
    main()
