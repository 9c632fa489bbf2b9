#!/usr/bin/env bash
# Builds and runs the comparison, then scores every extractor with the shared scorer.
# Usage (from the repository root): bash bench/compare-extractors/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus/readability}
out=$(mktemp -d)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/compare}
cargo run --release --quiet --manifest-path "$root/bench/compare-extractors/Cargo.toml" -- "$corpus" "$out"
for dir in "$out"/*/; do
  python3 "$root/../shared/tools/score_extraction.py" readability --corpus "$corpus" \
    --pred-dir "$dir" --bootstrap 0 | sed "s|$out/||"
done
