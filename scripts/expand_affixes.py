#!/usr/bin/env python3
"""Expand a hunspell .dic/.aff pair into every word form it accepts.

Our own expansion, because `unmunch` mishandles `FLAG UTF-8` (it reads flags byte by byte, and
about a third of what it prints is rejected by hunspell itself). Handles what hunspell-es uses:
PFX/SFX with strip, add, condition and continuation classes (twofold suffixes), and the
prefix x suffix cross product. The caller checks the result with `hunspell -l`.

Usage: expand_affixes.py AFF DIC > forms.txt
"""
import re
import sys


def parse_flags(s):
    return list(s)  # FLAG UTF-8: one Unicode character per flag


def parse_aff(path):
    rules = {}  # flag -> (kind, cross, [(strip, add, cont, cond_regex)])
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    i = 0
    while i < len(lines):
        parts = lines[i].split()
        i += 1
        if len(parts) == 4 and parts[0] in ("PFX", "SFX") and parts[3].isdigit():
            kind, flag, cross, count = parts[0], parts[1], parts[2] == "Y", int(parts[3])
            entries = []
            for _ in range(count):
                p = lines[i].split()
                i += 1
                strip = "" if p[2] == "0" else p[2]
                add, _, cont = p[3].partition("/")
                add = "" if add == "0" else add
                cond = p[4] if len(p) > 4 else "."
                rx = re.compile(("^" + cond) if kind == "PFX" else (cond + "$"))
                entries.append((strip, add, parse_flags(cont), rx))
            rules[flag] = (kind, cross, entries)
    return rules


def apply_suffixes(word, flags, rules, depth=0):
    """Yield (form, prefix_flags_allowed) for every suffixation chain of `word`."""
    for f in flags:
        rule = rules.get(f)
        if not rule or rule[0] != "SFX":
            continue
        _, cross, entries = rule
        for strip, add, cont, rx in entries:
            if not word.endswith(strip) or not rx.search(word):
                continue
            form = word[: len(word) - len(strip)] + add
            yield form, cross, cont
            if depth == 0 and cont:
                for form2, cross2, cont2 in apply_suffixes(form, cont, rules, 1):
                    yield form2, cross and cross2, cont + cont2


def apply_prefixes(word, flags, rules):
    for f in flags:
        rule = rules.get(f)
        if not rule or rule[0] != "PFX":
            continue
        _, cross, entries = rule
        for strip, add, cont, rx in entries:
            if not word.startswith(strip) or not rx.search(word):
                continue
            yield add + word[len(strip):], cross


def expand(word, flags, rules):
    out = {word}
    prefix_flags = [f for f in flags if f in rules and rules[f][0] == "PFX"]
    pfx_cross = {f for f in prefix_flags if rules[f][1]}
    for form, _ in apply_prefixes(word, prefix_flags, rules):
        out.add(form)
    for form, cross, cont in apply_suffixes(word, flags, rules):
        out.add(form)
        if cross:
            allowed = [f for f in prefix_flags if f in pfx_cross]
            allowed += [f for f in cont if f in rules and rules[f][0] == "PFX"]
            for pform, _ in apply_prefixes(form, allowed, rules):
                out.add(pform)
    return out


def main():
    aff, dic = sys.argv[1], sys.argv[2]
    rules = parse_aff(aff)
    forms = set()
    with open(dic, encoding="utf-8") as fh:
        next(fh)  # entry count
        for line in fh:
            line = line.strip()
            if not line:
                continue
            word, _, flags = line.partition("/")
            flags = flags.split()[0] if flags else ""
            forms |= expand(word, parse_flags(flags), rules)
    for w in sorted(forms):
        print(w)


if __name__ == "__main__":
    main()
