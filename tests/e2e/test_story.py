"""The job story and the timeline on the sample bundle and a catalogue fixture job: the phase a
job failed in, its failure decoded, the findings inside it, CloudBackup events joined by time,
and the timeline in time order (errlog times placed with --year and --tz)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import FIXTURES, SAMPLES, report_json, run  # noqa: E402

BUNDLE = os.path.join(SAMPLES, "bundle")
JOB_7A2C = "7A2C0E51-3B9D-4F60-9E21-5C1D8B0A7F34"


def job(doc, id_):
    for j in doc["jobs"]:
        if j["id"] == id_:
            return j
    raise AssertionError(f"no job {id_}: {[j['id'] for j in doc['jobs']]}")


def order_key(e):
    return (e["time"] is None, e["time"] or "", e["source"], e["line"])


class SampleBundleStory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.code, cls.doc, cls.err = report_json("--timeline", "--year", "2019", BUNDLE)

    def test_failed_jobs_first_with_the_phase_they_failed_in(self):
        outcomes = [j["outcome"] for j in self.doc["jobs"]]
        self.assertEqual(outcomes, sorted(outcomes, key=lambda o: o != "failed"))
        j = job(self.doc, JOB_7A2C)
        self.assertEqual(j["outcome"], "failed")
        self.assertEqual(j["failed_phase"], "Data transfer")  # not the clean-up phase after it
        self.assertEqual(j["failure_decoded"][0].split(" ")[0].lower(), "0x80072ee7")
        self.assertIn("ERROR_INTERNET_NAME_NOT_RESOLVED", j["failure_decoded"][0])
        self.assertTrue(j["failed_at"]["source"].endswith("CBEngineCurr.errlog"))
        self.assertEqual(j["failed_at"]["time"], "2019-06-08T01:02:24.591Z")
        self.assertEqual(j["duration_ms"], 146407)
        self.assertEqual(j["findings"], ["MARS-407", "MARS-100050"])
        story = {s["rule"]: s for s in j["story"]}
        self.assertEqual(story["MARS-100050"]["top_cause"]["id"], "proxy-blocking")
        self.assertEqual(story["MARS-100050"]["top_cause"]["status"], "evidenced")
        self.assertTrue(story["MARS-407"]["first_action"])

    def test_cloudbackup_events_join_the_errlog_job(self):
        self.assertFalse([j["id"] for j in self.doc["jobs"] if j["id"].startswith("event:")])
        j = job(self.doc, JOB_7A2C)
        self.assertEqual([e["text"] for e in j["events"]],
                         ["The backup operation has started.", "The backup operation has completed with errors."])
        self.assertEqual(j["start"], "2019-06-08T01:00:00.231Z")  # the errlog's own times stay

    def test_timeline_order_and_content(self):
        tl = self.doc["timeline"]
        self.assertEqual(tl, sorted(tl, key=order_key))
        kinds = [(e["kind"], e["job"]) for e in tl if e["job"] == JOB_7A2C and e["kind"] != "finding"]
        self.assertEqual(kinds, [("job-start", JOB_7A2C), ("job-failure", JOB_7A2C), ("job-end", JOB_7A2C)])
        f407 = [i for i, e in enumerate(tl) if e["rule"] == "MARS-407" and e["job"] == JOB_7A2C]
        failure = [i for i, e in enumerate(tl) if e["kind"] == "job-failure" and e["job"] == JOB_7A2C]
        self.assertLess(f407[0], failure[0])  # the proxy error came before the job failed
        ev = [e for e in tl if e["event"]]
        self.assertEqual([e["rule"] for e in ev], ["MARS-SCHEDULE-NOT-RUN"])
        # Every finding's kept occurrences are on the timeline.
        self.assertEqual(sum(1 for e in tl if e["kind"] == "finding"),
                         sum(len(f["occurrences"]) for f in self.doc["findings"]))

    def test_tz_moves_errlog_times_not_event_times(self):
        _, doc, _ = report_json("--timeline", "--year", "2019", "--tz", "+08:00", BUNDLE)
        j = job(doc, JOB_7A2C)
        self.assertEqual(j["start"], "2019-06-07T17:00:00.231Z")
        ev = [e for e in doc["timeline"] if e["event"] and e["kind"] == "finding"]
        self.assertEqual(ev[0]["time"], "2019-06-11T01:00:03.500Z")
        # Eight hours apart, the CloudBackup events no longer overlap the errlog job: a job of their own.
        self.assertEqual(j["events"], [])
        self.assertTrue(any(x["id"].startswith("event:") for x in doc["jobs"]))
        self.assertEqual(doc["timeline"], sorted(doc["timeline"], key=order_key))

    def test_text_reads_as_a_story(self):
        code, out, err = run("report", "--timeline", "--year", "2019", BUNDLE)
        t = out.decode("utf-8")
        block = t[t.index("Jobs (failed first):"):]
        self.assertIn("failed in phase: Data transfer\n", block)
        self.assertIn("why: ", block)
        self.assertIn("do: ", block)
        self.assertIn("\nTimeline:\n", t)
        code, out, err = run("report", "--timeline", "--lang", "zh-CN", "--year", "2019", BUNDLE)
        z = out.decode("utf-8")
        self.assertIn("失败阶段：Data transfer", z)
        self.assertIn("时间线：", z)


class FixtureJobStory(unittest.TestCase):
    def test_catalogue_errlog_job(self):
        path = os.path.join(FIXTURES, "catalogue", "MARS-SalLowDiskSpace.errlog")
        _, doc, _ = report_json("--timeline", "--year", "2020", path)
        self.assertEqual(len(doc["jobs"]), 1)
        j = doc["jobs"][0]
        self.assertEqual(j["id"], "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6")
        self.assertEqual(j["outcome"], "failed")
        self.assertEqual(j["failed_phase"], "Prebackup")
        self.assertEqual(j["failure_decoded"],
                         ["0x80070070 (ERROR_DISK_FULL: There is not enough space on the disk.)"])
        self.assertEqual(j["findings"], ["MARS-SalLowDiskSpace"])
        self.assertEqual(j["story"][0]["top_cause"]["id"], "scratch-low-space")
        self.assertEqual([e["kind"] for e in doc["timeline"]], ["job-start", "finding", "job-failure", "job-end"])


if __name__ == "__main__":
    unittest.main()
