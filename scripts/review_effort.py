#!/usr/bin/env python3
"""How many decisions a reviewer needs for an `ocrqa fix` output folder of a set with ground
truth (the dev set: NAME.CONDITION.ocr.txt beside NAME.truth.txt).

Usage: scripts/review_effort.py SET_DIR OUT_DIR [OCRQA_BINARY]

The queue is the one `ocrqa review OUT --plan` prints (the screens of an interactive session).
Each item's proposal is right when it equals the ground truth aligned to the item's span
(difflib on characters, whitespace folded). A flag without a proposal counts as right when the
original is. Keys a perfect reviewer presses:
- a screen of one change: 1 when its items are all right or all wrong; else it is opened
  (1) and each item decided (1 each);
- a page: 1 (accept or reject the page) + the fewer of its right and wrong lines, marked
  (1 each) + for each mixed line, opened (1) and its items decided (1 each).
Edits (neither the original nor the proposal is right) are counted apart.
"""
import collections
import difflib
import json
import os
import re
import subprocess
import sys


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def truth_map(source, truth):
    """Maps character offsets of `source` to offsets of `truth`."""
    ops = difflib.SequenceMatcher(None, source, truth, autojunk=False).get_opcodes()

    def to_truth(pos):
        for tag, i1, i2, j1, j2 in ops:
            if i1 <= pos < i2 or (pos == i2 and i1 == i2):
                if tag == "equal":
                    return j1 + (pos - i1)
                return j1 if pos == i1 else j2
        return len(truth)

    return to_truth


def main(set_dir, out_dir, binary):
    plan = json.loads(
        subprocess.run(
            [binary, "review", out_dir, "--plan"], check=True, capture_output=True, text=True
        ).stdout
    )
    verdict = {}  # (document, id) -> "right" | "wrong" | "edit"
    for root, _, files in os.walk(out_dir):
        for name in files:
            if not name.endswith(".review.json"):
                continue
            review = json.load(open(os.path.join(root, name), encoding="utf-8"))
            doc = review["source"]["path"]
            source = open(os.path.join(set_dir, doc), encoding="utf-8").read()
            truth_path = os.path.join(set_dir, os.path.basename(doc).split(".")[0] + ".truth.txt")
            truth = open(truth_path, encoding="utf-8").read()
            raw = source.encode()
            to_truth = truth_map(source, truth)
            for item in review["items"]:
                start = len(raw[: item["span"]["start"]].decode())
                end = len(raw[: item["span"]["end"]].decode())
                want = norm(truth[to_truth(start) : to_truth(end)])
                proposal = item["proposal"]
                if proposal is not None and norm(proposal) == want:
                    v = "right"
                elif norm(item["original"]) == want:
                    v = "wrong" if proposal is not None else "right"
                else:
                    v = "edit"
                verdict[(doc, item["id"])] = v

    keys = edits = 0
    items = plan["items"]
    kinds = collections.Counter()
    for screen in plan["queue"]:
        kinds[screen["kind"]] += 1
        lines = []
        for change in screen["changes"]:
            vs = [verdict[(i["document"], i["id"])] for i in change["items"]]
            edits += vs.count("edit")
            right = sum(v != "wrong" for v in vs)
            lines.append("right" if right == len(vs) else "wrong" if right == 0 else "mixed")
            if lines[-1] == "mixed":
                keys += 1 + len(vs)
        keys += 1
        if screen["kind"] == "page":
            keys += min(lines.count("right"), lines.count("wrong"))
    print(
        f"{items} items to review; {plan['screens']} screens "
        f"({kinds['group']} of one change, {kinds['page']} pages); "
        f"{keys} decisions = {keys / max(items, 1):.1%} of the items; "
        f"{edits} items need a typed correction"
    )


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "target/release/ocrqa")
