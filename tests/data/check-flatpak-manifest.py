#!/usr/bin/env python3
"""Checks the Flatpak manifest: valid JSON, the app ID, every archive pinned by sha256, the app
module built from the repository with its tests, and no broad file-system access. Prints TAP."""
import json
import re
import sys

path, app_id = sys.argv[1], sys.argv[2]
results = []


def check(ok, what):
    results.append((bool(ok), what))


try:
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    check(True, "manifest is valid JSON")
except (OSError, ValueError) as e:
    print("1..1\nnot ok 1 - manifest is valid JSON # " + str(e))
    sys.exit(1)

check(manifest.get("id", manifest.get("app-id")) == app_id, f"manifest names the app ID {app_id}")
check(manifest.get("runtime") == "org.gnome.Platform", "runtime is org.gnome.Platform")
check(manifest.get("sdk") == "org.gnome.Sdk", "sdk is org.gnome.Sdk")
check(manifest.get("command") == "titrate", "command is titrate")

archives = []
for module in manifest.get("modules", []):
    if isinstance(module, dict):
        for source in module.get("sources", []):
            if source.get("type") in ("archive", "file"):
                archives.append((module.get("name"), source))
check(archives, "at least one archive source (PLplot)")
for name, source in archives:
    sha = source.get("sha256", "")
    check(re.fullmatch(r"[0-9a-f]{64}", sha), f"{name}: {source.get('url')} pinned by sha256")

modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
app = modules[-1] if modules else {}
check(app.get("name") == "titrate", "the last module is titrate")
check(any(s.get("type") == "dir" and s.get("path") == ".." for s in app.get("sources", [])),
      "titrate is built from the repository directory")
check(app.get("run-tests") is True, "titrate runs its tests")

finish = manifest.get("finish-args", [])
check(not any(a.startswith("--filesystem") for a in finish), "no --filesystem access")
check("--share=ipc" in finish and "--socket=wayland" in finish, "ipc and wayland shared")

print(f"1..{len(results)}")
for i, (ok, what) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {what}")
sys.exit(0 if all(ok for ok, _ in results) else 1)
