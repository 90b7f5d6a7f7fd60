#!/usr/bin/env python3
"""Cuts clean corpus text (in no evaluation set) into documents named like the dev truths, so
that scripts/matrix/make_matrix.py can render and OCR them (`--dev DIR`). The documents are
consecutive paragraphs of the corpus's second half, about WORDS words each.

Usage: scripts/corpus_docs.py OUT_DIR [--corpus FILE] [--docs 12] [--words 700]
Then:  python3 scripts/matrix/make_matrix.py --dev OUT_DIR --out MATRIX --conditions tw-clean,tw-carbon
       python3 scripts/typewriter_confusions.py MATRIX/set tw-clean-spa
"""
import argparse
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpus",
                                                     "un-clean.es.txt"))
    ap.add_argument("--docs", type=int, default=12)
    ap.add_argument("--words", type=int, default=700)
    args = ap.parse_args()
    with open(args.corpus, encoding="utf-8") as f:
        paragraphs = [p for p in f.read().split("\n") if p.strip()]
    os.makedirs(args.out_dir, exist_ok=True)
    docs, current, words = [], [], 0
    for p in paragraphs[len(paragraphs) // 2:]:
        current.append(p)
        words += len(p.split())
        if words >= args.words:
            docs.append("\n\n".join(current))
            current, words = [], 0
        if len(docs) == args.docs:
            break
    # Named from 900 on, away from the dev set's names.
    for k, doc in enumerate(docs):
        path = os.path.join(args.out_dir, f"un-{900 + k:03d}.truth.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(doc + "\n")
    print(f"{len(docs)} documents in {args.out_dir}")


if __name__ == "__main__":
    main()
