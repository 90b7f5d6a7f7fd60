#!/usr/bin/env python3
"""Measure how Tesseract's English model reads Spanish accented letters, on OCR of our own.

Clean UN text (in no evaluation set) is cut into pages, rendered with `text2image` and read
back with `tesseract -l eng`; the OCR is aligned with the text character by character, and
every short stretch that differs and involves a non-ASCII letter is counted. This is where the
multi-character readings of ó in `dictionaries/ocr-confusions.tsv` (`oé`, `dé`, `6é`… → ó)
and their shares come from.

Usage: scripts/measure_confusions.py [--corpus FILE] [--pages N] [--work DIR] [--typewriter]
Needs: text2image and tesseract (Debian `tesseract-ocr`, `tesseract-ocr-eng`), the DejaVu
fonts (`fonts-dejavu-core`). About 20 s per page on one core.
"""
import argparse
import collections
import difflib
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
LINES_PER_PAGE = 45


def render_and_read(page_text, base, typewriter):
    """Renders one page and returns what the English model reads: a clean serif page at
    300 dpi, or a typewriter-like one (monospaced, 200 dpi, underexposed, distorted)."""
    with open(base + ".txt", "w", encoding="utf-8") as f:
        f.write(page_text)
    look = (["--font=DejaVu Sans Mono", "--ptsize=10", "--exposure=-1", "--resolution=200",
             "--xsize=1700", "--ysize=2800", "--margin=70", "--distort_image=true"]
            if typewriter else
            ["--font=DejaVu Serif", "--ptsize=11", "--exposure=0", "--resolution=300",
             "--xsize=2550", "--ysize=3300", "--margin=100"])
    if not os.path.exists(base + ".tif"):
        subprocess.run(
            ["text2image", f"--text={base}.txt", f"--outputbase={base}",
             "--fonts_dir=/usr/share/fonts/truetype/dejavu"] + look,
            check=True, capture_output=True, cwd=os.path.dirname(base))  # it leaves a fonts.conf
    if not os.path.exists(base + ".eng.txt"):
        subprocess.run(["tesseract", base + ".tif", base + ".eng", "-l", "eng"],
                       check=True, capture_output=True)
    with open(base + ".eng.txt", encoding="utf-8") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpus",
                                                     "un-clean.es.txt"))
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--work", default="/tmp/ocrqa-confusions")
    ap.add_argument("--typewriter", action="store_true",
                    help="a monospaced, degraded page instead of a clean serif one")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    with open(args.corpus, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    letters = collections.Counter()
    readings = collections.Counter()
    norm = lambda s: re.sub(r"\s+", " ", s).strip()
    for p in range(args.pages):
        page = lines[p * LINES_PER_PAGE:(p + 1) * LINES_PER_PAGE]
        if not page:
            break
        truth = "\n".join(page) + "\n"
        ocr = norm(render_and_read(truth, os.path.join(args.work, f"p{p:03d}"), args.typewriter))
        truth = norm(truth)
        letters.update(c for c in truth if c.isalpha() and not c.isascii())
        ops = difflib.SequenceMatcher(None, ocr, truth, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            seen, meant = ocr[i1:i2], truth[j1:j2]
            if tag != "equal" and len(seen) <= 3 and len(meant) <= 3 and \
                    any(not c.isascii() for c in seen + meant):
                readings[(seen, meant)] += 1
    print("letters:", ", ".join(f"{c} {n}" for c, n in letters.most_common()))
    for (seen, meant), n in readings.most_common(40):
        share = n / max(sum(letters[c] for c in meant if c in letters), 1)
        print(f"{seen!r:8} -> {meant!r:6} {n:5}  {share:6.1%} of {meant!r}")


if __name__ == "__main__":
    main()
