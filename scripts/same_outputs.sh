#!/usr/bin/env bash
# Do two versions of ocrqa write the same bytes? Builds REV (a commit) beside the working
# tree, runs both on the seed page and on a set of OCR files, at `--apply auto` and `--apply
# review`, and compares every output file (corrected texts, diffs, review files, reports).
# Usage: scripts/same_outputs.sh REV [SET_DIR]   (SET_DIR: default ../shared/eval/dev, its
#        *.ocr.txt files; debug builds: the outputs do not depend on the profile)
# Exit: 0 identical, 1 some output differs (the differences are listed), 2 could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/same_outputs.sh REV [SET_DIR]}
set_dir=${2:-../shared/eval/dev}
work=$(mktemp -d); trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$rev"
(cd "$work/old" && CARGO_TARGET_DIR="$work/old-target" cargo build --locked --quiet) || exit 2
cargo build --locked --quiet || exit 2
mkdir -p "$work/in"
cp "$set_dir"/*.ocr.txt "$work/in/"
export OCRQA_CACHE_DIR="$work/cache"
status=0
for version in old new; do
  bin=target/debug/ocrqa
  [ "$version" = old ] && bin="$work/old-target/debug/ocrqa"
  for level in auto review; do
    "$bin" fix seeds --out "$work/$version-seed-$level" --apply "$level" -q
    "$bin" fix "$work/in" --out "$work/$version-set-$level" --apply "$level" -q
  done
done
for what in seed-auto seed-review set-auto set-review; do
  if diff -rq "$work/old-$what" "$work/new-$what" >"$work/diff"; then
    echo "$what: identical ($(find "$work/new-$what" -type f | wc -l) files)"
  else
    echo "$what: DIFFERENT"; sed 's/^/  /' "$work/diff" | head -20; status=1
  fi
done
exit $status
