#!/usr/bin/env python3
"""Fails when a file with translatable strings is missing from po/POTFILES.in, or when
POTFILES.in names a file that does not exist. Prints TAP."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = {
    line.strip()
    for line in (root / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}

C_MARK = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable="yes"')
XML_MARK = re.compile(r"<(?:summary|description|name|p|caption|li)\b")

needed = set()
for path in sorted(root.glob("src/**/*.c")):
    if C_MARK.search(path.read_text(encoding="utf-8")):
        needed.add(path.relative_to(root).as_posix())
for path in sorted(root.glob("ui/**/*.ui")):
    if UI_MARK.search(path.read_text(encoding="utf-8")):
        needed.add(path.relative_to(root).as_posix())
for pattern in ("data/*.desktop.in.in", "data/*.metainfo.xml.in.in", "data/*.gschema.xml"):
    for path in sorted(root.glob(pattern)):
        needed.add(path.relative_to(root).as_posix())

missing = sorted(needed - listed)
stale = sorted(p for p in listed if not (root / p).exists())

print("1..2")
if missing:
    print("not ok 1 - files with translatable strings missing from po/POTFILES.in")
    for p in missing:
        print(f"# missing: {p}")
else:
    print(f"ok 1 - all {len(needed)} files with translatable strings are in po/POTFILES.in")
if stale:
    print("not ok 2 - po/POTFILES.in names files that do not exist")
    for p in stale:
        print(f"# no such file: {p}")
else:
    print("ok 2 - every file named in po/POTFILES.in exists")
sys.exit(1 if missing or stale else 0)
