#!/usr/bin/env bash
# Runs the release app under Xvfb and writes a PNG of the window.
# Needs: apt-get install xvfb x11-apps imagemagick libgl1-mesa-dri libegl1 libxkbcommon-x11-0
#        (and xdotool, optional: it moves the pointer out of the way)
# Usage: scripts/screenshot.sh [out.png] [scenario.ron] [--tab verdict|wizard|costs] [--step N]
#   everything after out.png is passed to the app.
# Environment:
#   SCREENSHOT_LANG=zh|en        UI language (and currency: zh → CNY, en → USD); default: the locale
#   SCREENSHOT_THEME=light|dark  default: the system's (dark under Xvfb)
#   SCREENSHOT_SIZE=1280x800     window and screen size
#   SCREENSHOT_WAIT=5            seconds to wait before the picture
#   SCREENSHOT_PROFILE=release   the build to run: release, or dev (a debug build draws the same
#                                window and builds much faster)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-screenshot.png}
shift || true
size=${SCREENSHOT_SIZE:-1280x800}
width=${size%x*}
height=${size#*x}
case "${SCREENSHOT_PROFILE:-release}" in
  release) cargo build --release --quiet; bin=./target/release/deepseek-advisor ;;
  dev) cargo build --quiet; bin=./target/debug/deepseek-advisor ;;
  *) echo "SCREENSHOT_PROFILE must be release or dev" >&2; exit 2 ;;
esac
display=:${SCREENSHOT_DISPLAY:-97}
Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
sleep 1
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
# A throwaway settings folder, so the picture does not depend on earlier runs. The app reads its
# preferences (language, theme, currency) and eframe its window size from it, as if the user had
# chosen them in the View menu and resized the window.
export XDG_DATA_HOME=$(mktemp -d)
prefs=""
case "${SCREENSHOT_LANG:-}" in
  zh) prefs+='lang: Some(\"zh\"), currency: Cny, ' ;;
  en) prefs+='lang: Some(\"en\"), currency: Usd, ' ;;
  "") ;;
  *) echo "SCREENSHOT_LANG must be zh or en" >&2; exit 2 ;;
esac
case "${SCREENSHOT_THEME:-}" in
  light) prefs+='theme: Light, ' ;;
  dark) prefs+='theme: Dark, ' ;;
  "") ;;
  *) echo "SCREENSHOT_THEME must be light or dark" >&2; exit 2 ;;
esac
mkdir -p "$XDG_DATA_HOME/deepseek-advisor"
cat > "$XDG_DATA_HOME/deepseek-advisor/app.ron" <<EOF
{
  "prefs": "($prefs)",
  "window": "(normal_geometry: (outer_position_pixels: Some((x: 0.0, y: 0.0)), scale_factor: 1.0, inner_size_points: (x: $width.0, y: $height.0)), fullscreen: false, maximized: false)",
}
EOF
DISPLAY=$display "$bin" "$@" &
app=$!
# The pointer starts in the middle of the screen, where a tooltip would cover the picture: park it
# in the bottom-left corner when xdotool is there (apt-get install xdotool).
if command -v xdotool >/dev/null; then
  sleep 1
  DISPLAY=$display xdotool mousemove 0 "$((height - 1))" || true
fi
sleep "${SCREENSHOT_WAIT:-5}"
DISPLAY=$display import -window root "$out"
echo "wrote $out"
