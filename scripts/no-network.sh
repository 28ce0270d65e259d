#!/usr/bin/env bash
# Proves the program never touches the network: runs `check` (real detection: NVML, nvidia-smi,
# sysfs, the memory-bandwidth probe), `estimate`, `plan`, `catalog`, `report` (when this binary
# has it) and the desktop app's first frame under strace, and fails on any connect(), sendto() or
# sendmsg() to an IPv4 or IPv6 address. Unix sockets (X11, Wayland, D-Bus) are allowed.
# `bench`, the one command that measures a model server, is traced too: it may connect only to
# 127.0.0.1 (it looks for local servers when given no --url).
#
#   scripts/no-network.sh            BIN=path/to/deepseek-advisor to test another build
#
# Needs: apt-get install strace; for the app: apt-get install xvfb xauth libgl1-mesa-dri libegl1
# libxkbcommon-x11-0 (without Xvfb the app is skipped, and the script says so).
set -uo pipefail
cd "$(dirname "$0")/.."

command -v strace >/dev/null || { echo "needs strace (apt-get install strace)"; exit 2; }
if [ -z "${BIN:-}" ]; then
    cargo build --quiet || exit 1
    BIN=target/debug/deepseek-advisor
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Fresh cache and storage folders: the bandwidth probe runs for real, and what is written shows.
export XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_CACHE_HOME" "$XDG_DATA_HOME"

failed=0
ran=0
# trace NAME COMMAND...: runs COMMAND under strace; fails on an internet-address connect.
trace() {
    local name=$1
    shift
    local log="$work/$name.strace"
    strace -f -qq -e trace=connect,sendto,sendmsg -o "$log" -- "$@" >"$work/$name.out" 2>&1
    local code=$?
    local inet
    inet=$(grep -c 'sa_family=AF_INET' "$log")
    local calls
    calls=$(grep -cE 'connect\(|sendto\(|sendmsg\(' "$log")
    ran=$((ran + 1))
    if [ "$inet" -gt 0 ]; then
        failed=1
        echo "FAIL $name: $inet network call(s) to an IP address:"
        grep 'sa_family=AF_INET' "$log" | head -5
    else
        echo "ok   $name (exit $code; $calls socket call(s), none to an IP address)"
    fi
}

trace check "$BIN" check
trace check-json "$BIN" check --json --save-hardware "$work/this-machine.ron"
trace estimate-detected "$BIN" estimate --model deepseek-r1-distill-qwen-7b --quant Q4_K_M
trace estimate-described "$BIN" estimate --model deepseek-r1 --quant FP8 --runtime sglang \
    --gpu h200-sxm:8 --ram 2048 --json
trace estimate-config "$BIN" estimate --model-config tests/fixtures/deepseek_v3_config.json \
    --quant Q4_K_M --hardware "$work/this-machine.ron"
for s in scenarios/*.ron; do
    trace "plan-$(basename "$s" .ron)" "$BIN" plan "$s" --json
done
trace catalog "$BIN" catalog cloud
if "$BIN" --help | grep -qE '^ +report( |$)'; then
    trace report "$BIN" report scenarios/personal-rtx4090.ron --format html --out "$work/report.html"
else
    echo "skip report: this build has no \`report\` command"
fi

# bench: only loopback connections (here it finds nothing on the usual ports, or a server a
# developer runs; either way nothing leaves 127.0.0.1).
if "$BIN" --help | grep -qE '^ +bench( |$)'; then
    log="$work/bench.strace"
    strace -f -qq -e trace=connect,sendto,sendmsg -o "$log" -- \
        "$BIN" bench --time-limit 5 >"$work/bench.out" 2>&1
    code=$?
    ran=$((ran + 1))
    outside=$(grep 'sa_family=AF_INET' "$log" | grep -vc 'inet_addr("127.0.0.1")\|inet_pton(AF_INET6, "::1"')
    loopback=$(grep -c 'inet_addr("127.0.0.1")' "$log")
    if [ "$outside" -gt 0 ]; then
        failed=1
        echo "FAIL bench: $outside connection(s) beyond 127.0.0.1:"
        grep 'sa_family=AF_INET' "$log" | grep -v 'inet_addr("127.0.0.1")' | head -5
    else
        echo "ok   bench (exit $code; $loopback connection(s), all to 127.0.0.1)"
    fi
fi

if command -v Xvfb >/dev/null; then
    display=":$((90 + RANDOM % 9))"
    Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    # The app exits after its first frame; with a scenario it also opens and estimates it.
    DISPLAY=$display WAYLAND_DISPLAY= DEEPSEEK_ADVISOR_STARTUP_PROBE=1 \
        trace app-first-frame timeout 120 "$BIN"
    DISPLAY=$display WAYLAND_DISPLAY= DEEPSEEK_ADVISOR_STARTUP_PROBE=1 \
        trace app-with-scenario timeout 120 "$BIN" scenarios/r1-671b-private-h200.ron
    for run in app-first-frame app-with-scenario; do
        if line=$(grep -h "first frame" "$work/$run.out"); then
            echo "     $run: $line"
        else
            failed=1
            echo "FAIL $run: the app did not reach its first frame:"
            tail -5 "$work/$run.out"
        fi
    done
    kill "$xvfb" 2>/dev/null
    wait "$xvfb" 2>/dev/null
else
    echo "skip app: no Xvfb (apt-get install xvfb xauth libgl1-mesa-dri libegl1 libxkbcommon-x11-0)"
fi

echo "files written (cache and app storage):"
(cd "$work" && find cache data -type f | sed 's/^/     /')
echo "$ran runs traced"
if [ "$failed" -ne 0 ]; then
    echo "FAILED"
    exit 1
fi
echo "no connection to any IP address (bench: 127.0.0.1 only)"
