"""Every catalogue fixture fires the rules its README table names, as many times as it says, from
the kind of input it lives in (events from the event source), and no other rule; failed-file
lists count one finding per code with count = failed files; `explain` covers every rule of the
database in both languages with its documentation reference."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import FIXTURES, finding, report_json, rules, run  # noqa: E402

CATALOGUE = os.path.join(FIXTURES, "catalogue")
# Rules whose references carry no URL in the pattern data (a gap of patterns/catalogue, reported).
NO_URL = {"MARS-MGMT-AGENT-DOWN"}


def readme_table():
    """[(fixture, [rule ids], [counts])] from tests/fixtures/catalogue/README.md."""
    rows = []
    with open(os.path.join(CATALOGUE, "README.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*([\d,\s]+)\|\s*$", line)
            if not m:
                continue
            fired = re.sub(r"\([^)]*\)", "", m.group(2))  # drop the notes in parentheses
            ids = re.findall(r"MARS-[A-Za-z0-9-]+", fired)
            counts = [int(c) for c in m.group(3).split(",") if c.strip()]
            rows.append((m.group(1), ids, counts))
    return rows


class CatalogueFixtures(unittest.TestCase):
    def test_table_covers_every_fixture(self):
        rows = readme_table()
        listed = {r[0] for r in rows}
        inputs = {n for n in os.listdir(CATALOGUE) if n not in ("README.md",) and not n.endswith(".py")}
        self.assertEqual(inputs, listed)
        for name, ids, counts in rows:
            self.assertTrue(ids, name)
            self.assertEqual(len(ids), len(counts), name)

    def test_each_fixture_fires_its_rules_from_its_source(self):
        for name, ids, counts in readme_table():
            with self.subTest(fixture=name):
                path = os.path.join(CATALOGUE, name)
                code, doc, err = report_json("--timeline", "--year", "2020", path)
                self.assertIn(code, (0, 1), err)
                self.assertEqual(doc["errors"], [])
                self.assertEqual(rules(doc), sorted(ids), "no other rule may fire")
                for rule, count in zip(ids, counts):
                    f = finding(doc, rule)
                    self.assertEqual(f["count"], count, f"{name}: {rule}")
                    self.assertTrue(f["source"] and f["confidence"] in ("high", "medium", "low"))
                    entries = [e for e in doc["timeline"] if e["kind"] == "finding" and e["rule"] == rule]
                    self.assertEqual(len(entries), min(count, 20))
                    for e in entries:
                        self.assertEqual(e["source"], path)
                        # Event fixtures fire from events, text fixtures from lines.
                        self.assertEqual(e["event"], name.endswith(".xml"), f"{name}: {rule}")

    def test_failed_file_list_counts_files_per_code(self):
        path = os.path.join(CATALOGUE, "LastBackupFailedFiles17af1_7_21_2020.txt")
        code, doc, err = report_json(path)
        counts = {f["rule"]: f["count"] for f in doc["findings"]}
        self.assertEqual(counts, {"MARS-FILE-0x80070005": 4, "MARS-FILE-0x8007018B": 2,
                                  "MARS-FILE-0x80070570": 1, "MARS-FILE-0x80070002": 2})
        # Banner and dashed rules are not failed files; each quoted line is one failed path.
        lines = sorted(o["line"] for f in doc["findings"] for o in f["occurrences"])
        self.assertEqual(lines, list(range(3, 12)))
        decoded = finding(doc, "MARS-FILE-0x8007018B")["occurrences"][0]["decoded"]
        self.assertEqual(decoded, ["0x8007018B (ERROR_CLOUD_FILE_ACCESS_DENIED: Access to the cloud file is denied.)"])
        # The text report shows the count per code.
        _, out, _ = run("report", path)
        text = out.decode("utf-8")
        for rule, n in counts.items():
            self.assertRegex(text, rf"\({re.escape(rule)}\)\n  count: {n} ")


class ExplainEveryRule(unittest.TestCase):
    def test_every_rule_in_both_languages(self):
        code, out, err = run("patterns", "list")
        self.assertEqual(code, 0, err)
        ids = [line.split()[0] for line in out.decode("utf-8").splitlines() if line.startswith("MARS-")]
        self.assertGreaterEqual(len(ids), 30)
        for rule in ids:
            for lang, labels in (("en", ("source: ", "confidence: ", "references:")),
                                 ("zh-CN", ("来源：", "可信度：", "参考："))):
                with self.subTest(rule=rule, lang=lang):
                    code, out, err = run("explain", "--lang", lang, rule)
                    self.assertEqual(code, 0, err)
                    text = out.decode("utf-8")
                    self.assertTrue(text.startswith(rule + "  ["), text[:200])
                    self.assertIn(labels[0], text)
                    self.assertRegex(text, re.escape(labels[1]) + r"(high|medium|low)\n")
                    self.assertIn("\n" + labels[2] + "\n  - ", text)
                    if rule not in NO_URL:
                        self.assertRegex(text, r"\n  - \S.*  https://")


if __name__ == "__main__":
    unittest.main()
