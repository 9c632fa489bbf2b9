#!/bin/bash
# Micro precision/recall and tagged decoys of every development split with a frames file,
# and their sum: the regression check for a batch of frames (issue 13). The held-out
# splits (test, and the batches held out for the next first scores: dev10, dev12) are left out.
#   cargo build --release -p newsmon-extractor --example eval_tagger
#   bench/tagging/splits.sh [config/frames.toml] [target/release/examples/eval_tagger]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FRAMES=${1:-$ROOT/config/frames.toml}
EVAL=${2:-$ROOT/target/release/examples/eval_tagger}
T=$ROOT/crates/extractor/tests/tagcorpus
tp=0; fp=0; fn=0
for d in $T/train $T/dev $T/dev2 $T/dev3 $T/dev4 $T/dev5 $T/dev6 $T/dev6h $T/dev7 $T/dev8 $T/dev9 $T/dev11 $T/dev13 $T/dev14 \
         $ROOT/crates/extractor/tests/eval $ROOT/crates/extractor/tests/redteam; do
  out=$("$EVAL" --quick --frames "$FRAMES" "$d" 2>&1)
  m=$(echo "$out" | grep '^micro')
  printf "%-8s %s | %s\n" "$(basename "$d")" "$m" "$(echo "$out" | grep '^decoys' | cut -c1-40)"
  read -r _ _ _ a b c <<< "$m"
  tp=$((tp + a)); fp=$((fp + b)); fn=$((fn + c))
done
python3 -c "tp,fp,fn=$tp,$fp,$fn; print(f'TOTAL tp {tp} fp {fp} fn {fn}  P {tp/(tp+fp):.4f} R {tp/(tp+fn):.4f}')"
