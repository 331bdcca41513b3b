#include <catch2/catch.hpp>

#include "analysis/hresult.h"
#include "analysis_fixture.h"

using namespace fixture;

TEST_CASE("jobs from markers: a succeeded and a failed job with its phase and failure") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  const std::string f = "CBEngineCurr.errlog";
  feed.line(f, kGuid2, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line(f, kGuid2, kT0 + kMin, "Backup Progress: Data transfer started.", {kMarkPhase});
  feed.line(f, kGuid2, kT0 + 2 * kMin, "Last completed state for Ds Id 1 : 6", {kMarkState});
  feed.line(f, kGuid2, kT0 + 3 * kMin, "Backup Progress: Succeeded", {kMarkSuccess});
  feed.line(f, kGuid2, kT0 + 4 * kMin, "Backup Progress: UnInitialize Storage finsihed.", {kMarkEnd});

  feed.line(f, kGuid, kT0 + 10 * kMin, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line(f, kGuid, kT0 + 11 * kMin, "Backup Progress: Data transfer started.", {kMarkPhase});
  feed.line(f, kGuid, kT0 + 12 * kMin, "Failed: Hr: = [0x80070005] Backup Progress: Failed", {kMarkFailure});
  feed.line(f, kGuid, kT0 + 12 * kMin, "Invalid vault credentials (ID: 34513)", {kTrigA});
  // A third GUID only seen on a finding: a reference on the finding, not a job.
  feed.line(f, "AAAAAAAA-CCE2-42E6-8883-7AEB9A1C5CB6", kT0 + 20 * kMin, "(ID: 34513) again", {kTrigA});
  auto rep = an.finish();

  REQUIRE(rep.jobs.size() == 2);
  const auto& failed = rep.jobs[0];  // failed first, though it started later
  CHECK(failed.id == kGuid);
  CHECK(failed.outcome == "failed");
  CHECK(failed.type == "backup");
  CHECK(failed.source == f);
  CHECK(failed.start == kT0 + 10 * kMin);
  REQUIRE(failed.phases.size() == 2);
  CHECK(failed.phases.back().name == "Data transfer");  // the phase it failed in
  CHECK(failed.failure ==
        "0x80070005 (E_ACCESSDENIED: Access is denied.): Failed: Hr: = [0x80070005] Backup Progress: Failed");
  CHECK(failed.findings == std::vector<std::string>{"MARS-34513"});

  const auto& ok = rep.jobs[1];
  CHECK(ok.id == kGuid2);
  CHECK(ok.outcome == "succeeded");
  CHECK(ok.start == kT0);
  CHECK(ok.end == kT0 + 4 * kMin);
  REQUIRE(ok.phases.size() == 3);
  CHECK(ok.phases[0].name == "Prebackup");
  CHECK(ok.phases[0].time == kT0);
  CHECK(ok.phases[1].name == "Data transfer");
  CHECK(ok.phases[2].name == "UnInitialize Storage");
  CHECK(ok.last_state == "6");
  CHECK(ok.findings.empty());

  REQUIRE(rep.findings.size() == 1);
  CHECK(rep.findings[0].jobs ==
        std::vector<std::string>{kGuid, "AAAAAAAA-CCE2-42E6-8883-7AEB9A1C5CB6"});
}

TEST_CASE("a job with an error finding and no outcome marker fails, one without an end runs") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("c.errlog", kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid, kT0 + kMin, "(407) Proxy Authentication Required", {kTrigB});
  feed.line("c.errlog", kGuid2, kT0, "Backup Progress: Prebackup started.", {kMarkStart});
  feed.line("c.errlog", kGuid2, kT0 + kMin, "0x80070005 on a file", {kTrigWarn});  // warning only
  auto rep = an.finish();
  REQUIRE(rep.jobs.size() == 2);
  CHECK(rep.jobs[0].id == kGuid);
  CHECK(rep.jobs[0].outcome == "failed");
  CHECK(rep.jobs[0].failure == "MARS-407: (407) Proxy Authentication Required");
  CHECK(rep.jobs[1].outcome == "running");
  CHECK(rep.jobs[1].findings == std::vector<std::string>{"MARS-FILE-0x80070005"});
}

TEST_CASE("HRESULTs in quoted lines are decoded from the table or by facility") {
  auto db = make_db();
  auto d = analysis::decode_codes(db, "Failed: Hr: = [0x80070005] and 0x80070570, again 0x80070005");
  REQUIRE(d.en.size() == 2);
  CHECK(d.en[0] == "0x80070005 (E_ACCESSDENIED: Access is denied.)");
  CHECK(d.zh[0] == "0x80070005 (E_ACCESSDENIED: 拒绝访问。)");
  CHECK(d.en[1] == "0x80070570 (FACILITY_WIN32, Win32 error 1392)");
  CHECK(d.zh[1] == "0x80070570 (FACILITY_WIN32，Win32 错误 1392)");

  auto vss = analysis::decode_codes(db, "VSS error 0x800423F2.");
  REQUIRE(vss.en.size() == 1);
  CHECK(vss.en[0] == "0x800423F2 (FACILITY_ITF, code 0x23F2)");

  // Not codes: too long, glued to a word, success values, no digits.
  CHECK(analysis::decode_codes(db, "x 0x1FC070 y").en.empty());
  CHECK(analysis::decode_codes(db, "ab0x80070005").en.empty());
  CHECK(analysis::decode_codes(db, "0x80070005abc").en.empty());
  CHECK(analysis::decode_codes(db, "flags 0x00000001 0x").en.empty());

  // Occurrences carry the decoded codes in both languages.
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("w.txt", "", kT0, "D:\\x.doc 0x80070005", {kTrigWarn});
  auto rep = an.finish();
  const auto& o = rep.findings.at(0).occurrences.at(0);
  CHECK(o.decoded == std::vector<std::string>{"0x80070005 (E_ACCESSDENIED: Access is denied.)"});
  CHECK(o.decoded_in(true) == std::vector<std::string>{"0x80070005 (E_ACCESSDENIED: 拒绝访问。)"});
}
