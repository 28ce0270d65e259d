#!/usr/bin/env bash
# Builds the Windows binary on Linux and runs it under Wine: its command line is compared with the
# Linux binary's, command by command, and the window must draw its first frame under Xvfb.
#
#   scripts/wine-check.sh                 the comparison and the first-frame check (CI runs this)
#   WINE_CHECK_SCREENSHOTS=DIR scripts/wine-check.sh
#                                         also pictures of the window in English and Chinese
#                                         (DIR/wine-en.png, DIR/wine-zh.png; installs ImageMagick
#                                         and xdotool)
#   WINE_CHECK_PROFILE=release scripts/wine-check.sh
#                                         the real release build (thin LTO, one codegen unit: much
#                                         slower to build); default `wine-ci`, the release profile
#                                         without LTO (Cargo.toml), which behaves the same
#
# What legitimately differs, and is therefore left out of the comparison: the detected hardware
# of `check` without hardware flags (Wine reports Windows, the C: drive and the GPUs DXGI sees; the
# script checks those values separately), and the path separator in the file list `deploy`
# prints (`\` on Windows). Every other command gets the same hardware flags and relative paths on
# both sides and must print the same bytes.
#
# The harness supplies what Wine 8 lacks and Windows 10/11 have: `ProcessPrng` (Rust's standard
# library's random source) from a 20-line DLL built here (scripts/wine/processprng-shim.c) and
# put next to the test copy of the .exe only. The product ships no such DLL.
#
# Installs Debian's packages when missing (apt-get, as root). Everything under target/cross/ and
# target/wine/. The Wine prefix takes about 700 MB (Debian's Wine copies its DLLs into it) and
# 12 s to make, so it is deleted at the end; WINE_CHECK_KEEP_PREFIX=1 keeps it for another run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

profile=${WINE_CHECK_PROFILE:-wine-ci}
shots=${WINE_CHECK_SCREENSHOTS:-}
packages=("${CROSS_PACKAGES[@]}" wine wine64 xvfb xauth)
[ -z "$shots" ] || packages+=(imagemagick xdotool)
cross_apt_install "${packages[@]}"

target=x86_64-pc-windows-gnu
step "build the Windows binary ($profile)" \
    cross_cargo build "$target" --profile "$profile" --bin deepseek-advisor --quiet
step "build the Linux binary" cargo build --quiet --bin deepseek-advisor
linux=target/debug/deepseek-advisor

root=target/wine
bin=$root/bin
out=$root/out
rm -rf "$out"
mkdir -p "$bin" "$out/linux" "$out/wine"
cp "target/cross/$target/$profile/deepseek-advisor.exe" "$bin/"
x86_64-w64-mingw32-gcc -O2 -shared -o "$bin/bcryptprimitives.dll" \
    scripts/wine/processprng-shim.c scripts/wine/processprng-shim.def
echo "size: deepseek-advisor.exe is $(stat -c %s "$bin/deepseek-advisor.exe") bytes"

export WINEPREFIX=$PWD/$root/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEARCH=win64
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    step "make the Wine prefix" wineboot --init
fi
exe=$bin/deepseek-advisor.exe
runwine() { wine "$exe" "$@"; }

failures=0
# same NAME ARGS...: the Linux and the Windows binary print the same bytes (standard output and
# error) and exit the same way.
same() {
    local name=$1 lrc=0 wrc=0
    shift
    "$linux" "$@" >"$out/linux/$name" 2>"$out/linux/$name.err" || lrc=$?
    runwine "$@" >"$out/wine/$name" 2>"$out/wine/$name.err" || wrc=$?
    if [ "$lrc" != "$wrc" ]; then
        echo "DIFFERENT $name: exit $lrc on Linux, $wrc under Wine"
        cat "$out/wine/$name.err"
        failures=$((failures + 1))
    elif ! diff -u "$out/linux/$name" "$out/wine/$name" ||
        ! diff -u "$out/linux/$name.err" "$out/wine/$name.err"; then
        echo "DIFFERENT $name (diff above)"
        failures=$((failures + 1))
    else
        echo "same: $name ($(wc -c <"$out/linux/$name") bytes, exit $lrc)"
    fi
}

