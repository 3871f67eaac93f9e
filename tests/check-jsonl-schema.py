#!/usr/bin/env python3
# tests/check-jsonl-schema.py: the published JSON Schema of the Rounds JSONL format accepts the
# demo dataset and its judgements, line by line
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

import jsonschema

schema_path, *paths = sys.argv[1:]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

problems = lines = 0
for path in paths:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            lines += 1
            for error in validator.iter_errors(json.loads(line)):
                problems += 1
                where = "/".join(str(p) for p in error.absolute_path) or "(line)"
                print(f"{path}:{number}: field “{where}”: {error.message}")
print(f"{lines} lines checked, {problems} problem(s)")
sys.exit(1 if problems or lines == 0 else 0)
