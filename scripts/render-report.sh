#!/usr/bin/env bash
# Renders hive's HTML report in headless Chromium and saves a screenshot for the README.
#
#   scripts/render-report.sh [screenshot.png]        (default: docs/report.png)
#
# Builds hive, plays a 500-round embedded wargame into a temporary database, writes its HTML
# report, opens it in headless Chromium (Debian's package: apt-get install -y chromium), prints
# the console messages and any error, checks the charts were drawn and that the page requested
# nothing, and saves a full-page screenshot. Exit 1 when the page logged an error.
set -euo pipefail
cd "$(dirname "$0")/.."
png="${1:-docs/report.png}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm run --silent build
node dist/cli/main.js wargame --rounds 500 --seed 42 --db "$work/hive.db" --quiet > /dev/null
node dist/cli/main.js report latest --db "$work/hive.db" --format html --out "$work/report.html"
mkdir -p "$(dirname "$png")"
node --experimental-websocket --no-warnings scripts/render-report.mjs "$work/report.html" "$png"