hw=(--gpu rtx-4090 --ram 64 --cpu-mem-bw 80 --cpu-cores 16)
python3 scripts/wine/make-test-gguf.py "$root/test.gguf"
start=$(date +%s)
same version --version
same estimate-json estimate --model deepseek-r1-distill-qwen-32b --quant Q4_K_M "${hw[@]}" --json
same estimate-text estimate --model deepseek-v3 --quant IQ1_S --context 8192 "${hw[@]}"
same estimate-file estimate --file "$root/test.gguf" "${hw[@]}" --json
same check-flags check "${hw[@]}" --json
same plan plan scenarios/personal-rtx4090.ron --json
same plan-text plan scenarios/finance-2m-cny-8xh100-regulated.ron
same report-md report scenarios/startup-100k-cny-2xa100.ron --format md
same report-html report scenarios/personal-rtx4090.ron --format html
same bad-input estimate --model no-such-model --quant Q4_K_M "${hw[@]}"
# deploy writes files: the same files, and the same report of them once the output folder is
# named OUT and Windows' path separator read as `/` (the only legitimate difference).
for t in shell compose k8s; do
    rm -rf "$out/linux/deploy-$t" "$out/wine/deploy-$t"
    "$linux" deploy scenarios/r1-671b-private-h200.ron --target "$t" --out "$out/linux/deploy-$t" |
        sed "s|$out/linux/deploy-$t|OUT|g" >"$out/linux/deploy-$t.txt"
    runwine deploy scenarios/r1-671b-private-h200.ron --target "$t" --out "$out/wine/deploy-$t" |
        sed -e 's|\\|/|g' -e "s|$out/wine/deploy-$t|OUT|g" >"$out/wine/deploy-$t.txt"
    if diff -u "$out/linux/deploy-$t.txt" "$out/wine/deploy-$t.txt" &&
        diff -ru "$out/linux/deploy-$t" "$out/wine/deploy-$t"; then
        echo "same: deploy --target $t ($(find "$out/linux/deploy-$t" -type f | wc -l) files)"
    else
        echo "DIFFERENT deploy --target $t (diff above)"
        failures=$((failures + 1))
    fi
done
echo "time: command-line comparison took $(($(date +%s) - start)) s wall"

# check without hardware flags: this machine as Wine shows it. The hardware differs by design;
# the checks below name what it must hold.
runwine check --json >"$out/wine/check-detected.json"
"$linux" check --json >"$out/linux/check-detected.json"
python3 - "$out/linux/check-detected.json" "$out/wine/check-detected.json" <<'EOF' || failures=$((failures + 1))
import json, sys
linux, wine = (json.load(open(p)) for p in sys.argv[1:])
lh, wh = linux["hardware"], wine["hardware"]
problems = []
def want(ok, what):
    print(("ok: " if ok else "WRONG: ") + what)
    if not ok:
        problems.append(what)
want("Windows" in wh["os"], f"os names Windows ({wh['os']!r})")
want(wh["cpu"]["logical_cores"] == lh["cpu"]["logical_cores"],
     f"logical cores {wh['cpu']['logical_cores']} as on Linux ({lh['cpu']['logical_cores']})")
want(abs(wh["ram_total_gb"] - lh["ram_total_gb"]) <= 0.05 * lh["ram_total_gb"],
     f"RAM {wh['ram_total_gb']:.1f} GB within 5% of Linux's {lh['ram_total_gb']:.1f} GB")
# C:\ is the Wine prefix, on the same Linux file system as the home folder Linux measured (CI
# keeps both in one file system); other builds write meanwhile, hence 5%.
wd, ld = wh.get("disk_free_gb"), lh.get("disk_free_gb")
want(wd is not None and ld is not None and abs(wd - ld) <= 0.05 * ld,
     f"free disk {wd} GB on C:, within 5% of Linux's {ld} GB")
