#!/usr/bin/env python3
"""Validate SARIF logs against the SARIF 2.1.0 JSON schema shipped beside
this script (README "Third-party files"), with Debian's python3-jsonschema.
Exit 0 when every file is valid; 1 with each error (its JSON path) else;
2 on a file that is not JSON or a missing validator.
usage: validate.py FILE.sarif..."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate.py: python3-jsonschema is missing (scripts/install-deps)")

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "sarif-schema-2.1.0.json")


def main(paths):
    if not paths:
        sys.exit(__doc__.split("\n")[-1])
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for p in paths:
        try:
            with open(p, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{p}: not JSON: {e}", file=sys.stderr)
            return 2
        errs = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errs:
            where = "/".join(str(x) for x in e.absolute_path) or "(root)"
            print(f"{p}: {where}: {e.message}", file=sys.stderr)
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
