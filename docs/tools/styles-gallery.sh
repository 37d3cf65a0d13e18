#!/usr/bin/env bash
# Draws the gallery images of docs/styles.md from the shipped catalog: per style, the style image and two
# evaluation photos stylized by the pretrained model (docs/images/styles-NAME.jpg).
#   docs/tools/styles-gallery.sh        (needs examples/target/style-gan-cli.jar)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${STYLE_GAN_CLI:-examples/bin/style-gan}
jar="$(dirname "$cli")/../target/style-gan-cli.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
catalog=style-gan-models/src/main/resources/org/stylegan/models
for name in $(sed 's/[][{}":,]/ /g; s/styles//' "$catalog/styles.json"); do
  for photo in mountain_path grace_hopper; do
    "$cli" stylize --catalog "$catalog" --style "$name" --input "evaluation/photos/$photo.jpg" --output "$work/$name-$photo.png" > /dev/null
  done
  java -cp "$jar" docs/tools/Grid.java "docs/images/styles-$name.jpg" 200 \
    "style: $name=$catalog/$name/style.jpg" \
    "photo=evaluation/photos/mountain_path.jpg" "stylized=$work/$name-mountain_path.png" \
    "photo=evaluation/photos/grace_hopper.jpg" "stylized=$work/$name-grace_hopper.png"
done
