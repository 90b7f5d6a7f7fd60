#!/usr/bin/env bash
# Speed of ocrqa on layout files beside the same OCR run's plain text: one condition of the
# development matrix (scripts/matrix/), 25 documents as txt, hOCR and ALTO, corrected on one
# core (release, median of 5 into fresh folders). The ratio layout/txt is what to watch.
# Usage: benches/layout.sh [MATRIX_DIR] [CONDITION]   (default ../data/matrix tw-clean-spa)
set -euo pipefail
cd "$(dirname "$0")/.."
matrix=${1:-../data/matrix}
cond=${2:-tw-clean-spa}
cargo build --release --locked --quiet 2>/dev/null || cargo build --release --offline --quiet
bin=$PWD/target/release/ocrqa
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export OCRQA_CACHE_DIR="$work/cache"
mkdir -p "$work/txt" "$work/hocr" "$work/alto"
cp "$matrix"/set/*."$cond".ocr.txt "$work/txt/"
cp "$matrix"/layout/"$cond"/*.hocr "$work/hocr/"
cp "$matrix"/layout/"$cond"/*.xml "$work/alto/"
$bin fix seeds --out "$work/warm" -q
words=$(cat "$work"/txt/*.txt | wc -w)
median() {
  for k in 1 2 3 4 5; do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/t" taskset -c 0 $bin fix "$1" --out "$work/out" -q 2>/dev/null
    cat "$work/t"
  done | sort -n | sed -n 3p
}
printf "%6s %8s %10s %8s %8s\n" format seconds "words/s" "peak MB" "× txt"
base=
for format in txt hocr alto; do
  read -r s kb < <(median "$work/$format")
  base=${base:-$s}
  printf "%6s %8s %10s %8s %8s\n" "$format" "$s" "$(python3 -c "print(round($words/$s))")" \
    "$((kb / 1024))" "$(python3 -c "print(round($s/$base, 2))")"
done
