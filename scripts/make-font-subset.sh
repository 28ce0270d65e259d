#!/usr/bin/env bash
# Rebuilds assets/fonts/NotoSansSC-Subset.otf: Noto Sans CJK SC (SIL OFL 1.1, Debian package
# fonts-noto-cjk) cut down to ASCII, CJK punctuation, full-width forms, the 3,755 level-1 GB2312
# hanzi and every CJK character the source code uses. Hinting is dropped (egui does not use it;
# 0.28 MB less in the binary). Needs: apt-get install fonts-noto-cjk fonttools
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
chars=$(mktemp)
/usr/bin/python3 - "$chars" <<'PY'
import sys, pathlib, re
out = set()
# GB2312 level 1: rows 0xB0-0xD7, columns 0xA1-0xFE.
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            out.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for p in pathlib.Path("src").rglob("*.rs"):
    out.update(ch for ch in p.read_text(encoding="utf-8") if ord(ch) > 0x7F)
pathlib.Path(sys.argv[1]).write_text("".join(sorted(out)), encoding="utf-8")
PY
# Face 2 of the collection is "Noto Sans CJK SC".
pyftsubset "$src" --font-number=2 --text-file="$chars" \
  --unicodes=U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-205E,U+2190-21FF,U+2212,U+2264-2265,U+3000-303F,U+FF00-FFEF \
  --layout-features='*' --name-IDs='*' --no-hinting --output-file=assets/fonts/NotoSansSC-Subset.otf
rm -f "$chars"
ls -l assets/fonts/NotoSansSC-Subset.otf
