#!/usr/bin/env bash
# Retrains a catalog entry from its manifest's recipe and packages the new model in its place.
#
#   style-gan-models/retrain.sh NAME [--catalog DIR] [--work DIR] [--no-evaluate]
#
# 1. reads NAME/manifest.json's recipe.command (StylePackager --print-command) and runs it through
#    examples/bin/style-gan from the repository root (the recipe's paths are relative to it), with --out redirected
#    into the work folder and --checkpoint-every 0 added when the recipe has none (the entry needs the checkpoint);
# 2. when the recipe's style image is one of evaluation/styles/, stylizes evaluation/photos/ with the new model
#    and takes the evaluator's means over them as the figures (style-gan evaluate --set evaluation --json);
# 3. runs StylePackager, which keeps the entry's title, description, style image, licence and thumbnail settings
#    and records the new model, checkpoint, wall time, this machine and the figures.
#
# Needs examples/target/style-gan-cli.jar: mvn -B -q -DskipTests -pl examples -am package
# The default catalog is the shipped one, style-gan-models/src/main/resources/org/stylegan/models.
set -euo pipefail

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
catalog="$repo/style-gan-models/src/main/resources/org/stylegan/models"
work=""
evaluate=1
name=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --catalog) catalog="$(cd "$2" && pwd)"; shift 2 ;;
    --work) mkdir -p "$2"; work="$(cd "$2" && pwd)"; shift 2 ;;
    --no-evaluate) evaluate=0; shift ;;
    -h|--help) usage ;;
    -*) echo "retrain.sh: unknown option $1" >&2; usage ;;
    *) [[ -z "$name" ]] || usage; name="$1"; shift ;;
  esac
done
[[ -n "$name" ]] || usage

cd "$repo"
jar="examples/target/style-gan-cli.jar"
if [[ ! -f "$jar" ]]; then
  echo "retrain.sh: $jar not found; build it first: mvn -B -q -DskipTests -pl examples -am package" >&2
  exit 2
fi
packager=(java -cp "$jar" org.stylegan.models.build.StylePackager)
work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/retrain-$name.XXXXXX")}"

"${packager[@]}" --print-command --catalog "$catalog" --name "$name" > "$work/command"
mapfile -d '' cmd < "$work/command"

model="$work/$name.zip"
extra=(--out "$model")
style=""
has_checkpoints=0
for ((i = 0; i < ${#cmd[@]}; i++)); do
  case "${cmd[i]}" in
    --checkpoint-every|--checkpoint-every=*) has_checkpoints=1 ;;
    --style) [[ -n "$style" ]] || style="${cmd[i + 1]:-}" ;;
    --style=*) [[ -n "$style" ]] || style="${cmd[i]#--style=}" ;;
  esac
done
[[ $has_checkpoints == 1 ]] || extra+=(--checkpoint-every 0)

echo "retrain.sh: style-gan ${cmd[*]} ${extra[*]}"
start=$(date +%s.%N)
examples/bin/style-gan "${cmd[@]}" "${extra[@]}"
seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
checkpoint="$work/$name.checkpoints/checkpoint.zip"

machine="$(nproc --all)-core $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
machine="$machine, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
machine="$machine, OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset}"

figures=()
stem="$(basename "${style%.*}")"
if [[ $evaluate == 1 && -n "$style" ]] && ls evaluation/styles/"$stem".* > /dev/null 2>&1; then
  examples/bin/style-gan stylize --model "$model" --input evaluation/photos --output "$work/eval/$stem"
  examples/bin/style-gan evaluate --set evaluation --outputs "$work/eval" --json > "$work/figures.json"
  figures=(--figures "$work/figures.json")
else
  echo "retrain.sh: '$style' is not one of evaluation/styles/: no figures recorded"
fi

"${packager[@]}" --catalog "$catalog" --name "$name" --model "$model" --checkpoint "$checkpoint" \
  --training-seconds "$seconds" --machine "$machine" "${figures[@]}"
echo "retrain.sh: work files in $work"
