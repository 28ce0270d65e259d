#!/usr/bin/env python3
"""Writes a small GGUF file for scripts/wine-check.sh: a made-up 4-layer llama-architecture model
(shapes chosen for the test, not any real model's), header only, the data left sparse, so
`estimate --file` reads the same file on Linux and under Wine.

    make-test-gguf.py OUT.gguf
"""
import struct
import sys

ALIGN = 32
F32, Q8_0 = 0, 8
# Q8_0: blocks of 32 weights in 34 bytes (llama.cpp's ggml type table).
BYTES = {F32: lambda n: 4 * n, Q8_0: lambda n: n // 32 * 34}


def text(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def kv_u32(key, v):
    return text(key) + struct.pack("<II", 4, v)


def kv_str(key, v):
    return text(key) + struct.pack("<I", 8) + text(v)


def main(out):
    layers, hidden, ffn, heads, kv_heads, vocab = 4, 512, 1536, 8, 4, 32000
    meta = [
        kv_str("general.architecture", "llama"),
        kv_str("general.name", "wine-check test model"),
        kv_u32("general.file_type", 7),  # MOSTLY_Q8_0
        kv_u32("llama.block_count", layers),
        kv_u32("llama.context_length", 4096),
        kv_u32("llama.embedding_length", hidden),
        kv_u32("llama.feed_forward_length", ffn),
        kv_u32("llama.attention.head_count", heads),
        kv_u32("llama.attention.head_count_kv", kv_heads),
    ]
    head_dim = hidden // heads
    tensors = [("token_embd.weight", [hidden, vocab], Q8_0), ("output.weight", [hidden, vocab], Q8_0)]
    for i in range(layers):
        tensors += [
            (f"blk.{i}.attn_q.weight", [hidden, hidden], Q8_0),
            (f"blk.{i}.attn_k.weight", [hidden, kv_heads * head_dim], Q8_0),
            (f"blk.{i}.attn_v.weight", [hidden, kv_heads * head_dim], Q8_0),
            (f"blk.{i}.attn_output.weight", [hidden, hidden], Q8_0),
            (f"blk.{i}.ffn_gate.weight", [hidden, ffn], Q8_0),
            (f"blk.{i}.ffn_up.weight", [hidden, ffn], Q8_0),
            (f"blk.{i}.ffn_down.weight", [ffn, hidden], Q8_0),
            (f"blk.{i}.attn_norm.weight", [hidden], F32),
            (f"blk.{i}.ffn_norm.weight", [hidden], F32),
        ]
    infos, offset = b"", 0
    for name, dims, ty in tensors:
        infos += text(name) + struct.pack("<I", len(dims))
        infos += b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", ty, offset)
        n = 1
        for d in dims:
            n *= d
        offset += (BYTES[ty](n) + ALIGN - 1) // ALIGN * ALIGN
    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(meta)) + b"".join(meta) + infos
    header += b"\0" * (-len(header) % ALIGN)
    with open(out, "wb") as f:
        f.write(header)
        f.truncate(len(header) + offset)


if __name__ == "__main__":
    main(sys.argv[1])
