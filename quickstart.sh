#!/usr/bin/env bash
# The main job: builds style-gan (tests skipped) and runs the quick start on the bundled images.
# Usage: ./quickstart.sh [--out DIR] [other quickstart options]
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests -pl examples -am package
exec java -jar examples/target/style-gan-cli.jar quickstart "$@"