want(not any("did not answer" in n or "detection failed" in n for n in wh["notes"]),
     "no source failed or ran late")
want(len(wine["results"]) == len(linux["results"]) > 0,
     f"{len(wine['results'])} results, as on Linux")
print("Wine's detection notes:", wh["notes"])
print("Wine's GPUs:", [(g["name"], g["source"], round(g["vram_total_gb"], 2)) for g in wh["gpus"]])
sys.exit(1 if problems else 0)
EOF

# The console: started from a console without standard handles, as Windows starts a GUI-subsystem
# program, the exe must still print there (it attaches to its parent's console). `script` gives
# Wine a terminal, so the launcher runs in a console; the control shows the launcher passes no
# handles (Wine alone would pass them to any program).
x86_64-w64-mingw32-gcc -municode -O2 -o "$bin/launch-without-handles.exe" \
    scripts/wine/launch-without-handles.c
x86_64-w64-mingw32-gcc -mwindows -O2 -o "$bin/gui-without-console.exe" \
    scripts/wine/gui-without-console.c
in_console() { script -qec "wine $bin/launch-without-handles.exe $*; echo \"exit \$?\"" /dev/null | tr -d '\r'; }
control=$(in_console "$bin/gui-without-console.exe")
printed=$(in_console "$exe" --version)
if [[ "$control" != *"the control printed"* && "$control" == *"exit 3"* ]] &&
    [[ "$printed" == *"$(cat "$out/linux/version")"* && "$printed" == *"exit 0"* ]]; then
    echo "ok: started from a console without handles, the exe prints there (the control does not)"
else
    echo "WRONG: console output; control: $control; exe: $printed"
    failures=$((failures + 1))
fi

# The window: its first frame under Xvfb (the app's startup probe draws one frame and exits).
display=:${WINE_CHECK_DISPLAY:-93}
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
if DISPLAY=$display DEEPSEEK_ADVISOR_STARTUP_PROBE=1 timeout 120 wine "$exe" \
    >"$out/wine/first-frame" 2>&1 && grep -q "first frame after" "$out/wine/first-frame"; then
    echo "ok: the window drew its first frame under Wine ($(grep -o 'first frame after.*' "$out/wine/first-frame"))"
else
    echo "WRONG: no first frame under Wine:"
    cat "$out/wine/first-frame"
    failures=$((failures + 1))
fi

if [ -n "$shots" ]; then
    mkdir -p "$shots"
    data="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/deepseek-advisor/data"
    for lang in en zh; do
        currency=Usd
        [ "$lang" = zh ] && currency=Cny
        mkdir -p "$data"
        cat >"$data/app.ron" <<EOF
{
  "prefs": "(lang: Some(\"$lang\"), currency: $currency, theme: Dark, )",
  "window": "(normal_geometry: (outer_position_pixels: Some((x: 0.0, y: 0.0)), scale_factor: 1.0, inner_size_points: (x: 1280.0, y: 800.0)), fullscreen: false, maximized: false)",
}
EOF
        DISPLAY=$display wine "$exe" >/dev/null 2>&1 &
        app=$!
        sleep "${WINE_CHECK_WAIT:-20}"
        # The pointer starts mid-screen, where a tooltip would cover the picture.
        DISPLAY=$display xdotool mousemove 0 799
        sleep 2
        DISPLAY=$display import -window root "$shots/wine-$lang.png"
        kill "$app" 2>/dev/null || true
        wineserver -k || true
        echo "wrote $shots/wine-$lang.png"
    done
fi

du -sh "$root" | awk '{print "disk: target/wine holds " $1 " with the Wine prefix"}'
if [ -z "${WINE_CHECK_KEEP_PREFIX:-}" ]; then
    wineserver -k 2>/dev/null || true
    rm -rf "$WINEPREFIX"
fi
if [ "$failures" -gt 0 ]; then
    echo "wine-check: $failures check(s) failed"
    exit 1
fi
echo "wine-check: the Windows binary matches the Linux one"
