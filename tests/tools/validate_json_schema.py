#!/usr/bin/env python3
"""Validates a JSON document against a JSON schema, offline.

usage: validate_json_schema.py SCHEMA.json DOCUMENT.json

Exit status: 0 valid, 1 invalid (each violation printed with its JSON path), 2 usage or unreadable files.
Needs the Debian package python3-jsonschema; the schema's own "$schema" picks the draft (SARIF's is 2020-12).
"""
import json
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_json_schema: python3-jsonschema is not installed", file=sys.stderr)
        return 2
    docs = []
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                docs.append(json.load(f))
        except (OSError, ValueError) as e:
            print(f"validate_json_schema: {path}: {e}", file=sys.stderr)
            return 2
    schema, doc = docs
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # No remote $ref resolution: a schema that needs the network is a broken fixture.
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{argv[2]}: {where}: {e.message}", file=sys.stderr)
    if errors:
        print(f"{argv[2]}: {len(errors)} schema violation(s)", file=sys.stderr)
        return 1
    print(f"{argv[2]}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
