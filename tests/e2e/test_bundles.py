"""End-to-end: what customers send — nested archives mixing errlogs, EVTX and event exports."""
import gzip
import io
import os
import shutil
import subprocess
import tarfile
import unittest
import zipfile

from harness import SHARED, finding, main, report_json, run, tempdir

CLOUDBACKUP_EVTX = os.path.join(SHARED, "evtx-samples", "CloudBackup%4Operational-synthetic.evtx")
GUID = "0C55A1F0-7D3E-4B21-A6C9-8E4F2D1B3A77"
ERRLOG = (
    f"0AB0\t0974\t06/10\t01:00:00.100\t71\tbackupasync.cpp(1279)\t[000000001A12E3F0]\t{GUID}\tNORMAL\tBackup Progress: Prebackup started.\n"
    f"0AB0\t0974\t06/10\t01:00:05.200\t71\tscratchhelper.cpp(151)\t[000000001A12E3F0]\t{GUID}\tWARNING\tFailed: Hr: = [0x80070003] The system cannot find the path specified. (E:\\MARS\\Scratch)\n"
    f"0AB0\t0974\t06/10\t01:00:06.300\t71\tcbpsession.cpp(903)\t[000000001A12E3F0]\t{GUID}\tFATAL\tError 34506. The encryption passphrase stored on this computer is not correctly configured.\n"
)
CSV = ("Level,Date and Time,Source,Event ID,Task Category\r\n"
       "Error,6/11/2019 1:00:03 AM,CloudBackup,18,None,\"Scheduled backup failed in initialization phase\r\n"
       "See the job history for details.\"\r\n"
       "Information,6/11/2019 1:00:00 AM,CloudBackup,1,None,The backup operation has started.\r\n")


