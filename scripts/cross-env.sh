# shellcheck shell=bash
# Sourced by scripts/cross-check.sh and scripts/wine-check.sh: Debian's packages for building
# Windows and macOS binaries on Linux, and `cross_cargo`, which runs Debian's cargo, rustc and
# clippy (rustc-web 1.96 with its standard library's source, rust-web-src) for another target.
# rustup's toolchain stays what every other command uses; this one only for the command it runs.
#
# Debian's rustc ships the standard library for Linux only, so the other targets build theirs
# from source (-Zbuild-std, which stable rustc allows with RUSTC_BOOTSTRAP=1 — set for these
# commands only). Windows binaries link with MinGW-w64 (gcc-mingw-w64-x86-64); macOS targets are
# checked and linted only (linking needs Apple's SDK, which Debian does not ship).
# Everything goes under target/cross/ (the std build included: kept, it is the slow part).

# shellcheck disable=SC2034  # used by the scripts that source this file
CROSS_PACKAGES=(rustc-web cargo-web rust-web-src rust-web-clippy gcc-mingw-w64-x86-64)

# Installs the Debian packages named in $* that are not installed yet (as root, as CI runs).
cross_apt_install() {
    local missing="" p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "installing:$missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# cross_cargo SUBCOMMAND TARGET [ARGS...]: Debian's cargo for TARGET with std built from source.
cross_cargo() {
    local sub=$1 target=$2
    shift 2
    # /usr/bin first, so cargo finds Debian's cargo-clippy and not rustup's proxy.
    env PATH="/usr/bin:$PATH" RUSTUP_TOOLCHAIN= RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
        RUSTC_WRAPPER= RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="${CARGO_TARGET_DIR_CROSS:-target/cross}" \
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
        /usr/bin/cargo "$sub" --target "$target" -Zbuild-std=std,panic_abort "$@"
}

# step NAME COMMAND...: runs a command and prints its wall and CPU time (CI shares its cores).
step() {
    local TIMEFORMAT="time: $1: %0R s wall, %0U s user + %0S s system CPU"
    shift
    time "$@"
}
