#!/usr/bin/env python3
"""Rebuild dictionaries/es/context.tsv, the context model ocrqa ships.

What it holds: for every word of the lexicon that has an accent twin (esta/está, practica/
práctica, mas/más: words that only context can tell apart once OCR drops accents), how often
each word or punctuation mark stands just before it and just after it in clean Spanish text.
Neighbours are stored accent-folded, because in OCR'd text the neighbours have lost their
accents too, and also by their last three letters (`~tes`), the back-off for neighbours the
corpus never shows beside the twins.
And how often each twin occurs, its share of its set.

Sources (see dictionaries/README.md for licences):
  * clean UN text (`--corpus`, default ../shared/corpus/un-clean.es.txt), UN Parallel Corpus;
  * the Spanish help of LibreOffice (Debian `libreoffice-help-es`, MPL-2.0): `--libreoffice`
    takes the .deb (`apt-get download libreoffice-help-es`) or an unpacked folder. Lines that
    are mostly not Spanish words (untranslated English strings) are skipped.

Usage: scripts/build_context.py [--corpus FILE] [--libreoffice DEB_OR_DIR] [--out FILE]
Needs: python3 (and dpkg-deb to unpack a .deb).
"""
import argparse
import collections
import glob
import html
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+|[.,;:()¿?¡!]")
# Letters of a neighbour's ending used when the neighbour itself was never seen with the twins.
SUFFIX = 3
# A neighbour seen fewer times than this with a word is left out. 1 keeps everything: with a
# corpus this small, a pair seen once is evidence, and "never seen" must mean never.
MIN_PAIR_COUNT = 1
# The short words modelled besides the twins: letters at most, and times seen in the corpus.
SHORT_LETTERS = 3
SHORT_MIN_COUNT = 50


def nfc(s):
    return unicodedata.normalize("NFC", s)


def fold(s):
    d = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in d if not unicodedata.combining(c))


def neighbour_keys(folded):
    """A neighbour as itself and, for the rarer pairs, as its ending (`~tes`: importantes,
    recientes) — a class the small corpus has seen often enough to say something."""
    yield folded
    if len(folded) > SUFFIX and folded[0].isalpha():
        yield "~" + folded[-SUFFIX:]


def libreoffice_lines(path):
    """Text lines of the LibreOffice help pages (a .deb or an unpacked tree)."""
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.isfile(path):
            subprocess.run(["dpkg-deb", "-x", path, tmp], check=True)
            path = tmp
        for f in sorted(glob.glob(os.path.join(path, "**", "*.html"), recursive=True)):
            with open(f, encoding="utf-8", errors="replace") as fh:
                t = fh.read()
            t = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", t)
            t = html.unescape(re.sub(r"<[^>]+>", "\n", t))
            for line in t.split("\n"):
                if len(line.split()) >= 4:
                    yield nfc(line.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus",
                                                      "un-clean.es.txt"))
    ap.add_argument("--libreoffice", help="libreoffice-help-es .deb or unpacked folder")
    ap.add_argument("--out", default=os.path.join(ROOT, "dictionaries", "es", "context.tsv"))
    args = ap.parse_args()

    lexicon = set()
    with open(os.path.join(ROOT, "dictionaries", "es", "words.tsv"), encoding="utf-8") as fh:
        for line in fh:
            lexicon.add(line.split("\t", 1)[0].lower())
    classes = collections.defaultdict(set)
    for w in lexicon:
        classes[fold(w)].add(w)
    twins = {w for forms in classes.values() if len(forms) > 1 for w in forms}

    lines = []
    with open(args.corpus, encoding="utf-8") as fh:
        lines += [nfc(l) for l in fh]
    un_lines = len(lines)
    if args.libreoffice:
        for line in libreoffice_lines(args.libreoffice):
            words = [w.lower() for w in WORD_RE.findall(line) if w[0].isalpha()]
            if words and sum(w in lexicon for w in words) >= 0.8 * len(words):
                lines.append(line)

    seen = collections.Counter()
    for line in lines:
        seen.update(t.lower() for t in WORD_RE.findall(line) if t[0].isalpha())
    modelled = twins | {w for w, c in seen.items()
                        if len(w) <= SHORT_LETTERS and c >= SHORT_MIN_COUNT and w in lexicon}

    left = collections.Counter()
    right = collections.Counter()
    total = 0
    for line in lines:
        tokens = ["<s>"] + [t.lower() for t in WORD_RE.findall(line)] + ["</s>"]
        folded = [t if t in ("<s>", "</s>") else fold(t) for t in tokens]
        total += len(tokens) - 2
        for i in range(1, len(tokens) - 1):
            w = tokens[i]
            if w in modelled:
                for n in neighbour_keys(folded[i - 1]):
                    left[(n, w)] += 1
                for n in neighbour_keys(folded[i + 1]):
                    right[(w, n)] += 1
    print(f"{un_lines} UN lines, {len(lines) - un_lines} LibreOffice lines, {total} tokens",
          file=sys.stderr)

    rows = [f"# ocrqa context model, version 1: see scripts/build_context.py\n"]
    pairs = []
    for (a, w), c in left.items():
        if c >= MIN_PAIR_COUNT:
            pairs.append(f"l\t{a}\t{w}\t{c}\n")
    for (w, b), c in right.items():
        if c >= MIN_PAIR_COUNT:
            pairs.append(f"r\t{w}\t{b}\t{c}\n")
    twin_counts = collections.Counter()
    for (a, w), c in left.items():
        if not a.startswith("~"):
            twin_counts[w] += c
    rows += [f"w\t{w}\t{c}\n" for w, c in twin_counts.items()]
    rows += pairs
    header, body = rows[:1], sorted(rows[1:])
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(header + body)
    os.replace(tmp, args.out)
    print(f"wrote {len(body)} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
