#!/usr/bin/env bash
# Builds the shipped catalog from scratch: one model per evaluation style with the quality preset, trained on the
# bundled training photos (style-gan-models/training-photos: astronaut, coffee, rocket), evaluated on the ten
# evaluation photos, packaged with StylePackager (16-bit storage) into
# style-gan-models/src/main/resources/org/stylegan/models.
#
#   style-gan-models/build-catalog.sh [WORK]        (default WORK: out/eval/quality; STYLES="a b" for some)
#
# Models already in WORK/models (e.g. from `evaluation/run-recipe.sh out/eval/quality --preset quality`, which runs
# the same command) are packaged as they are, with the wall time recorded in WORK/times.txt. About 12-15 minutes of
# training per style on an idle 2-core machine. Needs examples/target/style-gan-cli.jar:
#   mvn -B -q -DskipTests -DskipDocJars -pl examples -am package
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-out/eval/quality}
cli=${STYLE_GAN_CLI:-examples/bin/style-gan}
jar="$(dirname "$cli")/../target/style-gan-cli.jar"
catalog=style-gan-models/src/main/resources/org/stylegan/models
photos=style-gan-models/training-photos
heldout=examples/src/main/resources/org/stylegan/examples/images/content/cat.jpg
mkdir -p "$work/models" "$work/outputs"
machine="$(nproc --all)-core $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
machine="$machine, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"

declare -A title=(
  [impasto]="Impasto" [mosaic]="Mosaic" [hatching]="Hatching" [cutouts]="Cut-outs"
  [pointillism]="Pointillism" [woodcut]="Woodcut")
declare -A description=(
  [impasto]="Oil paint in thick, directional strokes with raised ridges."
  [mosaic]="Stone tesserae in rings and rows, with grout lines."
  [hatching]="Pen and ink: cross-hatching and contours."
  [cutouts]="Big flat shapes of cut coloured paper."
  [pointillism]="Dabs of pure pigment side by side."
  [woodcut]="Carved lines that follow the tone, in two blocks of ink.")

for style in ${STYLES:-impasto mosaic hatching cutouts pointillism woodcut}; do
  model=$work/models/$style.zip
  recipe=(train --content "$photos" --style "evaluation/styles/$style.jpg" --out "$model" --preset quality
          --held-out "$heldout" --checkpoint-every 0)
  if [[ ! -f $model ]]; then
    start=$SECONDS
    "$cli" "${recipe[@]}" > "$work/models/$style.log" 2>&1
    echo "$style: $((SECONDS - start)) s wall" >> "$work/times.txt"
  fi
  seconds=$(sed -n "s/^$style: \([0-9]*\) s wall$/\1/p" "$work/times.txt" | tail -1)
  # Figures of this style alone: the evaluator's means over its ten pairs.
  [[ -d $work/outputs/$style ]] || "$cli" stylize --model "$model" --input evaluation/photos \
      --output "$work/outputs/$style" > /dev/null
  one=$work/per-style/$style && rm -rf "$one" && mkdir -p "$one" && ln -s "$(pwd)/$work/outputs/$style" "$one/$style"
  "$cli" evaluate --set evaluation --outputs "$one" --json > "$work/per-style/$style.json"
  recipe[6]=out/$style.zip   # the recorded command writes to out/, like any user's run
  java -cp "$jar" org.stylegan.models.build.StylePackager --catalog "$catalog" --name "$style" \
    --model "$model" --checkpoint "$work/models/$style.checkpoints/checkpoint.zip" \
    --title "${title[$style]}" --description "${description[$style]}" \
    --style-image "evaluation/styles/$style.jpg" --style-source "evaluation/styles/$style.jpg" \
    --licence "our own work (StyleImageGenerator --evaluation), same licence as style-gan (Apache 2.0); evaluation/LICENSES.md" \
    --thumbnail-photo evaluation/photos/cat.jpg --thumbnail-size 256 \
    --training-seconds "${seconds:-0}" --machine "$machine" --figures "$work/per-style/$style.json" \
    -- "${recipe[@]}"
done
