#!/usr/bin/env python3
"""Assembles the macOS app bundle, `DeepSeek Advisor.app`, into a zip. Standard library only, so it
runs on Linux: Info.plist (written with plistlib; the document type and exported type for scenario
files from packaging/macos/document-types.plist), the icon set (.icns of PNGs drawn by
scripts/make-icon.py) and the binary.

  package-macos.py BINARY [OUT_DIR]    BINARY: a macOS build (cargo build --release --target
                                       aarch64-apple-darwin, on a Mac); the zip goes to OUT_DIR
                                       (default target/installers/)
  package-macos.py --layout-only [OUT_DIR] [--quick]
                                       the bundle without a binary (Linux cannot link for macOS):
                                       checks the layout and Info.plist; --quick uses the committed
                                       256 px icon only instead of drawing every size (tests)

The zip is unsigned; docs/cross-build.md says how a maintainer signs and notarizes it. Prints the
zip's path last.
"""
import pathlib
import plistlib
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
APP = "DeepSeek Advisor.app"
EXECUTABLE = "deepseek-advisor"
# .icns element types that hold PNG data, by pixel size: ic07/ic08/ic09 are 128/256/512 px,
# ic11/ic12 the 32 and 64 px "@2x" forms of 16 and 32 pt (Apple's icns format).
ICNS_TYPES = {32: b"ic11", 64: b"ic12", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def cargo_field(name):
    text = (ROOT / "Cargo.toml").read_text()
    package = text.split("[package]", 1)[1].split("\n[", 1)[0]
    m = re.search(rf'^{name}\s*=\s*"([^"]*)"', package, re.M)
    if not m:
        sys.exit(f"Cargo.toml: [package] has no {name}")
    return m.group(1)


def bundle_metadata():
    """[package.metadata.bundle] of Cargo.toml: the values cargo-bundle uses on a Mac."""
    text = (ROOT / "Cargo.toml").read_text()
    section = text.split("[package.metadata.bundle]", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', section, re.M))


def deb_copyright():
    """`copyright` of [package.metadata.deb] (one holder line for every package)."""
    text = (ROOT / "Cargo.toml").read_text()
    section = text.split("[package.metadata.deb]", 1)[1].split("\n[", 1)[0]
    m = re.search(r'^copyright\s*=\s*"([^"]*)"', section, re.M)
    if not m:
        sys.exit("Cargo.toml: [package.metadata.deb] has no copyright")
    return m.group(1)


def document_types():
    """The keys of packaging/macos/document-types.plist (a fragment: keys and values only)."""
    fragment = (ROOT / "packaging/macos/document-types.plist").read_text()
    fragment = re.sub(r"<!--.*?-->", "", fragment, flags=re.S)
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>'
        + fragment
        + "</dict></plist>"
    )
    return plistlib.loads(doc.encode())


def info_plist():
    meta = bundle_metadata()
    version = cargo_field("version")
    plist = {
        "CFBundleDevelopmentRegion": "en",
        "CFBundleDisplayName": meta["name"],
        "CFBundleExecutable": EXECUTABLE,
        "CFBundleIconFile": EXECUTABLE,
        "CFBundleIdentifier": meta["identifier"],
        "CFBundleInfoDictionaryVersion": "6.0",
        "CFBundleName": meta["name"],
        "CFBundlePackageType": "APPL",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleLocalizations": ["en", "zh-Hans"],
        "LSApplicationCategoryType": meta["category"],
        "LSMinimumSystemVersion": meta["osx_minimum_system_version"],
        "NSHighResolutionCapable": True,
        "NSHumanReadableCopyright": f"© {deb_copyright()}; {cargo_field('license')} licence",
    }
    plist.update(document_types())
    return plistlib.dumps(plist, sort_keys=True)


def icns(pngs):
    """An .icns file of PNG elements: (type, data) pairs."""
    body = b"".join(t + struct.pack(">I", 8 + len(d)) + d for t, d in pngs)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def icon_set(quick):
    if quick:
        return [(ICNS_TYPES[256], (ROOT / "assets/icon.png").read_bytes())]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for size, kind in sorted(ICNS_TYPES.items()):
            png = pathlib.Path(tmp) / f"{size}.png"
            subprocess.run(
                [sys.executable, str(ROOT / "scripts/make-icon.py"), str(size), str(png)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            out.append((kind, png.read_bytes()))
    return out


def main(argv):
    quick = "--quick" in argv
    args = [a for a in argv if a != "--quick"]
    if not args:
        sys.exit(__doc__)
    layout_only = args[0] == "--layout-only"
    binary = None if layout_only else pathlib.Path(args[0])
    if binary is not None and not binary.is_file():
        sys.exit(f"{binary}: no such file (a macOS build of deepseek-advisor)")
    out_dir = pathlib.Path(args[1]) if len(args) > 1 else ROOT / "target/installers"
    out_dir.mkdir(parents=True, exist_ok=True)
    version = cargo_field("version")
    suffix = "-layout-only" if layout_only else ""
    zip_path = out_dir / f"DeepSeek-Advisor-{version}-macos{suffix}.zip"
    contents = f"{APP}/Contents/"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(contents + "Info.plist", info_plist())
        z.writestr(contents + "PkgInfo", "APPL????")
        z.writestr(contents + f"Resources/{EXECUTABLE}.icns", icns(icon_set(quick)))
        z.writestr(contents + "Resources/OFL.txt", (ROOT / "assets/fonts/OFL.txt").read_bytes())
        if binary is not None:
            info = zipfile.ZipInfo(contents + f"MacOS/{EXECUTABLE}")
            info.external_attr = 0o100755 << 16  # a regular file, executable
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, binary.read_bytes())
    print(zip_path)


if __name__ == "__main__":
    main(sys.argv[1:])
