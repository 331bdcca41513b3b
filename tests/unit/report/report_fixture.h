// A small analysed report for the text/json/explain tests, built through the real Analyzer
// from the hand-made database of the analysis tests.
#pragma once
#include "../analysis/analysis_fixture.h"

namespace fixture {

struct Built {
  match::PatternDb db = make_db();
  analysis::Report report;
};

inline void build_report(Built& b) {
  analysis::Analyzer an(b.db);
  Feed feed{an};
  an.begin_input("bundle.zip", 0);
  const std::string f = "bundle.zip!Temp/CBEngineCurr.errlog";
  feed.line(f, kGuid, kT0, "Backup Progress: Prebackup started.", {kMarkStart}, 10);
  feed.line(f, kGuid, kT0 + kMin, "Backup Progress: Data transfer started.", {kMarkPhase}, 11);
  feed.line(f, kGuid, kT0 + 2 * kMin, "vault credential file has expired", {kEvExpired}, 12);
  feed.line(f, kGuid, kT0 + 3 * kMin, "Failed: Hr: = [0x80070005] Invalid vault credentials (ID: 34513)",
            {kTrigA, kMarkFailure}, 13);
  feed.line(f, kGuid, kT0 + 4 * kMin, "(407) Proxy Authentication Required", {kTrigB}, 14);
  for (int i = 0; i < 7; ++i)
    feed.line("bundle.zip!LastBackupFailedFiles.txt", "", -1,
              "D:\\data\\f" + std::to_string(i) + ".doc 0x80070005 \x1b[31m\xff", {kTrigWarn},
              static_cast<uint64_t>(i + 1));
  an.add_error({"bundle.zip!Windows/System.evtx", "corrupt chunk at offset 65536"});
  an.count(3, 1234, 56789);
  b.report = an.finish();
}

}  // namespace fixture
