"""Causal fixtures: for every seed rule and each of its documented causes, a small errlog
(tests/fixtures/causes/<RULE-ID>/<cause-id>.errlog) holds the trigger line and the evidence for
that one cause. The real binary must report the rule with that cause ranked first and evidenced.

Environment: MARSSCAN = path of the marsscan binary (required; the test fails without it),
MARSSCAN_SOURCE_DIR = source tree (defaults to this file's ../..).
"""
import json
import os
import subprocess
import unittest

SOURCE = os.environ.get("MARSSCAN_SOURCE_DIR",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BINARY = os.environ.get("MARSSCAN", "")
CAUSES = os.path.join(SOURCE, "tests", "fixtures", "causes")

# The seed rules and their causes in documented order (shared/docs/catalogue.md). Listed here so
# that a missing fixture is a failure, not a silently smaller test.
EXPECTED = {
    "MARS-34513": ["credentials-expired", "temp-download-blocked", "network-location", "tls-disabled",
                   "proxy-blocking", "clock-skew", "temp-tmp-overflow", "dotnet-missing", "antivirus"],
    "MARS-403": ["browser-cache", "subscription-disabled", "firewall", "vault-machine-limit",
                 "missing-permissions"],
    "MARS-100050": ["proxy-blocking", "file-download-disabled", "antivirus"],
    "MARS-407": ["proxy-credentials-missing"],
    "MARS-ENCRYPTION-KEY-NOT-SET": ["registered-to-other-vault", "passphrase-corrupted"],
    "MARS-0x1FC07": ["scratch-low-space", "scratch-moved", "kek-missing", "agent-outdated"],
    "MARS-34506": ["scratch-low-space", "scratch-moved", "kek-missing", "agent-outdated"],
    "MARS-SCHEDULE-NOT-RUN": ["wsb-schedule-conflict", "task-disabled", "task-account", "powershell-old",
                              "psmodulepath-missing", "execution-policy-restricted"],
    "MARS-RESTORE-MOUNT-FAILED": ["agent-outdated", "iscsi-initiator-missing", "iscsi-service-stuck"],
}


def report(path):
    """Runs `marsscan report --format json --fail-on critical PATH`; returns the parsed JSON."""
    env = dict(os.environ, LANG="C.UTF-8")
    p = subprocess.run([BINARY, "report", "--format", "json", "--fail-on", "critical", path],
                       capture_output=True, timeout=120, env=env)
    err = p.stderr.decode("utf-8", "replace")
    # 0: nothing critical; 1: a critical finding. Anything else is a usage or input error.
    if p.returncode not in (0, 1):
        raise AssertionError(f"exit {p.returncode} for {path}; stderr: {err}")
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        raise AssertionError(f"report for {path} is not JSON ({e}); stderr: {err}")
    if doc.get("schema") != "marsscan.report/1":
        raise AssertionError(f"unexpected schema {doc.get('schema')!r}")
    return doc


class CausalFixtures(unittest.TestCase):
    def test_binary_exists(self):
        self.assertTrue(BINARY, "MARSSCAN is not set")
        self.assertTrue(os.path.isfile(BINARY) and os.access(BINARY, os.X_OK), f"no binary at {BINARY!r}")

    def test_fixture_set_is_complete(self):
        for rule, causes in EXPECTED.items():
            for cause in causes:
                path = os.path.join(CAUSES, rule, cause + ".errlog")
                self.assertTrue(os.path.isfile(path), f"missing fixture {path}")
        # and no stray fixture for a cause that does not exist
        for rule in sorted(os.listdir(CAUSES)):
            self.assertIn(rule, EXPECTED, f"fixture folder for unknown rule {rule}")
            for name in os.listdir(os.path.join(CAUSES, rule)):
                self.assertIn(name[:-len(".errlog")], EXPECTED[rule], f"fixture {rule}/{name} names no cause")

    def test_each_fixture_ranks_its_cause_first(self):
        self.assertTrue(BINARY and os.path.isfile(BINARY), f"no marsscan binary at {BINARY!r}")
        for rule, causes in EXPECTED.items():
            for cause in causes:
                path = os.path.join(CAUSES, rule, cause + ".errlog")
                with self.subTest(rule=rule, cause=cause):
                    doc = report(path)
                    found = [f for f in doc["findings"] if f["rule"] == rule]
                    self.assertTrue(found, f"{rule} not reported for {path}; findings: "
                                           f"{[f['rule'] for f in doc['findings']]}")
                    ranked = found[0]["causes"]
                    # every documented cause is listed, the fixture's one first and evidenced
                    self.assertEqual(sorted(c["id"] for c in ranked), sorted(causes))
                    self.assertEqual(ranked[0]["id"], cause,
                                     f"first cause {ranked[0]['id']} ({ranked[0]['status']})")
                    self.assertEqual(ranked[0]["status"], "evidenced")
                    # and only that one: the fixture evidences a single cause
                    others = [c["id"] for c in ranked[1:] if c["status"] == "evidenced"]
                    self.assertEqual(others, [], f"other causes evidenced too: {others}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
