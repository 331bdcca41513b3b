"""End-to-end: every `report --format` on the sample bundle and on a nested-zip fixture, against
golden files (tests/e2e/golden/formats-*; MARSSCAN_UPDATE_GOLDEN=1 rewrites them), each checked
by its real consumer: the SARIF 2.1.0 schema, an XML parser for JUnit, headless Chromium for HTML."""
import io
import json
import os
import re
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET
import zipfile

from harness import SAMPLES, SOURCE, main, run, tempdir

BUNDLE = os.path.join(SAMPLES, "bundle")
GOLDEN = os.path.join(SOURCE, "tests", "e2e", "golden")
TOOLS = os.path.join(SOURCE, "tests", "tools")
SARIF_SCHEMA = os.path.join(SOURCE, "tests", "fixtures", "sarif", "sarif-schema-2.1.0.json")
FORMATS = {"text": "txt", "json": "json", "ndjson": "ndjson", "sarif": "sarif", "junit": "xml",
           "markdown": "md", "html": "html"}
VERSION = re.compile(rb"\b0\.\d+\.\d+\b")


def nested_zip(path):
    """outer.zip holding inner.zip holding Temp/CBEngineCurr.errlog (fixed member times)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        with open(os.path.join(BUNDLE, "Temp", "CBEngineCurr.errlog"), "rb") as f:
            z.writestr(zipfile.ZipInfo("Temp/CBEngineCurr.errlog", (2019, 6, 11, 0, 0, 0)), f.read())
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("logs/inner.zip", (2019, 6, 11, 0, 0, 0)), inner.getvalue())


def normalize(data):
    return VERSION.sub(b"VERSION", data)


class Formats:
    """Mixin: self.cwd, self.args (inputs), self.name."""

    @classmethod
    def render(cls, fmt):
        if fmt not in cls.cache:
            cls.cache[fmt] = run("report", "--year", "2019", "--lang", "en", "--format", fmt, *cls.args, cwd=cls.cwd)
        return cls.cache[fmt]

    def test_golden_every_format(self):
        for fmt, ext in FORMATS.items():
            code, out, err = self.render(fmt)
            self.assertEqual(code, 1, f"{fmt}: {err}")
            self.assertEqual(err, "")
            path = os.path.join(GOLDEN, f"formats-{self.name}.{ext}")
            got = normalize(out)
            if os.environ.get("MARSSCAN_UPDATE_GOLDEN"):
                os.makedirs(GOLDEN, exist_ok=True)
                with open(path, "wb") as f:
                    f.write(got)
                continue
            self.assertTrue(os.path.exists(path), f"{path} missing: run with MARSSCAN_UPDATE_GOLDEN=1")
            with open(path, "rb") as f:
                want = f.read()
            self.assertEqual(got.decode("utf-8"), want.decode("utf-8"), f"{fmt} differs from {path}")

    def test_sarif_valid_against_schema(self):
        code, out, _ = self.render("sarif")
        with tempdir() as d:
            doc = os.path.join(d, "r.sarif")
            with open(doc, "wb") as f:
                f.write(out)
            p = subprocess.run([sys.executable, os.path.join(TOOLS, "validate_json_schema.py"), SARIF_SCHEMA, doc],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        sarif = json.loads(out)
        findings = json.loads(self.render("json")[1])["findings"]
        run0 = sarif["runs"][0]
        rule_ids = {r["id"] for r in run0["tool"]["driver"]["rules"]}
        for f in findings:
            self.assertIn(f["rule"], rule_ids)
        self.assertEqual({r["ruleId"] for r in run0["results"]}, {f["rule"] for f in findings})
        for r in run0["results"]:
            self.assertIn(r["level"], ("error", "warning", "note"))
            self.assertTrue(r["partialFingerprints"])
            region = r["locations"][0]["physicalLocation"]["region"]
            self.assertGreater(region["startLine"], 0)

    def test_junit_parses_with_consistent_counts(self):
        code, out, _ = self.render("junit")
        root = ET.fromstring(out)
        doc = json.loads(self.render("json")[1])
        suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
        self.assertEqual([s.get("name") for s in suites], doc["inputs"])
        total_tests = total_failures = 0
        for s in suites:
            cases = s.findall("testcase")
            failures = [c for c in cases if c.find("failure") is not None]
            self.assertEqual(int(s.get("tests")), len(cases))
            self.assertEqual(int(s.get("failures")), len(failures))
            self.assertEqual(len({c.get("name") for c in cases}), len(cases), "one testcase per rule")
            fired = {f["rule"] for f in doc["findings"] if f["input"] == s.get("name")}
            failed = {c.get("name") for c in failures}
            self.assertEqual(len(failed), len(fired))
            for rule in fired:
                self.assertTrue(any(rule in name for name in failed), (rule, failed))
            for c in failures:
                self.assertTrue(c.find("failure").get("message"))
                self.assertTrue((c.find("failure").text or "").strip())
            total_tests += len(cases)
            total_failures += len(failures)
        if root.tag == "testsuites" and root.get("tests") is not None:
            self.assertEqual(int(root.get("tests")), total_tests)
            self.assertEqual(int(root.get("failures")), total_failures)

    def test_markdown_and_ndjson_content(self):
        doc = json.loads(self.render("json")[1])
        md = self.render("markdown")[1].decode()
        self.assertTrue(md.startswith("#"), md[:80])
        for f in doc["findings"]:
            self.assertIn(f["rule"], md)
            self.assertIn(f["title"], md)
        lines = [json.loads(l) for l in self.render("ndjson")[1].decode().splitlines()]
        found = [l for l in lines if l.get("rule")]
        self.assertEqual([(l["rule"], l["input"]) for l in found], [(f["rule"], f["input"]) for f in doc["findings"]])
        for l, f in zip(found, doc["findings"]):
            self.assertEqual(l["count"], f["count"])


class SampleBundle(Formats, unittest.TestCase):
    name = "bundle"
    cwd = SOURCE
    args = ["samples/bundle"]
    cache = {}

    def test_html_in_a_browser(self):
        code, out, _ = self.render("html")
        html = out.decode()
        self.assertNotRegex(html, r"""(src|href)=["']https?:""", "external asset")
        with tempdir() as d:
            page = os.path.join(d, "report.html")
            with open(page, "wb") as f:
                f.write(out)
            png = os.path.join(d, "shot.png")
            p = subprocess.run(["bash", os.path.join(TOOLS, "html_screenshot.sh"), page, png],
                               capture_output=True, timeout=180)
            if p.returncode == 3:
                self.skipTest("chromium is not installed")
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            dom = p.stdout.decode()
            doc = json.loads(self.render("json")[1])
            for f in doc["findings"]:
                self.assertIn(f["rule"], dom)
                self.assertIn(f["title"].replace("&", "&amp;"), dom)
            self.assertIn(str(doc["summary"]["inputs"]), dom)
            with open(png, "rb") as f:
                img = f.read()
            self.assertTrue(img.startswith(b"\x89PNG"))
            self.assertGreater(len(img), 20000, "screenshot looks blank")


class NestedZip(Formats, unittest.TestCase):
    name = "nested-zip"
    args = ["outer.zip"]
    cache = {}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.cwd = cls.tmp.name
        nested_zip(os.path.join(cls.cwd, "outer.zip"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_inner_paths(self):
        doc = json.loads(self.render("json")[1])
        self.assertTrue(doc["findings"])
        for f in doc["findings"]:
            self.assertEqual(f["occurrences"][0]["source"], "outer.zip!logs/inner.zip!Temp/CBEngineCurr.errlog")
        sarif = json.loads(self.render("sarif")[1])
        uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        self.assertEqual(uri, "outer.zip!logs/inner.zip!Temp/CBEngineCurr.errlog")


if __name__ == "__main__":
    main()
