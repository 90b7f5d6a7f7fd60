#!/usr/bin/env bash
# Does the cost of `ocrqa fix` grow linearly with the size of a document? Makes documents of
# 0.4, 1, 2 and 4 MiB by repeating OCR text (repeated lines are the hard case for line diffs),
# corrects each (release, one core, fresh output folder) and prints seconds, peak RSS and
# seconds per MiB; per-MiB figures that stay flat mean linear cost.
# Usage: benches/scaling.sh [SET_DIR]   (default ../shared/eval/dev, its *.ocr.txt; without
#        it, the seed page in seeds/). Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir=${1:-../shared/eval/dev}
cargo build --release --locked --quiet
bin=$PWD/target/release/ocrqa
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ls "$set_dir"/*.ocr.txt >/dev/null 2>&1; then cat "$set_dir"/*.ocr.txt >"$work/text"
else cat seeds/*.txt >"$work/text"; fi
export OCRQA_CACHE_DIR="$work/cache"
$bin fix seeds --out "$work/warm" -q   # builds the index cache
printf "%8s %8s %10s %10s\n" MiB seconds "peak MB" "s per MiB"
for mib in 0.4 1 2 4; do
  python3 - "$work/text" "$work/doc.txt" "$mib" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
size = int(float(sys.argv[3]) * 1024 * 1024)
data = (text * (size // len(text.encode()) + 1)).encode()[:size]
open(sys.argv[2], "w", encoding="utf-8").write(data.decode("utf-8", "ignore"))
PY
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/t" taskset -c 0 $bin fix "$work/doc.txt" --out "$work/out" -q \
    --max-bytes 10000000
  read -r s kb <"$work/t"
  printf "%8s %8s %10s %10s\n" "$mib" "$s" "$((kb / 1024))" "$(python3 -c "print(round($s / $mib, 2))")"
done
