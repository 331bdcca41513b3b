"""Shared helpers for the end-to-end tests: run the real marsscan binary, parse its output.

Each tests/e2e/test_*.py is a unittest module registered with ctest (tests/CMakeLists.txt),
which passes the binary as $MARSSCAN and the source tree as $MARSSCAN_SOURCE_DIR.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("MARSSCAN_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BINARY = os.environ.get("MARSSCAN", os.path.join(SOURCE, "build", "marsscan"))
FIXTURES = os.path.join(SOURCE, "tests", "fixtures")
SAMPLES = os.path.join(SOURCE, "samples")
SHARED = os.path.abspath(os.path.join(SOURCE, "..", "shared"))


def run(*args, stdin=None, env=None, timeout=300, cwd=None):
    """Runs marsscan; returns (exit code, stdout bytes, stderr text)."""
    if not os.path.exists(BINARY):
        raise AssertionError(f"marsscan binary not found at {BINARY}")
    full_env = dict(os.environ)
    full_env.setdefault("LANG", "C.UTF-8")
    full_env.pop("LC_ALL", None)
    if env:
        full_env.update(env)
    p = subprocess.run([BINARY, *args], input=stdin, capture_output=True, timeout=timeout, env=full_env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def report_json(*args, **kw):
    """Runs `marsscan report --format json ARGS`; returns (exit code, parsed JSON, stderr)."""
    code, out, err = run("report", "--format", "json", *args, **kw)
    try:
        doc = json.loads(out.decode("utf-8"))
    except ValueError as e:
        raise AssertionError(f"report is not JSON ({e}); exit {code}; stderr: {err}\n{out[:2000]!r}")
    assert doc.get("schema") == "marsscan.report/1", doc.get("schema")
    return code, doc, err


def finding(doc, rule, input_=None):
    for f in doc["findings"]:
        if f["rule"] == rule and (input_ is None or f["input"] == input_):
            return f
    raise AssertionError(f"no finding {rule}; findings: {[f['rule'] for f in doc['findings']]}")


def rules(doc):
    return sorted({f["rule"] for f in doc["findings"]})


def tempdir():
    return tempfile.TemporaryDirectory(prefix="marsscan-e2e-")


def write_utf16(path, text, bom=True):
    with open(path, "wb") as f:
        f.write((b"\xff\xfe" if bom else b"") + text.replace("\n", "\r\n").encode("utf-16-le"))


def main():
    unittest.main(verbosity=2)
