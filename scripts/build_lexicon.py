#!/usr/bin/env python3
"""Rebuild dictionaries/es/words.tsv, the Spanish lexicon ocrqa ships.

Inputs (see dictionaries/README.md for provenance and licences):
  * Debian `hunspell-es` (es_ES), expanded by scripts/expand_affixes.py and checked with
    `hunspell -l` (forms hunspell rejects are dropped);
  * wordfreq's Spanish "large" list (PyPI `wordfreq`) for counts, floor 1;
  * wordfreq words with Zipf >= 3 that hunspell lacks, unless they shadow a real word;
  * clean UN text (`--corpus`, default ../shared/corpus/un-clean.es.txt) for domain words;
  * dictionaries/es/kept.txt, the hand-kept list (Member States, UN bodies, acronyms).

A "shadow" is a string that OCR or a lost accent makes out of a real word: `asi` (así),
`informacion`, `dafiar` (dañar), `dela` (de la). Web text is full of them, so wordfreq may give
counts but never decides that a shadow is a word.

Usage: scripts/build_lexicon.py [--corpus FILE] [--out dictionaries/es/words.tsv]
Needs: python3, wordfreq (pip), hunspell + hunspell-es (apt).
"""
import argparse
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
AFF = "/usr/share/hunspell/es_ES.aff"
DIC = "/usr/share/hunspell/es_ES.dic"
PER = 1_000_000_000  # counts are occurrences per billion words
LONG_WORD = 9  # letters from which a wordfreq word needs only Zipf 2
CORPUS_WEIGHT = 0.2  # share of the UN corpus in the count of a word (domain boost)
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ɏ]+)*")  # Latin script only


def nfc(s):
    return unicodedata.normalize("NFC", s)


def fold(s):
    """Lower-case, strip diacritics (ñ -> n, ü -> u): the accent-folded key."""
    d = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in d if not unicodedata.combining(c))


