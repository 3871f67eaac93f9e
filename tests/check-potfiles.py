#!/usr/bin/env python3
# tests/check-potfiles.py: every file with strings marked for translation is listed in
# po/POTFILES.in, and every listed file exists
# SPDX-License-Identifier: GPL-3.0-or-later
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

marks = {
    ".c": re.compile(r'\b(?:N?_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"|\brounds_format_counted\s*\('),
    ".ui": re.compile(r'translatable="yes"'),
    ".in": re.compile(r"."),  # desktop and metainfo templates are translated whole
    ".xml": re.compile(r"<(?:summary|description)>"),  # the GSettings schema
}

marked = set()
for folder in ("src", "ui", "data"):
    for path in sorted((root / folder).rglob("*")):
        if not path.is_file() or path.suffix not in marks:
            continue
        relative = path.relative_to(root).as_posix()
        if path.suffix == ".xml" and not relative.endswith(".gschema.xml"):
            continue
        if "/demo/" in relative:
            continue
        if marks[path.suffix].search(path.read_text(encoding="utf-8", errors="replace")):
            marked.add(relative)

problems = []
for path in sorted(marked - listed):
    problems.append(f"po/POTFILES.in: {path} has strings marked for translation but is not listed")
for path in sorted(listed):
    if not (root / path).is_file():
        problems.append(f"po/POTFILES.in: {path} is listed but does not exist")

for problem in problems:
    print(problem)
print(f"{len(marked)} files with translatable strings, {len(listed)} listed,"
      f" {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
