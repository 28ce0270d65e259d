#!/bin/sh
# Regenerates assets/engines/<engine>-<version>.json from the pinned engines' own packages and
# sources. To bump an engine: change its pin below, run this script, review the diff of its JSON
# file (flags added, removed or retyped; architectures gained or lost), update the file name in
# src/deploy/engine_schema.rs (image tags follow the schema's version) and run
# `cargo test --test deploy --test deploy_matrix`.
#
# Needs python3 (3.10+), pip, git, unzip and network access to PyPI and GitHub.
# Usage: scripts/engine-schemas/regen.sh [ENGINE...]   (default: all)
set -eu

VLLM=0.34.0
SGLANG=0.5.23
SGLANG_KT=0.7.2          # KTransformers serves through its SGLang fork (ktransformers[sglang])
SGLANG_ROUTER=0.3.2
MLX_LM=0.32.2
LLAMA_CPP_PYTHON=0.3.36  # vendors llama.cpp 0c1e57098 = build b11312
LLAMA_CPP=b11312
DS4=8d57664              # antirez/ds4 has no releases: a commit
OLLAMA=v0.32.15
TRTLLM=00209af           # NVIDIA/TensorRT-LLM commit of the pinned serve.py

HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
OUT="$HERE/../../assets/engines"
WORK=${WORK:-$(mktemp -d)}
ENGINES=${*:-"vllm sglang ktransformers sglang-router mlx-lm llama.cpp ds4 ollama tensorrt-llm"}

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q pydantic msgspec numpy regex pyyaml click dill scikit-build-core
PY="$WORK/venv/bin/python"

wheel() { # package version folder
    mkdir -p "$WORK/$3"
    "$WORK/venv/bin/pip" download -q --no-deps --only-binary=:all: "$1==$2" -d "$WORK/dl-$3"
    unzip -q -o "$WORK/dl-$3"/*.whl -d "$WORK/$3"
}

checkout() { # repo ref folder
    git clone -q "https://github.com/$1" "$WORK/$3"
    git -C "$WORK/$3" checkout -q "$2"
}

extract() { # engine version folder
    KT_KERNEL_SRC=${KT_KERNEL_SRC:-} "$PY" "$HERE/extract.py" "$1" "$2" "$WORK/$3" > "$OUT/$1-$2.json"
    echo "wrote assets/engines/$1-$2.json"
}

for e in $ENGINES; do
    case "$e" in
        vllm) wheel vllm "$VLLM" vllm; extract vllm "$VLLM" vllm ;;
        sglang) wheel sglang "$SGLANG" sglang; extract sglang "$SGLANG" sglang ;;
        ktransformers)
            wheel sglang-kt "$SGLANG_KT" kt
            wheel kt-kernel "$SGLANG_KT" kt-kernel
            KT_KERNEL_SRC="$WORK/kt-kernel" extract ktransformers "$SGLANG_KT" kt ;;
        sglang-router) wheel sglang-router "$SGLANG_ROUTER" router; extract sglang-router "$SGLANG_ROUTER" router ;;
        mlx-lm) wheel mlx-lm "$MLX_LM" mlx; extract mlx-lm "$MLX_LM" mlx ;;
        llama.cpp)
            "$WORK/venv/bin/pip" download -q --no-deps --no-binary=:all: --no-build-isolation \
                "llama-cpp-python==$LLAMA_CPP_PYTHON" -d "$WORK/dl-llama"
            mkdir -p "$WORK/llama"
            tar xzf "$WORK/dl-llama/llama_cpp_python-$LLAMA_CPP_PYTHON.tar.gz" -C "$WORK/llama"
            extract llama.cpp "$LLAMA_CPP" "llama/llama_cpp_python-$LLAMA_CPP_PYTHON/vendor/llama.cpp" ;;
        ds4) checkout antirez/ds4 "$DS4" ds4; extract ds4 "$DS4" ds4 ;;
        ollama) checkout ollama/ollama "$OLLAMA" ollama; extract ollama "${OLLAMA#v}" ollama ;;
        tensorrt-llm) checkout NVIDIA/TensorRT-LLM "$TRTLLM" trtllm; extract tensorrt-llm "$TRTLLM" trtllm ;;
        *) echo "unknown engine: $e" >&2; exit 2 ;;
    esac
done
