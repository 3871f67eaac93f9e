#!/usr/bin/env python3
# tests/check-flatpak.py: the Flatpak manifest agrees with the meson project and asks for no
# more than Rounds needs (it cannot be built here: runtimes need the network)
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

manifest_path, app_id, command = sys.argv[1:4]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


with open(manifest_path, encoding="utf-8") as f:
    manifest = json.load(f)

check(manifest.get("id") == app_id,
      f"id is {manifest.get('id')!r}, the meson project says {app_id!r}")
check(manifest.get("command") == command,
      f"command is {manifest.get('command')!r}, meson builds {command!r}")
check(manifest.get("runtime") == "org.gnome.Platform", "the runtime must be org.gnome.Platform")
check(manifest.get("sdk") == "org.gnome.Sdk", "the sdk must be org.gnome.Sdk")
check(re.fullmatch(r"\d+(\.\d+)?", str(manifest.get("runtime-version", ""))) is not None,
      f"runtime-version {manifest.get('runtime-version')!r} must be a numbered release, not master")

args = manifest.get("finish-args", [])
check("--share=network" in args, "sync needs --share=network")
check("--talk-name=org.freedesktop.secrets" in args
      or "--talk-name=org.freedesktop.portal.Secret" in args,
      "the keyring needs --talk-name=org.freedesktop.secrets (or the secret portal)")
check("--socket=wayland" in args, "a GTK 4 app needs --socket=wayland")
for arg in args:
    check(not arg.startswith("--filesystem"),
          f"{arg}: files come through the file chooser portal only")
    check(arg not in ("--socket=session-bus", "--socket=system-bus", "--device=all"),
          f"{arg} is more than Rounds needs")

modules = manifest.get("modules", [])
check(len(modules) > 0 and modules[-1].get("name") == "rounds",
      "the last module must be rounds itself")
for module in modules[:-1]:
    for source in module.get("sources", []):
        if source.get("type") in ("archive", "file"):
            check("sha256" in source,
                  f"module {module.get('name')}: source {source.get('url')}"
                  " is not pinned by sha256")
        if source.get("type") == "git":
            check("commit" in source or "tag" in source,
                  f"module {module.get('name')}: git source not pinned")

for message in failures:
    print(f"{manifest_path}: {message}")
print(f"{len(failures)} problem(s) in {manifest_path}")
sys.exit(1 if failures else 0)
