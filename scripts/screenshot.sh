#!/usr/bin/env bash
# Runs the release app under Xvfb and writes a PNG of the window.
# Needs: apt-get install xvfb x11-apps imagemagick libgl1-mesa-dri libegl1 libxkbcommon-x11-0
# Usage: scripts/screenshot.sh [out.png] [scenario.ron] (env SCREENSHOT_LANG=zh for Chinese)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-screenshot.png}
scenario=${2:-}
cargo build --release --quiet
display=:${SCREENSHOT_DISPLAY:-97}
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
sleep 1
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
# A throwaway settings folder, so the picture does not depend on earlier runs.
export XDG_DATA_HOME=$(mktemp -d)
if [ -n "${SCREENSHOT_LANG:-}" ]; then export LANG=${SCREENSHOT_LANG}_CN.UTF-8 LC_ALL=${SCREENSHOT_LANG}_CN.UTF-8; fi
DISPLAY=$display ./target/release/deepseek-advisor $scenario &
app=$!
sleep "${SCREENSHOT_WAIT:-5}"
DISPLAY=$display import -window root "$out"
echo "wrote $out"
