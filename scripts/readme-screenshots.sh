#!/usr/bin/env bash
# Redraws the README's screenshots (docs/images/verdict-en.png and verdict-zh.png): the Verdict tab
# at 1280×800 on an RTX 4090 with 64 GB, light theme, reduced to a 128-colour palette to stay small.
# Needs what scripts/screenshot.sh needs. SCREENSHOT_PROFILE=dev uses a debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
for lang in en zh; do
  raw=$(mktemp --suffix=.png)
  SCREENSHOT_LANG=$lang SCREENSHOT_THEME=light SCREENSHOT_WAIT=${SCREENSHOT_WAIT:-8} \
    scripts/screenshot.sh "$raw" scripts/screenshots/rtx4090-64gb.ron
  convert "$raw" -strip -colors 128 "PNG8:docs/images/verdict-$lang.png"
  rm -f "$raw"
  echo "docs/images/verdict-$lang.png: $(stat -c %s "docs/images/verdict-$lang.png") bytes"
done
