#!/usr/bin/env bash
# Checks and lints the code for Windows and macOS on Linux: `cargo clippy -- -D warnings` (which
# type-checks everything `cargo check` does, and more) for each target, with Debian's Rust 1.96
# and the standard library built from source (scripts/cross-env.sh). Windows: every target (the
# library, the binary, tests, benches). macOS: the library and the binary — the tests' and
# benches' dependencies include C code (criterion's `alloca`) that needs Apple's compiler and SDK.
#
#   scripts/cross-check.sh [TARGET...]
#       default: x86_64-pc-windows-gnu aarch64-apple-darwin x86_64-apple-darwin
#
# Installs its Debian packages when missing (apt-get, as root). Output under target/cross/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cross-env.sh

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-pc-windows-gnu aarch64-apple-darwin x86_64-apple-darwin)
cross_apt_install "${CROSS_PACKAGES[@]}"
for target in "${targets[@]}"; do
    case "$target" in
        *-apple-*) what=(--lib --bins) ;;
        *) what=(--all-targets) ;;
    esac
    step "clippy $target ${what[*]}" cross_cargo clippy "$target" "${what[@]}" --quiet -- -D warnings
done
du -sh target/cross 2>/dev/null | awk '{print "disk: target/cross holds " $1}'
