#!/usr/bin/env python3
"""Draws assets/icon.png (256×256): a blue rounded square with three rising bars — the advisor's
"how much does it take" chart. Standard library only."""
import struct, zlib, pathlib

S = 256
def inside_rounded(x, y, r=48):
    cx = min(max(x, r), S - 1 - r)
    cy = min(max(y, r), S - 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

bars = [(56, 150, 96, 208), (108, 110, 148, 208), (160, 60, 200, 208)]
rows = []
for y in range(S):
    row = bytearray([0])
    for x in range(S):
        if not inside_rounded(x, y):
            row += bytes([0, 0, 0, 0])
            continue
        t = y / S
        r, g, b = int(30 + 20 * t), int(90 + 40 * t), int(220 - 30 * t)
        if any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in bars):
            r, g, b = 255, 255, 255
        row += bytes([r, g, b, 255])
    rows.append(bytes(row))

def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", S, S, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = pathlib.Path(__file__).resolve().parent.parent / "assets" / "icon.png"
out.write_bytes(png)
print(out, len(png), "bytes")
