#!/usr/bin/env bash
# Writes each shipped scenario's HTML report and a picture of it as headless Chromium renders it,
# to check that the charts, the recommendation and Chinese text show.
#   scripts/report-screenshot.sh [OUT_DIR]        (default target/report-screenshots)
#   REPORT_LANG=zh scripts/report-screenshot.sh   (Chinese reports)
# Needs: apt-get install chromium fonts-noto-cjk (the reports use the system's CJK font).
# Chromium runs without network access features, sandbox or GPU, with a throwaway profile.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/report-screenshots}
lang=${REPORT_LANG:-en}
mkdir -p "$out"
cargo build --release --quiet
for scenario in scenarios/*.ron; do
  name=$(basename "$scenario" .ron)
  name=${name%.dsa}
  html="$out/$name-$lang.html"
  png="$out/$name-$lang.png"
  ./target/release/deepseek-advisor report "$scenario" --format html --lang "$lang" --out "$html"
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$png" --window-size=1280,2000 \
    "file://$(realpath "$html")" >/dev/null 2>&1
  rm -rf "$profile"
  echo "$png"
done
