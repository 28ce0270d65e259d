#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser in fuzz/targets.rs with libFuzzer, on the stable
# toolchain (sanitizer-coverage instrumentation through -C flags; no nightly, no cargo-fuzz).
#
#   scripts/fuzz.sh [MINUTES] [TARGET...]     MINUTES per target (default 10); all targets by default
#
# Targets run one after another (each uses one core). A crash, hang (> 10 s) or allocation over
# 1 GB stops that target; its input is copied to tests/fuzz/regressions/TARGET/, where
# `cargo test --test fuzz_parsers` replays it from then on. Corpora grow in fuzz/corpus/ (not
# committed) and are reused by the next run. Needs: the Rust toolchain and a C++ compiler (g++).
set -uo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
shift || true
if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(sed -n 's/^ *name: "\([a-z_]*\)",$/\1/p' fuzz/targets.rs)
fi

host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cforce-frame-pointers"
echo "building fuzz/ (release, debug assertions and overflow checks on)…"
cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target "$host" || exit 1
bin="fuzz/target/$host/release/fuzz-parsers"

summary=()
failed=0
for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    artifacts="fuzz/artifacts/$t"
    log="fuzz/artifacts/$t.log"
    mkdir -p "$corpus" "$artifacts"
    echo "fuzzing $t for $minutes min…"
    FUZZ_TARGET="$t" FUZZ_CORPUS="$corpus" "$bin" "$corpus" \
        -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 </dev/null >"$log" 2>&1
    code=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    found=0
    for a in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*; do
        [ -e "$a" ] || continue
        mkdir -p "tests/fuzz/regressions/$t"
        cp "$a" "tests/fuzz/regressions/$t/"
        rm "$a"
        found=$((found + 1))
    done
    if [ "$found" -gt 0 ] || [ "$code" -ne 0 ]; then
        failed=1
        summary+=("$t: ${runs:-?} inputs, STOPPED (exit $code), $found input(s) kept in tests/fuzz/regressions/$t/ — see $log")
    else
        summary+=("$t: ${runs:-?} inputs in $minutes min, no crash")
    fi
done
rm -rf "${TMPDIR:-/tmp}"/dsa-fuzz-sysfs-*

echo
printf '%s\n' "${summary[@]}"
exit $failed