def utf16(text):
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def make_zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def corrupt_member(zip_bytes, name):
    """Flips bytes inside one member's compressed data (its CRC check then fails)."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        info = z.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(zip_bytes)
    for i in range(start + 2, start + min(info.compress_size, 40)):
        data[i] ^= 0x5A
    return bytes(data)


class NestedBundle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.tmp.name
        with open(CLOUDBACKUP_EVTX, "rb") as f:
            evtx = f.read()
        inner = make_zip([
            ("Temp/CBEngineCurr.errlog", utf16(ERRLOG)),
            ("events/CloudBackup%4Operational.evtx", evtx),
            ("events/application.csv", CSV.encode("utf-8-sig")),
        ])
        broken = "0AB0\t0974\t06/10\t01:00:07.000\t71\tx.cpp(1)\t[00]\t" + GUID + "\tNORMAL\t" + "payload " * 400 + "\n"
        outer = make_zip([
            ("inner.zip", inner),
            ("notes.txt", b"Customer says backups fail since the scratch folder was moved.\n"),
            ("broken.errlog", broken.encode()),
        ])
        cls.bundle = os.path.join(d, "outer.zip")
        with open(cls.bundle, "wb") as f:
            f.write(corrupt_member(outer, "broken.errlog"))
        cls.code, cls.doc, cls.err = report_json("--year", "2019", cls.bundle)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_exit_2_for_the_bad_member(self):
        self.assertEqual(self.code, 2, self.err)

    def test_bad_member_named(self):
        sources = [e["source"] for e in self.doc["errors"]]
        self.assertTrue(any(s.endswith("outer.zip!broken.errlog") for s in sources), sources)

    def test_errlog_inside_nested_zip(self):
        f = finding(self.doc, "MARS-34506")
        src = f["occurrences"][0]["source"]
        self.assertTrue(src.endswith("outer.zip!inner.zip!Temp/CBEngineCurr.errlog"), src)
        self.assertEqual(f["occurrences"][0]["line"], 3)
        self.assertEqual(f["causes"][0]["id"], "scratch-moved")

    def test_evtx_and_csv_events(self):
        f = finding(self.doc, "MARS-SCHEDULE-NOT-RUN")
        sources = {o["source"].split("!", 1)[1] for o in f["occurrences"]}
        self.assertIn("inner.zip!events/CloudBackup%4Operational.evtx", sources)
        self.assertIn("inner.zip!events/application.csv", sources)
        self.assertEqual(f["count"], 2)

    def test_all_members_counted(self):
        # errlog, evtx, csv, notes; the corrupt member may or may not count as a file.
        self.assertGreaterEqual(self.doc["summary"]["files"], 4)


class Containers(unittest.TestCase):
    def test_tar_gz_7z_gz_and_stdin(self):
        with tempdir() as d:
            os.makedirs(os.path.join(d, "Temp"))
            with open(os.path.join(d, "Temp", "CBEngineCurr.errlog"), "wb") as f:
                f.write(utf16(ERRLOG))
            tgz = os.path.join(d, "bundle.tgz")
            with tarfile.open(tgz, "w:gz") as t:
                t.add(os.path.join(d, "Temp"), arcname="Temp")
            gz = os.path.join(d, "CBEngineCurr.errlog.gz")
            with open(gz, "wb") as f:
                f.write(gzip.compress(utf16(ERRLOG)))
            expectations = [(tgz, "bundle.tgz!Temp/CBEngineCurr.errlog"),
                            (gz, "CBEngineCurr.errlog.gz!CBEngineCurr.errlog")]
            if shutil.which("7z"):
                sz = os.path.join(d, "bundle.7z")
                subprocess.run(["7z", "a", "-bd", "-y", sz, "Temp"], cwd=d, check=True, capture_output=True)
                expectations.append((sz, "bundle.7z!Temp/CBEngineCurr.errlog"))
            for path, suffix in expectations:
                code, doc, err = report_json("--year", "2019", path)
                src = finding(doc, "MARS-34506")["occurrences"][0]["source"]
                self.assertTrue(src.endswith(suffix), (path, src, err))
                self.assertEqual(code, 1, (path, err))
            with open(tgz, "rb") as f:
                code, doc, err = report_json("--year", "2019", "-", stdin=f.read())
            self.assertEqual(finding(doc, "MARS-34506")["occurrences"][0]["source"], "-!Temp/CBEngineCurr.errlog")

    def test_encrypted_member(self):
        if not shutil.which("zip"):
            self.skipTest("zip not installed")
        with tempdir() as d:
            with open(os.path.join(d, "secret.errlog"), "wb") as f:
                f.write(utf16(ERRLOG))
            with open(os.path.join(d, "open.errlog"), "wb") as f:
                f.write(utf16(ERRLOG))
            z = os.path.join(d, "mixed.zip")
            subprocess.run(["zip", "-q", "-P", "pw", z, "secret.errlog"], cwd=d, check=True)
            subprocess.run(["zip", "-q", z, "open.errlog"], cwd=d, check=True)
            code, doc, err = report_json("--year", "2019", z)
            self.assertEqual(code, 2)
            self.assertTrue(any(e["source"].endswith("mixed.zip!secret.errlog") and "encrypt" in e["message"].lower()
                                for e in doc["errors"]), doc["errors"])
            self.assertTrue(finding(doc, "MARS-34506")["occurrences"][0]["source"].endswith("mixed.zip!open.errlog"))

    def test_depth_limit(self):
        with tempdir() as d:
            data = make_zip([("Temp/CBEngineCurr.errlog", utf16(ERRLOG))])
            for i in range(4):
                data = make_zip([(f"level{i}.zip", data)])
            p = os.path.join(d, "deep.zip")
            with open(p, "wb") as f:
                f.write(data)
            code, doc, err = report_json("--year", "2019", "--max-depth", "2", p)
            self.assertEqual(code, 2)
            self.assertTrue(any("--max-depth" in e["message"] for e in doc["errors"]), doc["errors"])
            code, doc, err = report_json("--year", "2019", p)
            self.assertEqual(code, 1, doc["errors"])
            finding(doc, "MARS-34506")

    def test_records_command_names_members(self):
        with tempdir() as d:
            p = os.path.join(d, "b.zip")
            with open(p, "wb") as f:
                f.write(make_zip([("Temp/CBEngineCurr.errlog", utf16(ERRLOG)), ("ev.csv", CSV.encode())]))
            code, out, err = run("records", "--year", "2019", p)
            self.assertEqual(code, 0, err)
            import json
            recs = [json.loads(l) for l in out.decode().splitlines()]
            errl = [r for r in recs if r["kind"] == "errlog"]
            self.assertEqual(len(errl), 3)
            self.assertEqual(errl[2]["task"], GUID)
            self.assertEqual(errl[2]["level"], "FATAL")
            self.assertEqual(errl[0]["source"], p + "!Temp/CBEngineCurr.errlog")
            evs = [r for r in recs if r["kind"] == "event"]
            self.assertEqual([e["event_id"] for e in evs], [18, 1])
            self.assertEqual(evs[0]["provider"], "CloudBackup")
            self.assertIn("initialization phase", evs[0]["message"])


class AnsiSavedFiles(unittest.TestCase):
    """Copies re-saved as "ANSI" by Notepad: GBK on a Chinese system, windows-1252 on a Western
    one. Their lines are decoded from the code page, so wordings match in any language; the
    bytes are no damage (no input error), and grep prints UTF-8."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        d = cls.tmp.name
        # Only the Chinese wording names the proxy error: the rule can match it only decoded.
        notes = "客户备注：备份失败。\r\n代理服务器返回：需要代理身份验证\r\n".encode("gbk")
        errlog = (f"0AB0\t0974\t06/10\t01:00:06.300\t71\tcbpsession.cpp(903)\t[000000001A12E3F0]\t{GUID}\tFATAL\t"
                  "Erreur : acc\u00e8s refus\u00e9 au dossier. (ID: 34513)\r\n").encode("cp1252")
        cls.bundle = os.path.join(d, "ansi.zip")
        with open(cls.bundle, "wb") as f:
            f.write(make_zip([("notes-gbk.txt", notes), ("Temp/CBEngineCurr.errlog", errlog)]))
        cls.code, cls.doc, cls.err = report_json("--year", "2019", cls.bundle)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_no_input_errors(self):
        self.assertEqual(self.doc["errors"], [])
        self.assertEqual(self.code, 1, self.err)  # findings, nothing unreadable

    def test_gbk_wording_matches(self):
        f = finding(self.doc, "MARS-407")
        occ = f["occurrences"][0]
        self.assertTrue(occ["source"].endswith("ansi.zip!notes-gbk.txt"), occ["source"])
        self.assertEqual(occ["line"], 2)
        self.assertIn("需要代理身份验证", occ["text"])

    def test_windows_1252_errlog_parsed(self):
        occ = finding(self.doc, "MARS-34513")["occurrences"][0]
        self.assertIn("accès refusé", occ["text"])
        self.assertEqual(occ["time"], "2019-06-10T01:00:06.300Z")

    def test_same_lines_as_utf8_on_any_jobs(self):
        # Several 1 MiB blocks, so that -j matches them on other threads.
        text = "".join(f"0AB0\t0974\t06/10\t01:00:{i % 60:02d}.100\t71\tnet.cpp(12)\t[01]\t{GUID}\tWARNING\t"
                       + ("代理服务器返回：需要代理身份验证" if i % 97 == 0 else f"心跳成功 {i}") + "\r\n"
                       for i in range(40000))
        d = self.tmp.name
        for name, enc in (("big-gbk.log", "gbk"), ("big-utf8.log", "utf-8")):
            with open(os.path.join(d, name), "wb") as f:
                f.write(text.encode(enc))
        want = run("grep", "-h", "-j", "1", os.path.join(d, "big-utf8.log"))
        self.assertEqual(want[1].count(b"MARS-407"), 413)
        for jobs in ("1", "2", "3"):
            self.assertEqual(run("grep", "-h", "-j", jobs, os.path.join(d, "big-gbk.log")), want, jobs)

    def test_grep_prints_utf8(self):
        code, out, err = run("grep", "-h", self.bundle)
        self.assertEqual(code, 0, err)
        text = out.decode("utf-8")  # raises if a byte of the code page came through
        self.assertIn("2:MARS-407:代理服务器返回：需要代理身份验证", text)
        self.assertIn("accès refusé", text)


if __name__ == "__main__":
    main()
