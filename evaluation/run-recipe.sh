#!/usr/bin/env bash
# Trains one model per evaluation style with a recipe, stylizes the ten held-out photos with each and evaluates the
# set: the figures docs/quality.md reports per preset.
#
#   evaluation/run-recipe.sh OUT [style-gan train options...]
#   evaluation/run-recipe.sh out/eval/quality --preset quality
#   evaluation/run-recipe.sh out/eval/fast-g0 --preset fast --gamma 0
#   STYLES="impasto woodcut" evaluation/run-recipe.sh out/eval/fast --preset fast     # a subset of the styles
#
# Training photos: the quick start's bundled astronaut, coffee and rocket (never the evaluation photos). The
# held-out photo for best-generator selection (--evaluate-every) is the bundled cat, which is also one of the ten
# evaluation photos: docs/quality.md reports the means with and without it. Build first:
#   mvn -B -q -DskipTests -DskipDocJars -pl examples -am package
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { sed -n 2,14p "$0"; exit 2; }
out=$1; shift
cli=${STYLE_GAN_CLI:-examples/bin/style-gan}   # another copy of the CLI keeps long runs safe from rebuilds
bundled=examples/src/main/resources/org/stylegan/examples/images/content
mkdir -p "$out/content" "$out/models" "$out/outputs"
cp "$bundled"/{astronaut,coffee,rocket}.jpg "$out/content/"
for style in ${STYLES:-impasto mosaic hatching cutouts pointillism woodcut}; do
  model=$out/models/$style.zip
  if [[ ! -f $model ]]; then   # a rerun keeps the models already trained
    start=$SECONDS
    "$cli" train --content "$out/content" --style "evaluation/styles/$style.jpg" --out "$model" \
        --held-out "$bundled/cat.jpg" --checkpoint-every 0 "$@" > "$out/models/$style.log" 2>&1
    echo "$style: $((SECONDS - start)) s wall" >> "$out/times.txt"
  fi
  "$cli" stylize --model "$model" --input evaluation/photos --output "$out/outputs/$style" > /dev/null
done
"$cli" evaluate --set evaluation --outputs "$out/outputs" > "$out/figures.txt"
"$cli" evaluate --set evaluation --outputs "$out/outputs" --json > "$out/figures.json"
tail -3 "$out/figures.txt"
