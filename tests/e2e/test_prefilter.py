"""The prefilter and parallelism change speed, never results.

A corpus of realistic errlog text (bench/gen_corpus.py) interleaved with every sample and near-miss line of the
built-in database (patterns/**/*.yaml), in UTF-8 and UTF-16LE, is searched and reported with and without
--no-prefilter and with -j 1 and -j 2; the outputs must be byte-identical.
"""
import glob
import datetime
import json
import os
import subprocess
import sys
import unittest

import yaml

from harness import SOURCE, run, tempdir


def database_lines():
    """Every line sample, near miss and cause evidence sample of the built-in rules."""
    lines = []
    for path in sorted(glob.glob(os.path.join(SOURCE, "patterns", "**", "*.yaml"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if not isinstance(doc, dict):
                    continue
                for rule in doc.get("rules", []) or []:
                    if not isinstance(rule, dict):
                        continue
                    for key in ("samples", "near_misses"):
                        lines += [s for s in rule.get(key, []) or [] if isinstance(s, str)]
                    for cause in rule.get("causes", []) or []:
                        if isinstance(cause, dict):
                            lines += [s for s in cause.get("samples", []) or [] if isinstance(s, str)]
    # Samples are single lines; a sample with a newline would change the line numbering of the test.
    return [l for l in lines if "\n" not in l and "\r" not in l]


class PrefilterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.tmp.name
        base = os.path.join(d, "base.log")
        subprocess.run([sys.executable, os.path.join(SOURCE, "bench", "gen_corpus.py"), "2", base,
                        "--errors-per-mib", "20"], check=True, capture_output=True)
        with open(base, encoding="utf-8") as f:
            text = f.read().splitlines()
        extra = database_lines()
        assert len(extra) > 50, f"only {len(extra)} sample lines found in patterns/"
        # Spread the database lines through the corpus, each once, some twice in a row.
        step = max(1, len(text) // (len(extra) + 1))
        out = []
        for i, line in enumerate(text):
            out.append(line)
            if i % step == 0 and i // step < len(extra):
                out.append(extra[i // step])
                if (i // step) % 7 == 0:
                    out.append(extra[i // step])
        body = "\n".join(out) + "\n"
        cls.utf8 = os.path.join(d, "CBEngineCurr.errlog")
        cls.utf16 = os.path.join(d, "CBEngine1.errlog")
        with open(cls.utf8, "w", encoding="utf-8", newline="") as f:
            f.write(body)
        with open(cls.utf16, "wb") as f:
            f.write(b"\xff\xfe" + body.replace("\n", "\r\n").encode("utf-16-le"))
        cls.extra = extra
        # One file of many blocks (1 MiB each), more than the threads keep in flight, so that the
        # reading thread matches blocks of its own as well as handing them to the workers.
        cls.many = os.path.join(d, "CBEngine2.errlog")
        with open(cls.many, "w", encoding="utf-8", newline="") as f:
            f.write(body * 8)
        # A folder of multi-block files whose mtimes fall in different years: the next file is
        # read while the last blocks of the one before are matched, and each block's times must
        # still come from its own file.
        cls.folder = os.path.join(d, "Temp")
        os.mkdir(cls.folder)
        for i, year in enumerate((2021, 2022, 2024)):
            path = os.path.join(cls.folder, f"CBEngine{i}.errlog")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(body * (2 + i))
            stamp = datetime.datetime(year, 12, 31, tzinfo=datetime.timezone.utc).timestamp()
            os.utime(path, (stamp, stamp))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def same(self, *args):
        code1, out1, err1 = run(*args)
        code2, out2, err2 = run(*args, "--no-prefilter")
        self.assertIn(code1, (0, 1), err1)
        self.assertEqual(code1, code2)
        self.assertEqual(out1, out2, f"output differs with --no-prefilter: {args}")
        return out1

    def test_grep_lines_identical(self):
        for path in (self.utf8, self.utf16):
            out = self.same("grep", "-H", "--color", "never", path)
            # It found something: the documented errors of the corpus and the rules' samples.
            self.assertGreater(out.count(b"\n"), 40, out[:500])

    def test_grep_counts_identical(self):
        out = self.same("grep", "-c", "-H", self.utf8, self.utf16)
        counts = [int(l.rsplit(b":", 1)[1]) for l in out.splitlines()]
        self.assertEqual(len(counts), 2)
        self.assertEqual(counts[0], counts[1], "the UTF-16 copy counts the same lines")

    def test_grep_only_matching_identical(self):
        self.same("grep", "-o", "-n", "--color", "never", self.utf8)

    def test_report_json_identical(self):
        out = self.same("report", "--format", "json", "--year", "2024", self.utf8, self.utf16)
        self.assertIn(b'"findings"', out)

    def test_report_parallel_identical(self):
        # Several inputs, and one input on its own, with 1 and 2 threads.
        for inputs in ([self.utf8, self.utf16], [self.utf8], [self.many]):
            code1, out1, err1 = run("report", "--format", "json", "--year", "2024", "-j", "1", *inputs)
            self.assertIn(b'"findings"', out1)
            for jobs in ("2", "3"):
                code2, out2, err2 = run("report", "--format", "json", "--year", "2024", "-j", jobs, *inputs)
                self.assertEqual(code1, code2, err2)
                self.assertEqual(out1, out2, f"-j {jobs} differs from -j 1 on {inputs}")

    def test_report_parallel_identical_across_files(self):
        code1, out1, err1 = run("report", "--format", "json", "-j", "1", self.folder)
        report = json.loads(out1)
        years = {o["time"][:4] for f in report["findings"] for o in f["occurrences"] if o.get("time")}
        self.assertGreaterEqual(len(years), 2, f"the files' years should show: {years}")
        for jobs in ("2", "3"):
            code2, out2, err2 = run("report", "--format", "json", "-j", jobs, self.folder)
            self.assertEqual((code1, out1), (code2, out2), f"-j {jobs} differs from -j 1: {err2}")

    def test_grep_parallel_identical(self):
        # One file of many blocks, and a folder of them (the next file is read while the last
        # blocks of the one before are printed; a dangling link between them is an error in
        # its place): every matched line, numbered, in order, the counts and the file lists.
        link = os.path.join(self.folder, "CBEngine1a.errlog")
        if not os.path.lexists(link):
            os.symlink(os.path.join(self.folder, "gone.errlog"), link)
        for target in (self.many, self.folder):
            for flags in (["-n"], ["-c"], ["-o", "-n"], ["-C", "2"], ["-l"], ["-L"], ["-m", "3", "-n"],
                          ["-n", "-e", "(?i)heartbeat.*succeeded in \\d*7 ms"]):
                code1, out1, err1 = run("grep", *flags, "-j", "1", target)
                self.assertIn(code1, (0, 1, 2), err1)
                self.assertTrue(out1 or flags == ["-L"], f"grep {flags}: nothing printed")
                for jobs in ("2", "3"):
                    code2, out2, err2 = run("grep", *flags, "-j", jobs, target)
                    self.assertEqual((code1, out1, err1), (code2, out2, err2), f"grep {flags} -j {jobs}")
        code, out, err = run("grep", "-c", "-j", "2", self.folder)
        self.assertEqual(code, 2, "a dangling link is an error")
        self.assertIn("CBEngine1a.errlog", err)
        counts = [l.rsplit(b":", 1) for l in out.splitlines()]
        self.assertEqual([os.path.basename(n.decode()) for n, _ in counts],
                         ["CBEngine0.errlog", "CBEngine1.errlog", "CBEngine2.errlog"])
        per_copy = int(run("grep", "-c", self.utf8)[1])
        self.assertEqual([int(c) for _, c in counts], [k * per_copy for k in (2, 3, 4)])
        self.assertEqual(int(run("grep", "-c", self.many)[1]),
                         8 * int(run("grep", "-c", self.utf8)[1]))


if __name__ == "__main__":
    unittest.main()
