"""End-to-end: the `marsscan grep` contract, compared with GNU grep (and ripgrep's --json shape)
on the same plain UTF-8 files wherever the flag exists in grep. marsscan numbers lines by
default, so it is compared with `grep -n` unless -N is given."""
import json
import os
import shutil
import subprocess
import unittest
import zipfile

from harness import BINARY, SAMPLES, main, run, tempdir, write_utf16

BUNDLE = os.path.join(SAMPLES, "bundle")
SMALL = "alpha\nfoo bar\nbaz\nfoo\nqux foo foo\nend\n"
LINE = 60  # bytes per filler line of the big file, newline included


def gnu_grep(*args, cwd=None, stdin=None):
    p = subprocess.run(["grep", "-E", *args], capture_output=True, cwd=cwd, input=stdin)
    return p.returncode, p.stdout


class GrepLikeGrep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.d = cls.tmp.name
        with open(os.path.join(d, "b.log"), "w") as f:
            f.write(SMALL)
        with open(os.path.join(d, "none.log"), "w") as f:
            f.write("nothing here\nat all\n")
        # Needles just before, on and after the 1 MiB block boundaries, with context reaching across.
        lines = ["filler line %06d " % i + "y" * 40 for i in range(50000)]
        assert len(lines[0]) + 1 == LINE
        b = (1 << 20) // LINE
        cls.needles = [b - 3, b - 1, b + 2, b + 9, 2 * b - 4, 2 * b + 1]
        for k in cls.needles:
            lines[k] = "needle at %d" % k
        with open(os.path.join(d, "big.log"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(d, "pats"), "w") as f:
            f.write("foo\nba[rz]\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def same(self, grep_args, ours=None, files=("b.log",)):
        """Runs grep -E GREP_ARGS FILES and marsscan grep OURS FILES in the temp dir; same bytes, same status."""
        ours = grep_args if ours is None else ours
        gcode, gout = gnu_grep(*grep_args, *files, cwd=self.d)
        code, out, err = run("grep", *ours, *files, cwd=self.d)
        self.assertEqual(out.decode("utf-8", "replace"), gout.decode("utf-8", "replace"),
                         f"grep {grep_args} vs marsscan grep {ours}; stderr: {err}")
        self.assertEqual(code, gcode, f"exit status of {ours}: {err}")
        return out

    def test_line_numbers_default_and_N(self):
        self.same(["-n", "-e", "foo"], ["-e", "foo"])
        self.same(["-n", "-e", "foo"], ["-n", "-e", "foo"])
        self.same(["-e", "foo"], ["-N", "-e", "foo"])

    def test_names_auto_H_h(self):
        self.same(["-n", "-e", "foo"], ["-e", "foo"], files=("b.log", "none.log"))  # several files: names
        self.same(["-Hn", "-e", "foo"], ["-H", "-e", "foo"])
        self.same(["-hn", "-e", "foo"], ["-h", "-e", "foo"], files=("b.log", "none.log"))

    def test_count_per_file_with_zero(self):
        out = self.same(["-c", "-e", "foo"], files=("b.log", "none.log"))
        self.assertIn(b"none.log:0\n", out)
        self.same(["-c", "-e", "foo"])
        self.same(["-c", "-m", "2", "-e", "foo"], files=("b.log", "none.log"))

    def test_files_with_and_without(self):
        self.same(["-l", "-e", "foo"], files=("b.log", "none.log"))
        self.same(["-L", "-e", "foo"], files=("b.log", "none.log"))
        self.same(["-L", "-e", "zzz"], files=("b.log", "none.log"))
        self.same(["-l", "-e", "zzz"], files=("b.log",))

    def test_only_matching(self):
        self.same(["-no", "-e", "fo+"], ["-o", "-e", "fo+"])
        self.same(["-no", "-e", "o"], ["-o", "-e", "o"])  # adjacent matches stay apart

    def test_quiet(self):
        code, out, _ = run("grep", "-q", "-e", "foo", "b.log", cwd=self.d)
        self.assertEqual((code, out), (0, b""))
        code, out, _ = run("grep", "-q", "-e", "zzz", "b.log", cwd=self.d)
        self.assertEqual((code, out), (1, b""))

    def test_max_count(self):
        self.same(["-n", "-m", "1", "-e", "foo"], ["-m", "1", "-e", "foo"])
        self.same(["-n", "-m", "2", "-A", "1", "-e", "foo"], ["-m", "2", "-A", "1", "-e", "foo"])

    def test_context_small(self):
        for flags in (["-A", "1"], ["-B", "1"], ["-C", "1"], ["-C", "5"], ["-A", "0"]):
            self.same(["-n", *flags, "-e", "foo"], [*flags, "-e", "foo"])
        self.same(["-n", "-C", "1", "-e", "alpha|end"], ["-C", "1", "-e", "alpha|end"])

    def test_context_across_block_boundaries(self):
        for flags in (["-C", "5"], ["-B", "6"], ["-A", "6"], ["-B", "2"], ["-A", "2"], ["-A", "1", "-B", "4"]):
            out = self.same(["-n", *flags, "-e", "needle"], [*flags, "-e", "needle"], files=("big.log",))
            self.assertIn(b"--\n", out)
        self.same(["-c", "-e", "needle"], files=("big.log",))
        self.same(["-n", "-e", "needle"], ["-e", "needle"], files=("big.log",))

    def test_context_between_files(self):
        """With context, a "--" goes between two files' groups, also before one that starts at a
        file's line 1, as GNU grep prints it; on one thread and on several."""
        files = ("b.log", "none.log", "b.log", "b.log")
        for flags in (["-C", "1"], ["-A", "0"], ["-B", "2"], ["-o", "-C", "1"], ["-m", "1", "-A", "1"]):
            out = self.same(["-Hn", *flags, "-e", "alpha|end"], ["-H", *flags, "-e", "alpha|end"], files=files)
            self.assertEqual(out.count(b"--\nb.log:1:alpha\n"), 2, flags)
            for jobs in ("2", "3"):
                code, got, err = run("grep", "-H", *flags, "-j", jobs, "-e", "alpha|end", *files, cwd=self.d)
                self.assertEqual(got, out, f"-j {jobs} {flags}: {err}")

    def test_jobs_do_not_change_output(self):
        """-j N matches blocks on N threads; the bytes printed and the status are those of -j 1,
        and as GNU grep's (the big file has three blocks, needles around their boundaries)."""
        files = ("b.log", "big.log", "none.log")
        for flags in (["-C", "5"], ["-B", "2", "-A", "1"], ["-c"], ["-l"], ["-L"], ["-m", "2", "-A", "3"],
                      ["-o"], ["-q"], ["-N", "-h"]):
            pattern = ["-e", "needle|foo"]
            gflags = [f for f in flags if f not in ("-N",)] + ([] if "-N" in flags else ["-n"])
            serial = self.same([*gflags, *pattern], [*flags, "-j", "1", *pattern], files=files)
            for jobs in ("2", "3"):
                code, out, err = run("grep", *flags, "-j", jobs, *pattern, *files, cwd=self.d)
                self.assertEqual(out, serial, f"-j {jobs} {flags}: {err}")
        # The JSON envelope too, but for its timing fields.
        def no_times(raw):
            events = [json.loads(l) for l in raw.splitlines()]
            for e in events:
                e.get("data", {}).pop("elapsed_total", None)
                e.get("data", {}).get("stats", {}).pop("elapsed", None)
            return events
        outs = [no_times(run("grep", "--json", "-j", j, "-e", "needle|foo", *files, cwd=self.d)[1]) for j in ("1", "2", "3")]
        self.assertEqual(outs[0], outs[1])
        self.assertEqual(outs[0], outs[2])
        self.assertEqual(sum(e["type"] == "match" for e in outs[0]), len(self.needles) + 3)
        # Errors keep their place among the inputs, on standard error, and set the status.
        results = [run("grep", "-j", j, "-c", "-e", "foo", "b.log", "missing.log", "big.log", "none.log", cwd=self.d)
                   for j in ("1", "2", "4")]
        self.assertEqual(results[0][0], 2)
        self.assertIn("missing.log", results[0][2])
        for r in results[1:]:
            self.assertEqual(r, results[0])

    def test_jobs_share_zip_members(self):
        """-j N inflates a zip's members side by side, each searched whole on its own thread;
        the bytes printed, standard error and the status are those of -j 1, and those of GNU
        grep -h on the members in zip order ("--" between members' groups included)."""
        d = self.d
        z = os.path.join(d, "members.zip")
        names = ["big.log", "b.log", "none.log", "big.log", "b.log", "big.log"]
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, n in enumerate(names):
                zf.write(os.path.join(d, n), f"m{i}/{n}")
            zf.writestr("utf16.log", "\ufeff".encode("utf-16-le") + SMALL.encode("utf-16-le"))
        files = [os.path.join(d, n) for n in names]
        pattern = ["-e", "needle|foo"]
        for flags in (["-c"], ["-m", "2"], ["-o"], [], ["-C", "5"], ["-B", "2", "-A", "1"], ["-m", "2", "-A", "3"]):
            gcode, gout = gnu_grep("-hn", *flags, *pattern, *files)
            code, out, err = run("grep", "-h", *flags, "-j", "2", *pattern, z, cwd=d)
            utf16 = run("grep", "-h", *flags, "-j", "1", *pattern, os.path.join(d, "b.log"), cwd=d)[1]
            between = b"--\n" if "-A" in flags or "-C" in flags else b""
            self.assertEqual(out, gout + between + utf16, f"{flags}: {err}")
            self.assertEqual(code, gcode)
        for flags in (["-C", "5"], ["-B", "2", "-A", "1"], ["-m", "2", "-A", "3"], ["-c"], ["-l"], ["-L"],
                      ["--json"], ["-q"]):
            serial = run("grep", *flags, "-j", "1", *pattern, z, cwd=d)
            for jobs in ("2", "3"):
                got = run("grep", *flags, "-j", jobs, *pattern, z, cwd=d)
                if "--json" in flags:
                    got, serial = [(c, o.split(b'{"type":"summary"')[0], e) for c, o, e in (got, serial)]
                self.assertEqual(got, serial, f"-j {jobs} {flags}")
        # A member that cannot be read keeps its place among the others, on standard error.
        bad = os.path.join(d, "bad.zip")
        data = bytearray(open(z, "rb").read())
        with zipfile.ZipFile(z) as zf:
            info = zf.getinfo("m3/big.log")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        for i in range(start + info.compress_size * 3 // 4, start + info.compress_size * 3 // 4 + 200):
            data[i] ^= 0x5A
        with open(bad, "wb") as f:
            f.write(bytes(data))
        serial = run("grep", "-c", "-j", "1", *pattern, bad, cwd=d)
        self.assertEqual(serial[0], 2)
        self.assertIn("bad.zip!m3/big.log", serial[2])
        self.assertIn(b"bad.zip!m5/big.log:%d" % len(self.needles), serial[1])
        for jobs in ("2", "3"):
            self.assertEqual(run("grep", "-c", "-j", jobs, *pattern, bad, cwd=d), serial)

    def test_color_always(self):
        out = self.same(["-n", "--color=always", "-e", "foo"], ["--color=always", "-e", "foo"])
        self.assertIn(b"\x1b[01;31m\x1b[Kfoo\x1b[m\x1b[K", out)
        self.same(["-Hn", "--color=always", "-C", "1", "-e", "foo"], ["-H", "--color=always", "-C", "1", "-e", "foo"],
                  files=("b.log", "none.log"))
        self.same(["-c", "--color=always", "-e", "foo"], files=("b.log", "none.log"))
        self.same(["-n", "--color=never", "-e", "foo"], ["--color=never", "-e", "foo"])
        # auto: not a terminal here, so no escapes
        code, out, _ = run("grep", "-e", "foo", "b.log", cwd=self.d)
        self.assertNotIn(b"\x1b", out)

    def test_null(self):
        self.same(["-n", "--null", "-e", "foo"], ["--null", "-e", "foo"], files=("b.log", "none.log"))
        self.same(["-l", "--null", "-e", "foo"], files=("b.log", "none.log"))
        self.same(["-c", "--null", "-e", "foo"], files=("b.log", "none.log"))

    def test_regex_options(self):
        self.same(["-n", "-i", "-e", "FOO"], ["-i", "-e", "FOO"])
        self.same(["-n", "-e", "foo", "-e", "baz"], ["-e", "foo", "-e", "baz"])
        self.same(["-n", "-f", "pats"], ["-f", "pats"])

    def test_stdin(self):
        with open(os.path.join(self.d, "b.log"), "rb") as f:
            data = f.read()
        code, out, _ = run("grep", "-e", "foo", stdin=data)
        gcode, gout = gnu_grep("-n", "-e", "foo", stdin=data)
        self.assertEqual((code, out), (gcode, gout))
        code, out, _ = run("grep", "-H", "-e", "foo", stdin=data)
        gcode, gout = gnu_grep("-Hn", "-e", "foo", stdin=data)
        self.assertEqual((code, out), (gcode, gout))

    def test_missing_file(self):
        # alone: 2 and a message naming it
        code, out, err = run("grep", "-e", "foo", "nope.log", cwd=self.d)
        self.assertEqual((code, out), (2, b""))
        self.assertIn("nope.log", err)
        # with matches elsewhere: still 2, the matches still printed (as grep)
        gcode, gout = gnu_grep("-n", "-e", "foo", "b.log", "nope.log", cwd=self.d)
        code, out, err = run("grep", "-e", "foo", "b.log", "nope.log", cwd=self.d)
        self.assertEqual((code, out), (gcode, gout))
        self.assertEqual(code, 2)
        self.assertIn("nope.log", err)
        # -q with a match and an error: 0, as grep
        gcode, _ = gnu_grep("-q", "-e", "foo", "nope.log", "b.log", cwd=self.d)
        code, _, _ = run("grep", "-q", "-e", "foo", "nope.log", "b.log", cwd=self.d)
        self.assertEqual((code, gcode), (0, 0))
        code, _, _ = run("grep", "-q", "-e", "zzz", "nope.log", "b.log", cwd=self.d)
        self.assertEqual(code, 2)

    def test_bad_usage_is_2(self):
        code, _, err = run("grep", "-e", "(unclosed", "b.log", cwd=self.d)
        self.assertEqual(code, 2)
        self.assertIn("(unclosed", err)

    def test_closed_pipe(self):
        # head -1 takes one line and closes the pipe: no message, no crash, and it stops early.
        p = subprocess.Popen([BINARY, "grep", "-e", "filler", "big.log"], cwd=self.d,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        p.stderr.close()
        code = p.wait(timeout=60)
        self.assertEqual(first, b"1:filler line 000000 " + b"y" * 40 + b"\n")
        self.assertEqual(err, b"")
        self.assertIn(code, (0, 141 - 256, -13))  # quiet success (or SIGPIPE death, which shells treat as fine)
        self.assertGreaterEqual(code, 0, "killed by a signal")
        shell = subprocess.run(["bash", "-c", f"'{BINARY}' grep -e filler big.log | head -1; "
                                "echo ${PIPESTATUS[0]}"], cwd=self.d, capture_output=True)
        self.assertEqual(shell.stderr, b"")
        self.assertEqual(shell.stdout.splitlines()[-1], b"0")

    def test_xargs_and_sort_uniq(self):
        p = subprocess.run(f"find . -name '*.log' -print0 | sort -z | xargs -0 '{BINARY}' grep -c -e foo",
                           shell=True, cwd=self.d, capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"./b.log:3\n./big.log:0\n./none.log:0\n")
        p = subprocess.run(f"'{BINARY}' grep -o -h -N -e 'fo+|ba[rz]' b.log | sort | uniq -c",
                           shell=True, cwd=self.d, capture_output=True)
        self.assertEqual(p.stdout.split(), [b"1", b"bar", b"1", b"baz", b"4", b"foo"])


def json_lines(out):
    msgs = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    for m in msgs:
        assert set(m) == {"type", "data"}, m
    return msgs


class GrepJson(unittest.TestCase):
    def test_envelope_like_ripgrep(self):
        with tempdir() as d:
            with open(os.path.join(d, "b.log"), "w") as f:
                f.write(SMALL)
            with open(os.path.join(d, "none.log"), "w") as f:
                f.write("nothing\n")
            code, out, err = run("grep", "--json", "-C", "1", "-e", "foo", "b.log", "none.log", cwd=d)
            self.assertEqual(code, 0, err)
            ours = json_lines(out)
            self.assertEqual([m["type"] for m in ours],
                             ["begin", "context", "match", "context", "match", "match", "context", "end", "summary"])
            for m in ours[1:-2]:
                self.assertEqual(m["data"]["path"], {"text": "b.log"})
                self.assertTrue(m["data"]["lines"]["text"].endswith("\n"))
            match = ours[2]["data"]
            self.assertEqual((match["line_number"], match["absolute_offset"]), (2, 6))
            self.assertEqual(match["submatches"], [{"match": {"text": "foo"}, "start": 0, "end": 3}])
            self.assertEqual(len(ours[5]["data"]["submatches"]), 2)
            self.assertEqual(ours[-2]["data"]["stats"]["matched_lines"], 3)
            summary = ours[-1]["data"]["stats"]
            self.assertEqual((summary["searches"], summary["searches_with_match"], summary["matched_lines"],
                              summary["matches"]), (2, 1, 3, 4))
            if shutil.which("rg"):
                p = subprocess.run(["rg", "--json", "-C", "1", "-e", "foo", "b.log", "none.log"], cwd=d,
                                   capture_output=True)
                theirs = json_lines(p.stdout)
                self.assertEqual([m["type"] for m in theirs], [m["type"] for m in ours])

                def shape(v):
                    if isinstance(v, dict):
                        return {k: shape(x) for k, x in v.items() if k != "rules"}
                    if isinstance(v, list):
                        return [shape(x) for x in v[:1]]
                    return type(v).__name__
                for a, b in zip(ours, theirs):
                    self.assertEqual(shape(a), shape(b), (a, b))
                # same lines, numbers, offsets and submatches
                strip = lambda ms: [{k: v for k, v in m["data"].items() if k in
                                     ("lines", "line_number", "absolute_offset", "submatches")}
                                    for m in ms if m["type"] in ("match", "context")]
                self.assertEqual(strip(ours), strip(theirs))

    def test_rules_field_with_database(self):
        code, out, err = run("grep", "--json", "--rule", "MARS-34513", os.path.join(BUNDLE, "Temp"))
        self.assertEqual(code, 0, err)
        msgs = json_lines(out)
        matches = [m["data"] for m in msgs if m["type"] == "match"]
        self.assertTrue(matches)
        for m in matches:
            self.assertEqual(m["rules"], ["MARS-34513"])
            self.assertIn("34513", m["lines"]["text"])


class GrepBundles(unittest.TestCase):
    """What only marsscan does: the pattern database, UTF-16, archives and event exports."""

    def test_database_rule_and_severity(self):
        code, out, err = run("grep", "--rule", "MARS-34513", os.path.join(BUNDLE, "Temp", "CBEngineCurr.errlog"))
        self.assertEqual(code, 0, err)
        lines = out.decode().splitlines()
        self.assertTrue(lines)
        for l in lines:
            number, rule, text = l.split(":", 2)
            self.assertTrue(number.isdigit(), l)
            self.assertEqual(rule, "MARS-34513")
            self.assertIn("34513", text)
        code, out, _ = run("grep", "--severity", "critical", "--rule", "MARS-407", BUNDLE)
        self.assertEqual((code, out), (1, b""))  # 407 is a warning
        code, out, _ = run("grep", "--severity", "warning", BUNDLE)
        self.assertIn(b":MARS-407:", out)
        code, _, err = run("grep", "--rule", "NO-SUCH-RULE", BUNDLE)
        self.assertEqual(code, 2)
        self.assertIn("NO-SUCH-RULE", err)

    def test_utf16_file_same_as_its_utf8_twin(self):
        with tempdir() as d:
            write_utf16(os.path.join(d, "u16.log"), SMALL)
            with open(os.path.join(d, "u8.log"), "w", newline="") as f:
                f.write(SMALL.replace("\n", "\r\n"))
            a = run("grep", "-e", "foo", "u16.log", cwd=d)
            b = run("grep", "-e", "foo", "u8.log", cwd=d)
            self.assertEqual(a[:2], b[:2])
            self.assertEqual(a[1], b"2:foo bar\n4:foo\n5:qux foo foo\n")

    def test_archive_members_are_named(self):
        with tempdir() as d:
            z = os.path.join(d, "a.zip")
            with zipfile.ZipFile(z, "w") as zf:
                zf.write(os.path.join(BUNDLE, "Temp", "CBEngineCurr.errlog"), "Temp/x.errlog")
            code, out, err = run("grep", "--rule", "MARS-34513", "a.zip", cwd=d)
            self.assertEqual(code, 0, err)
            first = out.decode().splitlines()[0]
            self.assertRegex(first, r"^a\.zip!Temp/x\.errlog:\d+:MARS-34513:.*34513")
            code, out, _ = run("grep", "-l", "--rule", "MARS-34513", "a.zip", cwd=d)
            self.assertEqual(out, b"a.zip!Temp/x.errlog\n")
            code, out, _ = run("grep", "-h", "--rule", "MARS-34513", "a.zip", cwd=d)
            self.assertRegex(out.decode().splitlines()[0], r"^\d+:MARS-34513:")

    def test_directory_names_and_event_exports(self):
        code, out, err = run("grep", BUNDLE)
        self.assertEqual(code, 0, err)
        text = out.decode()
        events = [l for l in text.splitlines() if "CloudBackup-Operational.xml:" in l]
        self.assertTrue(events, text)
        src, record, rule, rest = events[0].split(":", 3)
        self.assertTrue(src.endswith("events/CloudBackup-Operational.xml"))
        self.assertTrue(record.isdigit())
        self.assertTrue(rule.startswith("MARS-"))
        self.assertTrue(any(l.startswith(BUNDLE + "/Temp/CBEngineCurr.errlog:") for l in text.splitlines()))


if __name__ == "__main__":
    main()
