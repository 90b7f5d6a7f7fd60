#!/usr/bin/env bash
# Speed and memory of ocrqa (release, one core) beside hunspell and aspell on the same files.
# Usage: benches/bench.sh [DEV_DIR]   (default ../shared/eval/dev; needs GNU time; hunspell-es
# and aspell-es are optional peers)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=${1:-../shared/eval/dev}
cargo build --release --quiet
bin=target/release/ocrqa
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"; cp "$dev"/*.ocr.txt "$work/in/"
words=$(cat "$work"/in/*.txt | wc -w)
run() { /usr/bin/time -f "%e %M" "$@" 2>"$work/t" >/dev/null; cat "$work/t" | tail -1; }
echo "files: $(ls "$work/in" | wc -l), words: $words"
export OCRQA_CACHE_DIR="$work/cache"   # a fresh index cache: the first run builds it
read -r s kb < <(run taskset -c 0 $bin fix seeds --out "$work/seed0" -q)
echo "first run ever (builds the index cache) + seed page: ${s}s, peak RSS $((kb / 1024)) MB"
for k in 1 2 3 4 5; do run taskset -c 0 $bin fix seeds --out "$work/seed$k" -q; done | sort -n | sed -n 3p | {
  read -r s kb; echo "start-up with the cache + seed page (median of 5): ${s}s, peak RSS $((kb / 1024)) MB"; }
for k in 1 2 3 4 5; do run taskset -c 0 $bin fix "$work/in" --out "$work/out$k" -q; done | sort -n | sed -n 3p | {
  read -r s kb
  echo "ocrqa fix (dev set, 1 core, median of 5): ${s}s, $(python3 -c "print(round($words/$s))") words/s, peak RSS $((kb / 1024)) MB"; }
read -r s0 _ < <(run taskset -c 0 $bin fix "$work/in/$(ls "$work/in" | head -1)" --out "$work/one" -q)
echo "  (one small document, i.e. start-up: ${s0}s)"
if command -v hunspell >/dev/null; then
  read -r s kb < <(run sh -c "cat $work/in/*.txt | taskset -c 0 hunspell -d es_ES -a")
  echo "hunspell -a: ${s}s, $(python3 -c "print(round($words/$s))") words/s, peak RSS $((kb / 1024)) MB"
fi
if command -v aspell >/dev/null; then
  read -r s kb < <(run sh -c "cat $work/in/*.txt | taskset -c 0 aspell -l es -a")
  echo "aspell -a: ${s}s, $(python3 -c "print(round($words/$s))") words/s, peak RSS $((kb / 1024)) MB"
fi
