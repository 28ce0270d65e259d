#!/usr/bin/env bash
# Builds the Debian package of the app and checks it; prints the .deb's path last.
#   scripts/package.sh            -> target/debian/deepseek-advisor_<version>-1_<arch>.deb
# Needs python3 (icons), cargo-deb and, for the checks, desktop-file-utils and shared-mime-info;
# the missing ones are installed: `cargo install cargo-deb --locked`,
# `apt-get install desktop-file-utils shared-mime-info` (as root).
# Not part of `cargo test`: it builds a release binary (several minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-deb >/dev/null || cargo install cargo-deb --locked
if ! command -v desktop-file-validate >/dev/null || ! command -v update-mime-database >/dev/null; then
  apt-get install -y desktop-file-utils shared-mime-info >&2
fi

# The icon in the hicolor sizes, each drawn at its size.
for s in 16 24 32 48 64 128 256 512; do
  mkdir -p "target/package/icons/${s}x${s}"
  python3 scripts/make-icon.py "$s" "target/package/icons/${s}x${s}/deepseek-advisor.png" >/dev/null
done

desktop-file-validate assets/deepseek-advisor.desktop
cargo deb --quiet >&2
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
deb=$(ls -t target/debian/deepseek-advisor_"${version}"-*.deb | head -1)

# Unpack into a scratch root and check what a user's system would get.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
for f in usr/bin/deepseek-advisor \
         usr/share/applications/deepseek-advisor.desktop \
         usr/share/mime/packages/deepseek-advisor.xml \
         usr/share/icons/hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256,512x512}/apps/deepseek-advisor.png; do
  [ -s "$root/$f" ] || { echo "missing in the package: $f" >&2; exit 1; }
done
desktop-file-validate "$root/usr/share/applications/deepseek-advisor.desktop"
update-mime-database "$root/usr/share/mime" >/dev/null 2>&1 || { echo "update-mime-database failed" >&2; exit 1; }
grep -q 'application/x-deepseek-advisor-scenario:\*\.dsa\.ron' "$root/usr/share/mime/globs2" \
  || { echo "the MIME database does not map *.dsa.ron" >&2; exit 1; }
"$root/usr/bin/deepseek-advisor" --version >&2
echo "package contents checked: binary, .desktop (valid), icons 16-512, MIME type for *.dsa.ron" >&2
echo "$deb"
