#!/usr/bin/env bash
# How ocrqa does on layout files beside plain text: for each condition of the development
# matrix (scripts/matrix/), the same Tesseract run's txt, hOCR and ALTO are corrected, and the
# text each gives (a layout file's `NAME.EXT.txt`) is scored against the truth by `ocrqa eval`;
# the OCR side is the text ocrqa reads from each file (`--apply none`). One table, conditions
# named COND-txt, COND-hocr and COND-alto.
# Usage: [APPLY=review] scripts/layout_eval.sh [MATRIX_DIR]   (default ../data/matrix; APPLY: the
#        level applied, auto by default)
set -euo pipefail
cd "$(dirname "$0")/.."
matrix=${1:-../data/matrix}
level=${APPLY:-auto}
cargo build --release --locked --quiet 2>/dev/null || cargo build --release --offline --quiet
bin=$PWD/target/release/ocrqa
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export OCRQA_CACHE_DIR="$work/cache"
mkdir -p "$work/set" "$work/sys"
cp "$matrix"/set/*.truth.txt "$work/set/"
for dir in "$matrix"/layout/*/; do
  cond=$(basename "$dir")
  for format in txt hocr alto; do
    in="$work/in/$cond-$format"; mkdir -p "$in"
    case $format in
      txt) cp "$matrix"/set/*."$cond".ocr.txt "$in/" ;;
      hocr) cp "$dir"/*.hocr "$in/" ;;
      alto) cp "$dir"/*.xml "$in/" ;;
    esac
    "$bin" fix "$in" --out "$work/none/$cond-$format" --apply none -q 2>/dev/null || true
    "$bin" fix "$in" --out "$work/fixed/$cond-$format" --apply "$level" -q 2>/dev/null || true
    for f in "$in"/*; do
      name=$(basename "$f"); doc=${name%%.*}
      case $format in
        txt) out=$name ;;
        *) out=$name.txt ;;
      esac
      cp "$work/none/$cond-$format/$out" "$work/set/$doc.$cond-$format.ocr.txt"
      cp "$work/fixed/$cond-$format/$out" "$work/sys/$doc.$cond-$format.ocr.txt"
    done
  done
done
"$bin" eval "$work/set" "$work/sys"
