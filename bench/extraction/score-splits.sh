#!/usr/bin/env bash
# Scores newsmon's extraction on the frozen splits of both corpora (tests/splits in the
# extractor crate), with the shared scorer. Usage, from the repository root:
#   bash bench/extraction/score-splits.sh dev          # tune on this one
#   bash bench/extraction/score-splits.sh test         # once or twice per batch of changes
# PROFILE=release uses a release build (default: the dev profile, same results, slower).
set -euo pipefail
split=${1:?usage: score-splits.sh dev|test}
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$root/../shared}
splits=$root/crates/extractor/tests/splits
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=()
[[ ${PROFILE:-dev} == release ]] && flags=(--release)
cargo build --quiet "${flags[@]}" -p newsmon-extractor --example extract_corpus
bin=${CARGO_TARGET_DIR:-$root/target}/$([[ ${PROFILE:-dev} == release ]] && echo release || echo debug)/examples/extract_corpus
for corpus in l3s-gn1 readability; do
  list=$splits/$corpus-$split.txt
  # The scorer reads a whole corpus; a corpus of links to the split's pages limits it.
  sub=$work/$corpus
  if [[ $corpus == l3s-gn1 ]]; then
    mkdir -p "$sub/expected" "$sub/input"
    while read -r page; do
      ln -s "$shared/corpus/l3s-gn1/expected/$page.txt" "$sub/expected/"
      ln -s "$shared/corpus/l3s-gn1/input/$page.html" "$sub/input/"
    done <"$list"
    mode=dir
  else
    mkdir -p "$sub"
    while read -r page; do ln -s "$shared/corpus/readability/$page" "$sub/"; done <"$list"
    mode=readability
  fi
  SKIP_TIMING=1 "$bin" "$sub" "$work/pred-$corpus" "$list" 2>"$work/log-$corpus" || {
    cat "$work/log-$corpus"; exit 1; }
  grep -E 'pages,|equal' "$work/log-$corpus" | sed "s/^/$corpus-$split: /"
  python3 "$shared/tools/score_extraction.py" "$mode" --corpus "$sub" \
    --pred-dir "$work/pred-$corpus" --bootstrap 0 --name "$corpus-$split" ${WORST:+--worst $WORST} \
    ${JSON_OUT:+--json-out $JSON_OUT-$corpus.json}
done