def load_confusions():
    pairs = []
    with open(os.path.join(ROOT, "dictionaries", "ocr-confusions.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            observed, intended, _ = line.rstrip("\n").split("\t")
            pairs.append((observed, intended))
    return pairs


def hunspell_forms():
    forms = subprocess.run([sys.executable, os.path.join(HERE, "expand_affixes.py"), AFF, DIC],
                           check=True, capture_output=True, text=True).stdout.split("\n")
    forms = [nfc(f) for f in forms if f and " " not in f]  # multi-word names: words are enough
    rejected = set(subprocess.run(["hunspell", "-d", "es_ES", "-l"], input="\n".join(forms),
                                  check=True, capture_output=True, text=True).stdout.split("\n"))
    kept = {f for f in forms if f not in rejected}
    print(f"hunspell-es: {len(forms)} expanded forms, {len(forms) - len(kept)} rejected by "
          f"hunspell, {len(kept)} kept", file=sys.stderr)
    return kept


class Shadows:
    """Decides whether a candidate word is an accent-, OCR- or merge-shadow of real words."""

    def __init__(self, words, counts, confusions):
        self.lower = {w.lower() for w in words}
        self.folded = {}
        for w in self.lower:
            self.folded.setdefault(fold(w), set()).add(w)
        self.counts = counts
        self.confusions = confusions

    def __call__(self, w):
        w = w.lower()
        if any(x != w for x in self.folded.get(fold(w), ())):
            return "accent"
        for observed, intended in self.confusions:
            start = w.find(observed)
            while start >= 0:
                fixed = w[:start] + intended + w[start + len(observed):]
                if fold(fixed) in self.folded:
                    return "ocr"
                start = w.find(observed, start + 1)
        mine = self.counts.get(w, 0)
        for i in range(1, len(w)):  # a function word run into another: dela = de + la
            a, b = w[:i], w[i:]
            if min(len(a), len(b)) > 3:
                continue
            if a in self.lower and b in self.lower and min(self.counts.get(a, 0),
                                                           self.counts.get(b, 0)) > 10 * mine:
                return "merge"
        # A typo of a far more common word: web typos are mostly short (aveces, xq); a long
        # rare word beside a common one is usually its own form (transfronterizo/-a).
        ratio = 20 if len(w) <= 5 else 100
        for v in edits1(w):
            if v in self.lower and self.counts.get(v, 0) >= ratio * max(mine, 1):
                return "typo"
        return None


LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúüñ"


def edits1(w):
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    for a, b in splits:
        if b:
            yield a + b[1:]
            for c in LETTERS:
                yield a + c + b[1:]
        if len(b) > 1:
            yield a + b[1] + b[0] + b[2:]
        for c in LETTERS:
            yield a + c + b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus",
                                                      "un-clean.es.txt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "dictionaries", "es", "words.tsv"))
    args = ap.parse_args()

    import wordfreq

    freq = wordfreq.get_frequency_dict("es", wordlist="large")
    wf = {nfc(w): max(1, round(f * PER)) for w, f in freq.items()}
    words = hunspell_forms()
    shadows = Shadows(words, wf, load_confusions())

    added = []
    for w, c in sorted(wf.items()):
        # Zipf >= 3; long words from Zipf 2 (domain words: transfronterizo, coronavirus)
        if c < (1000 if len(w) < LONG_WORD else 100) or not WORD_RE.fullmatch(w) or len(w) < 2:
            continue
        if w in words or w.capitalize() in words or w.upper() in words:
            continue
        if shadows(w) is None:
            added.append(w)
    words.update(added)
    print(f"wordfreq: {len(added)} words with Zipf >= 3 added", file=sys.stderr)

    corpus_counts = {}
    total = 0
    if os.path.exists(args.corpus):
        with open(args.corpus, encoding="utf-8") as fh:
            for m in WORD_RE.finditer(nfc(fh.read())):
                corpus_counts[m.group()] = corpus_counts.get(m.group(), 0) + 1
                total += 1
    else:
        print(f"warning: no corpus at {args.corpus}; domain words skipped", file=sys.stderr)
    domain = []
    for w, c in sorted(corpus_counts.items()):
        known = w in words or w.lower() in words or w.capitalize() in words
        if known or len(w) < 2:
            continue
        # A lower-case word seen once may be a typo or a glued footnote mark (`sesionesa`).
        if (w.islower() and c < 2) or shadows(w) is not None:
            continue
        # A capitalised word that web text or the corpus also writes in lower case is a
        # common noun in a title (`Grupo Intergubernamental`, `Espacio Ultraterrestre`), not a
        # name: keep it in lower case.
        lower = w.lower()
        if w[0].isupper() and w[1:].islower() and (
            wf.get(lower, 0) >= 100 or corpus_counts.get(lower, 0) > 0
        ):
            w = lower
        domain.append(w)
    words.update(domain)
    print(f"corpus: {total} words, {len(domain)} domain words added", file=sys.stderr)

    kept = []
    with open(os.path.join(ROOT, "dictionaries", "es", "kept.txt"), encoding="utf-8") as fh:
        for line in fh:
            w = nfc(line.split("#", 1)[0].strip())
            if w:
                kept.append(w)
    words.update(kept)

    def count(w):
        base = wf.get(w.lower(), 1)
        in_corpus = corpus_counts.get(w, 0)
        if w != w.lower():
            in_corpus += corpus_counts.get(w.lower(), 0)
        else:
            # Sentence starts and titles (`Secretaría`, `ARTÍCULO`) are uses of the lower-case
            # word, unless the lexicon has that spelling as a word of its own.
            for v in {w.capitalize(), w.upper()} - {w}:
                if v not in words:
                    in_corpus += corpus_counts.get(v, 0)
        if total and in_corpus:
            base += round(CORPUS_WEIGHT * PER * in_corpus / total)
        return max(base, 1)

    rows = sorted((w, count(w)) for w in words)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(f"{w}\t{c}\n" for w, c in rows))
    os.replace(tmp, args.out)
    print(f"wrote {len(rows)} words to {args.out}", file=sys.stderr)
    for probe in ("asi", "estan", "informacion", "relacion", "caracter"):
        assert not any(w.lower() == probe for w, _ in rows), probe


if __name__ == "__main__":
    main()
