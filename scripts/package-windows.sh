#!/usr/bin/env bash
# Builds the Windows installer on Linux: wix/main.wxs compiled by wixl (Debian's msitools) into
# target/installers/deepseek-advisor-<version>-x86_64.msi, then read back with msiinfo, which must
# show the "Open with" association for scenario files (.ron → DeepSeekAdvisor.Scenario, opened
# with the exe and the file), the icon (the same bytes as assets/icon.ico), the program and the
# Start-menu shortcut. Prints the MSI's path last. Unsigned: docs/cross-build.md says how to sign.
#
#   scripts/package-windows.sh          builds the release exe first (scripts/cross-env.sh)
#   scripts/package-windows.sh EXE      packages that exe (CI: the one scripts/wine-check.sh ran)
#
# Installs msitools and wixl (and for a build the cross packages) when missing (apt-get, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

cross_apt_install msitools wixl
exe=${1:-}
if [ -z "$exe" ]; then
    cross_apt_install "${CROSS_PACKAGES[@]}"
    step "build the Windows release binary" \
        cross_cargo build x86_64-pc-windows-gnu --release --bin deepseek-advisor --quiet
    exe=target/cross/x86_64-pc-windows-gnu/release/deepseek-advisor.exe
fi
[ -f "$exe" ] || { echo "$exe: no such file" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# wixl takes paths relative to the current folder only.
stage=target/installers/msi-stage
rm -rf "$stage"
mkdir -p "$stage"
cp "$exe" "$stage/deepseek-advisor.exe"
msi=target/installers/deepseek-advisor-$version-x86_64.msi
# wixl ignores MajorUpgrade's Schedule (WiX's own tools use it) and says so: not an error here.
wixl --arch x64 -D "Version=$version" -D "CargoTargetBinDir=$stage" -o "$msi" wix/main.wxs \
    2>&1 | { grep -v -e "has no property named 'Schedule'" -e '^$' || true; } >&2
[ -f "$msi" ] || { echo "wixl made no $msi" >&2; exit 1; }

failures=0
want() { # want WHAT TABLE FIXED-STRING: the exported table holds a row with that text.
    if msiinfo export "$msi" "$2" | tr '\t' '|' | grep -qF -- "$3"; then
        echo "ok: $1"
    else
        echo "MISSING: $1 (table $2 has no row with: $3)"
        failures=$((failures + 1))
    fi
}
want ".ron offers DeepSeek Advisor in Open with" Registry \
    '|2|Software\Classes\.ron\OpenWithProgids|DeepSeekAdvisor.Scenario|'
want "the scenario type opens with the exe" Registry \
    '|2|Software\Classes\DeepSeekAdvisor.Scenario\shell\open\command||"[APPLICATIONFOLDER]deepseek-advisor.exe" "%1"|'
want "the scenario type's icon is the exe's" Registry \
    'Software\Classes\DeepSeekAdvisor.Scenario\DefaultIcon||[APPLICATIONFOLDER]deepseek-advisor.exe,0|'
want "the program" File "exe|Binary|deepseek-advisor.exe|$(stat -c %s "$exe")|"
want "the Start-menu shortcut" Shortcut \
    '|ProgramMenuFolder|DeepSeek Advisor|StartMenuShortcut|[APPLICATIONFOLDER]deepseek-advisor.exe|'
want "Apps & features shows the icon" Property 'ARPPRODUCTICON|AppIcon'
want "the version" Property "ProductVersion|$version"
if msiinfo extract "$msi" Icon.AppIcon | cmp -s - assets/icon.ico; then
    echo "ok: the icon is assets/icon.ico"
else
    echo "MISSING: the MSI's icon differs from assets/icon.ico"
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] || { echo "$msi: $failures check(s) failed" >&2; exit 1; }
echo "size: $(stat -c %s "$msi") bytes"
echo "$msi"
