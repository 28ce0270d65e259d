#!/usr/bin/env python3
"""Draws the app icon: a blue rounded square with three rising white bars (the advisor's "how much
does it take" chart), at any size, anti-aliased by 4×4 supersampling. Standard library only.

  make-icon.py                      assets/icon.png (256×256, embedded in the binary) and
                                    assets/icon.ico (16–256, for the Windows resource)
  make-icon.py SIZE OUT.png         one size (scripts/package.sh makes the hicolor set with it)
"""
import pathlib
import struct
import sys
import zlib

BARS = [(56, 150, 96, 208), (108, 110, 148, 208), (160, 60, 200, 208)]  # on a 256 grid
RADIUS = 48
SUB = 4


def inside_rounded(x, y):
    cx = min(max(x, RADIUS), 256 - RADIUS)
    cy = min(max(y, RADIUS), 256 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS * RADIUS


def sample(x, y):
    """Colour (r, g, b, a) at a point of the 256 grid."""
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    if any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in BARS):
        return (255, 255, 255, 255)
    t = y / 256
    return (30 + 20 * t, 90 + 40 * t, 220 - 30 * t, 255)


def pixels(size):
    scale = 256 / size
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SUB):
                for sx in range(SUB):
                    r, g, b, a = sample((px + (sx + 0.5) / SUB) * scale, (py + (sy + 0.5) / SUB) * scale)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SUB * SUB
            alpha = acc[3] / n
            if alpha > 0:
                rgb = [int(round(c / acc[3])) for c in acc[:3]]
            else:
                rgb = [0, 0, 0]
            row += bytes(rgb + [int(round(alpha))])
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)


def png(size):
    head = chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + head + chunk(b"IDAT", zlib.compress(pixels(size), 9)) + chunk(b"IEND", b"")


def ico(sizes):
    """An ICO holding PNG images (Windows Vista and later read these)."""
    images = [png(s) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for s, data in zip(sizes, images):
        dim = 0 if s >= 256 else s
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parent.parent
    if len(sys.argv) == 3:
        out = pathlib.Path(sys.argv[2])
        out.write_bytes(png(int(sys.argv[1])))
        print(out)
    else:
        (root / "assets" / "icon.png").write_bytes(png(256))
        (root / "assets" / "icon.ico").write_bytes(ico([16, 24, 32, 48, 64, 256]))
        print(root / "assets" / "icon.png", root / "assets" / "icon.ico")
