#!/usr/bin/env bash
# An archive-sized batch: the dev set copied into at least 2,000 documents (27 folders of 75),
# corrected with 1 and with 2 jobs. Reports words/s for each, their ratio, and peak RSS against
# a run on a single document (the bound: within 100 MB of it).
# Usage: benches/batch.sh [DEV_DIR] [COPIES]   (default ../shared/eval/dev, 27; needs GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=${1:-../shared/eval/dev}
copies=${2:-27}
cargo build --release --quiet
bin=$PWD/target/release/ocrqa
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for k in $(seq -w 1 "$copies"); do
  mkdir -p "$work/in/box$k"; cp "$dev"/*.ocr.txt "$work/in/box$k/"
done
docs=$(find "$work/in" -name '*.txt' | wc -l)
words=$(find "$work/in" -name '*.txt' -exec cat {} + | wc -w)
echo "batch: $docs documents, $words words"
export OCRQA_CACHE_DIR="$work/cache"
"$bin" fix "$(find "$work/in" -name '*.txt' | head -1)" --out "$work/warm" -q   # builds the cache
run() { /usr/bin/time -f "%e %M" "$@" 2>"$work/t" >/dev/null; tail -1 "$work/t"; }
biggest=$(ls -S "$dev"/*.ocr.txt | head -1)
read -r s kb1 < <(run "$bin" fix "$biggest" --out "$work/single" -q -j 1)
echo "single document (the largest, $(wc -w <"$biggest") words): ${s}s, peak RSS $((kb1 / 1024)) MB"
declare -A rate
for jobs in 1 2; do
  read -r s kb < <(run "$bin" fix "$work/in" --out "$work/out$jobs" -q -j "$jobs")
  rate[$jobs]=$(python3 -c "print(round($words / $s))")
  echo "--jobs $jobs: ${s}s, ${rate[$jobs]} words/s, peak RSS $((kb / 1024)) MB ($(((kb - kb1) / 1024)) MB above the single document)"
done
cmp -s <(cd "$work/out1" && find . -type f ! -name 'ocrqa-report*' -exec md5sum {} + | sort) \
  <(cd "$work/out2" && find . -type f ! -name 'ocrqa-report*' -exec md5sum {} + | sort) &&
  echo "outputs of 1 and 2 jobs: identical" || echo "outputs of 1 and 2 jobs: DIFFER"
echo "words/s, 2 jobs over 1: $(python3 -c "print(round(${rate[2]} / ${rate[1]}, 2))")"
