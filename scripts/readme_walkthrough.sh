#!/usr/bin/env bash
# The README's walk-through, run for real on what a clone has (the seed page and the test
# fixtures), so its figures cannot drift: prints the transcript; `--write` puts it into
# README.md between the walk-through markers; `--check` exits 1 when README.md's differs
# (tests/readme.rs runs it). Timings print as N.N: they vary from run to run.
# Usage: scripts/readme_walkthrough.sh [--write | --check]
#        (OCRQA=path of the binary; default: a release build, made first)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${OCRQA:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=$root/target/release/ocrqa
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r seeds "$work/seeds"
cp -r tests/fixtures/eval/set "$work/set"
cd "$work"
export OCRQA_CACHE_DIR="$work/cache" NO_COLOR=1
# A command as typed, then what it prints (timings masked).
run() {
  local shown="\$"
  for arg in "$@"; do
    if [[ $arg =~ [^A-Za-z0-9_./=-] ]]; then shown+=" '$arg'"; else shown+=" $arg"; fi
  done
  echo "$shown"
  "$@" 2>&1 | sed -E 's/ in [0-9]+\.[0-9]+ s/ in N.N s/'
}
ocrqa() { "$bin" "$@"; }
{
  run ocrqa fix seeds --out out
  echo "\$ head -n 12 out/000_5b033a22578a78a3.diff"
  head -n 12 out/000_5b033a22578a78a3.diff
  run ocrqa fix set/*.ocr.txt --out set-out
  run ocrqa eval set set-out
  run ocrqa review set-out --accept-group 'publico->público' --reject-group 'Viena->Viene' \
    --reviewer ana
  run ocrqa apply set-out --out final
} >"$work/transcript"
readme=$root/README.md
new=$(python3 - "$readme" "$work/transcript" <<'PY'
import sys
readme = open(sys.argv[1], encoding="utf-8").read()
transcript = open(sys.argv[2], encoding="utf-8").read()
start, end = "<!-- walkthrough:start -->\n", "<!-- walkthrough:end -->"
a, b = readme.index(start) + len(start), readme.index(end)
sys.stdout.write(readme[:a] + "```text\n" + transcript + "```\n" + readme[b:])
PY
)
case "${1:-}" in
  --write) printf '%s' "$new" >"$readme" ;;
  --check)
    if [ "$new" != "$(cat "$readme")" ]; then
      echo "README.md's walk-through is out of date: run scripts/readme_walkthrough.sh --write" >&2
      diff <(cat "$readme") <(printf '%s' "$new") >&2 || true
      exit 1
    fi ;;
  *) cat "$work/transcript" ;;
esac
