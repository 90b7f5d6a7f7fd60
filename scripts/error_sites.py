#!/usr/bin/env python3
"""Where a corrector still goes wrong: the word sites of a set, per condition and kind
(fixed, broken, changed_wrong, missed), as the development set's score.py aligns them.

Usage: scripts/error_sites.py SET_DIR SYSTEM_DIR [--score PATH_TO_score.py] [--kind KIND]
       [--condition COND] [--limit N] [--count]
--count prints the commonest (ocr -> truth [system]) sites of the kind instead of samples.
"""
import argparse
import collections
import importlib.util
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set_dir")
    ap.add_argument("system_dir")
    ap.add_argument("--score", default=os.path.join(HERE, "../../shared/eval/score.py"))
    ap.add_argument("--kind", default="missed")
    ap.add_argument("--condition")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--count", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("score", args.score)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    sites = []
    for name in sorted(os.listdir(args.set_dir)):
        if not name.endswith(".ocr.txt"):
            continue
        cond = name.split(".")[1]
        if args.condition and cond != args.condition:
            continue
        doc = name.split(".")[0]
        read = lambda p: open(p, encoding="utf-8", errors="replace").read()
        ocr = read(os.path.join(args.set_dir, name))
        truth = read(os.path.join(args.set_dir, doc + ".truth.txt"))
        sys_path = os.path.join(args.system_dir, name)
        system = read(sys_path) if os.path.exists(sys_path) else None
        _, ex = score.score_doc(ocr, truth, system)
        sites += [(cond, doc) + e for e in ex[args.kind]]
    if args.count:
        c = collections.Counter((o, t, s) for _, _, o, t, s in sites)
        for (o, t, s), n in c.most_common(args.limit):
            print(f"{n:4d}  {o!r} -> {t!r}  [{s!r}]")
        print(f"{len(sites)} sites")
        return
    random.Random(args.seed).shuffle(sites)
    for cond, doc, o, t, s in sites[: args.limit]:
        print(f"{cond:20s} {doc}  {o!r} -> {t!r}  [{s!r}]")
    print(f"{len(sites)} sites")


if __name__ == "__main__":
    main()
