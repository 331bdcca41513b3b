"""End-to-end: `marsscan report` on the bundled sample and on small fixtures."""
import json
import os
import shutil
import unittest

from harness import (SAMPLES, SOURCE, finding, main, report_json, rules, run, tempdir, write_utf16)

BUNDLE = os.path.join(SAMPLES, "bundle")
GOLDEN = os.path.join(SOURCE, "tests", "e2e", "golden")


def normalized(doc):
    doc = json.loads(json.dumps(doc))
    doc["tool"].pop("version", None)
    return doc


class SampleBundle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Relative to the source root, so the golden file holds no path of this checkout.
        cls.code, cls.doc, cls.err = report_json("--year", "2019", "samples/bundle", cwd=SOURCE)

    def test_exit_code_is_findings(self):
        self.assertEqual(self.code, 1, self.err)
        self.assertEqual(self.doc["errors"], [])

    def test_documented_errors_found(self):
        for rule in ["MARS-100050", "MARS-407", "MARS-34513", "MARS-34506", "MARS-SCHEDULE-NOT-RUN"]:
            finding(self.doc, rule)

    def test_sources_and_times(self):
        f = finding(self.doc, "MARS-34506")
        occ = f["occurrences"][0]
        self.assertTrue(occ["source"].endswith("Temp/CBEngineCurr.errlog"), occ["source"])
        self.assertEqual(occ["task"], "0C55A1F0-7D3E-4B21-A6C9-8E4F2D1B3A77")
        self.assertTrue(f["first_seen"].startswith("2019-06-10T"), f["first_seen"])
        self.assertIn("34506", occ["text"])

    def test_proxy_407_is_root_cause_of_100050(self):
        f = finding(self.doc, "MARS-100050")
        self.assertIn("MARS-407", f["caused_by"])
        self.assertEqual(f["causes"][0]["id"], "proxy-blocking")
        self.assertEqual(f["causes"][0]["status"], "evidenced")
        self.assertIn("MARS-100050", finding(self.doc, "MARS-407")["causes_of"])
        order = [x["rule"] for x in self.doc["findings"]]
        self.assertLess(order.index("MARS-407"), order.index("MARS-100050"))

    def test_scratch_moved_ranked_first_for_34506(self):
        f = finding(self.doc, "MARS-34506")
        self.assertEqual(f["causes"][0]["id"], "scratch-moved")
        self.assertEqual(f["causes"][0]["status"], "evidenced")
        ids = [c["id"] for c in f["causes"]]
        self.assertEqual(sorted(ids), sorted(["scratch-low-space", "scratch-moved", "kek-missing", "agent-outdated"]))
        possible = [c["id"] for c in f["causes"] if c["status"] == "possible"]
        documented = [i for i in ["scratch-low-space", "scratch-moved", "kek-missing", "agent-outdated"] if i in possible]
        self.assertEqual(possible, documented)

    def test_schedule_not_run_from_event_and_policy(self):
        f = finding(self.doc, "MARS-SCHEDULE-NOT-RUN")
        self.assertEqual(f["causes"][0]["id"], "execution-policy-restricted")
        self.assertTrue(f["occurrences"][0]["source"].endswith("CloudBackup-Operational.xml"))

    def test_jobs(self):
        jobs = {j["id"]: j for j in self.doc["jobs"]}
        ok = jobs["F3E32129-DC79-4A28-9ACC-3F30CB5810B6"]
        self.assertEqual(ok["outcome"], "succeeded")
        bad = jobs["7A2C0E51-3B9D-4F60-9E21-5C1D8B0A7F34"]
        self.assertEqual(bad["outcome"], "failed")
        self.assertIn("MARS-100050", bad["findings"])
        self.assertEqual(self.doc["jobs"][0]["outcome"], "failed")

    def test_summary_counts(self):
        s = self.doc["summary"]
        self.assertEqual(s["inputs"], 1)
        self.assertEqual(s["files"], 5)
        lines = 0
        for root, _, files in os.walk(BUNDLE):
            for name in files:
                if name.endswith(".xml"):
                    continue
                raw = open(os.path.join(root, name), "rb").read()
                text = raw[2:].decode("utf-16-le") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8")
                lines += text.count("\n")
        self.assertEqual(s["records"], lines + 3)  # + the three CloudBackup events
        self.assertEqual(s["bytes"], sum(os.path.getsize(os.path.join(r, n)) for r, _, fs in os.walk(BUNDLE) for n in fs))
        self.assertEqual(sum(s["findings"].values()), len(self.doc["findings"]))

    def test_deterministic_bytes(self):
        a = run("report", "--format", "json", "--year", "2019", BUNDLE)[1]
        b = run("report", "--format", "json", "--year", "2019", "-j", "2", BUNDLE)[1]
        self.assertEqual(a, b)

    def test_golden(self):
        path = os.path.join(GOLDEN, "sample-bundle.json")
        got = normalized(self.doc)
        if os.environ.get("MARSSCAN_UPDATE_GOLDEN"):
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(got, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.write("\n")
        with open(path, encoding="utf-8") as f:
            self.assertEqual(got, json.load(f))

    def test_text_report_en_and_zh(self):
        code, out, err = run("report", "--year", "2019", "--color", "never", BUNDLE)
        text = out.decode()
        self.assertEqual(code, 1, err)
        self.assertIn("MARS-34506", text)
        self.assertIn("scratch-moved", text)
        self.assertIn("CBEngineCurr.errlog:", text)
        self.assertNotIn("\x1b[", text)
        code, out, err = run("report", "--year", "2019", "--lang", "zh-CN", BUNDLE)
        self.assertIn("提供的保管库凭据无效", out.decode())
        code, out, err = run("report", "--year", "2019", "--color", "always", BUNDLE)
        self.assertIn("\x1b[", out.decode())

    def test_lang_from_environment(self):
        code, out, err = run("report", "--year", "2019", BUNDLE, env={"LANG": "zh_CN.UTF-8"})
        self.assertIn("提供的保管库凭据无效", out.decode())


ERRLOG = ("0AB0\t0974\t06/07\t01:23:25.640\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t"
          "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tBackup Progress: Prebackup started.\n"
          "0AB0\t0974\t06/07\t01:23:26.100\t71\tcbpsession.cpp(903)\t[000000001A12E3F0]\t"
          "F3E32129-DC79-4A28-9ACC-3F30CB5810B6\tFATAL\tError 34506. The encryption passphrase stored on "
          "this computer is not correctly configured.\n")


class ExitCodesAndInputs(unittest.TestCase):
    def test_clean_file_exits_0(self):
        with tempdir() as d:
            p = os.path.join(d, "clean.errlog")
            write_utf16(p, "0AB0\t0974\t06/07\t01:23:25.640\t71\tx.cpp(1)\t[00]\tF3E32129-DC79-4A28-9ACC-3F30CB5810B6\tNORMAL\tUploading 34513 RO entries\n")
            code, doc, err = report_json(p)
            self.assertEqual(code, 0, err)
            self.assertEqual(doc["findings"], [])
            self.assertEqual(doc["summary"]["records"], 1)

    def test_fail_on_threshold(self):
        with tempdir() as d:
            p = os.path.join(d, "CBEngineCurr.errlog")
            write_utf16(p, ERRLOG)
            self.assertEqual(report_json(p)[0], 1)
            self.assertEqual(report_json("--fail-on", "critical", p)[0], 0)

    def test_missing_file_is_error_but_report_written(self):
        with tempdir() as d:
            p = os.path.join(d, "CBEngineCurr.errlog")
            write_utf16(p, ERRLOG)
            missing = os.path.join(d, "nope.errlog")
            code, doc, err = report_json(p, missing)
            self.assertEqual(code, 2)
            self.assertEqual([e["source"] for e in doc["errors"]], [missing])
            finding(doc, "MARS-34506")

    def test_stdin(self):
        data = b"\xff\xfe" + ERRLOG.encode("utf-16-le")
        code, doc, err = report_json("--year", "2019", "-", stdin=data)
        self.assertEqual(code, 1, err)
        occ = finding(doc, "MARS-34506")["occurrences"][0]
        self.assertEqual(occ["source"], "-")
        self.assertEqual(occ["line"], 2)
        self.assertEqual(occ["time"], "2019-06-07T01:23:26.100Z")

    def test_tz_shifts_times(self):
        data = ERRLOG.encode()
        code, doc, err = report_json("--year", "2019", "--tz", "+08:00", "-", stdin=data)
        self.assertEqual(finding(doc, "MARS-34506")["first_seen"], "2019-06-06T17:23:26.100Z")

    def test_usage_errors_exit_2(self):
        for args in (["report"], ["report", "--format", "yaml", "x"], ["report", "--fail-on", "bad", "x"],
                     ["report", "--tz", "Mars/Olympus", "x"], ["frobnicate"]):
            code, out, err = run(*args)
            self.assertEqual(code, 2, args)
            self.assertTrue(err.strip(), args)

    def test_help_and_version(self):
        code, out, err = run("report", "--help")
        self.assertEqual(code, 0)
        text = out.decode()
        for opt in ["--format", "--lang", "--fail-on", "--patterns", "--no-builtin", "--year", "--tz", "--color",
                    "--output", "examples:"]:
            self.assertIn(opt, text)
        code, out, err = run("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out.decode(), r"^marsscan \d+\.\d+\.\d+")


class Explain(unittest.TestCase):
    def test_every_spelling_finds_the_rule(self):
        outs = set()
        for key in ["34513", "MARS-34513", "mars-34513"]:
            code, out, err = run("explain", "--lang", "en", key)
            self.assertEqual(code, 0, err)
            self.assertIn("MARS-34513", out.decode())
            outs.add(out)
        self.assertEqual(len(outs), 1)
        for key in ["0x1FC07", "1fc07", "MARS-0x1FC07"]:
            code, out, err = run("explain", "--lang", "en", key)
            self.assertEqual(code, 0, err)
            self.assertIn("MARS-0x1FC07", out.decode())
            self.assertIn("scratch", out.decode().lower())

    def test_chinese(self):
        code, out, err = run("explain", "--lang", "zh-CN", "34506")
        self.assertEqual(code, 0, err)
        self.assertIn("未在此计算机上正确配置存储的加密通行短语", out.decode())

    def test_unknown_id(self):
        code, out, err = run("explain", "99999")
        self.assertEqual(code, 2)
        self.assertIn("99999", err)


BAD_RULE = """rules:
  - id: MY-BROKEN
    severity: error
    title: { en: Broken }
    source: test
    trigers:
      - regex: 'oops'
"""

GOOD_RULE = """rules:
  - id: MARS-34513
    severity: critical
    title: { en: Overridden credentials rule, zh-CN: 覆盖 }
    source: test
    triggers:
      - regex: 'CUSTOM-CREDENTIAL-FAILURE'
    samples: ["CUSTOM-CREDENTIAL-FAILURE here"]
    near_misses: ["(ID: 34513)"]
"""


class UserPatterns(unittest.TestCase):
    def test_bad_rule_file(self):
        with tempdir() as d:
            with open(os.path.join(d, "bad.yaml"), "w") as f:
                f.write(BAD_RULE)
            code, out, err = run("patterns", "check", d)
            self.assertEqual(code, 2)
            self.assertIn("bad.yaml:6", err)
            self.assertIn("MY-BROKEN", err)
            self.assertIn("trigers", err)
            code, out, err = run("report", "--patterns", d, os.path.join(BUNDLE, "notes.txt"))
            self.assertEqual(code, 2)
            self.assertIn("bad.yaml:6", err)

    def test_override_by_id(self):
        with tempdir() as d:
            with open(os.path.join(d, "mine.yaml"), "w") as f:
                f.write(GOOD_RULE)
            self.assertEqual(run("patterns", "check", d)[0], 0)
            p = os.path.join(d, "x.log")
            with open(p, "w") as f:
                f.write("Invalid vault credentials provided. (ID: 34513)\nCUSTOM-CREDENTIAL-FAILURE\n")
            code, doc, err = report_json("--patterns", d, p)
            f = finding(doc, "MARS-34513")
            self.assertEqual(f["severity"], "critical")
            self.assertEqual(f["count"], 1)
            self.assertEqual(f["occurrences"][0]["line"], 2)

    def test_no_builtin(self):
        with tempdir() as d:
            with open(os.path.join(d, "mine.yaml"), "w") as f:
                f.write(GOOD_RULE.replace("MARS-34513", "MY-ONLY"))
            p = os.path.join(d, "x.log")
            with open(p, "w") as f:
                f.write("Error 34506. The encryption passphrase stored on this computer is not correctly configured.\n")
            code, doc, err = report_json("--no-builtin", "--patterns", d, p)
            self.assertEqual(code, 0, err)
            self.assertEqual(doc["findings"], [])

    def test_builtin_check_and_list(self):
        code, out, err = run("patterns", "check")
        self.assertEqual(code, 0, err)
        self.assertIn("ok", out.decode())
        code, out, err = run("patterns", "list")
        listed = out.decode()
        for rule in ["MARS-34513", "MARS-403", "MARS-100050", "MARS-407", "MARS-ENCRYPTION-KEY-NOT-SET",
                     "MARS-0x1FC07", "MARS-34506", "MARS-SCHEDULE-NOT-RUN", "MARS-RESTORE-MOUNT-FAILED"]:
            self.assertIn(rule, listed)


if __name__ == "__main__":
    main()
