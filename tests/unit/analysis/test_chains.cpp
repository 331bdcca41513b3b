#include <catch2/catch.hpp>

#include "analysis_fixture.h"

using namespace fixture;

TEST_CASE("a rule named by a cause's evidence_rules forms a causal chain, root first") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("w.txt", "", kT0 - 5 * kMin, "0x80070005 on D:\\data", {kTrigWarn});
  feed.line("a.errlog", kGuid, kT0, "(ID: 34513)", {kTrigA});
  feed.line("a.errlog", kGuid, kT0 + kMin, "(407) Proxy Authentication Required", {kTrigB});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 3);
  // MARS-407 causes MARS-34513: it comes first although it was seen later; the warning is a
  // root of nothing, so after it; the caused finding last.
  CHECK(rep.findings[0].rule->id == "MARS-407");
  CHECK(rep.findings[1].rule->id == "MARS-FILE-0x80070005");
  CHECK(rep.findings[2].rule->id == "MARS-34513");
  CHECK(rep.findings[0].causes_of == std::vector<std::string>{"MARS-34513"});
  CHECK(rep.findings[0].caused_by.empty());
  CHECK(rep.findings[2].caused_by == std::vector<std::string>{"MARS-407"});
  const auto& causes = rep.findings[2].causes;
  REQUIRE(causes[0].cause->id == "proxy-blocking");
  CHECK(causes[0].evidenced);
  REQUIRE(causes[0].evidence.size() == 1);
  CHECK(causes[0].evidence[0].via == "rule:MARS-407");
  CHECK(causes[0].evidence[0].occurrence.text == "(407) Proxy Authentication Required");
  CHECK(causes[0].score >= 300);  // same task GUID
  CHECK(rep.summary.findings.at(match::Severity::Error) == 2);
  CHECK(rep.summary.findings.at(match::Severity::Warning) == 1);
  CHECK(rep.summary.findings.at(match::Severity::Critical) == 0);
}

TEST_CASE("no chain across cases, and findings are grouped by case in input order") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("one", 0);
  feed.line("a.errlog", "", kT0, "(ID: 34513)", {kTrigA});
  an.begin_input("two", 1);
  feed.line("a.errlog", "", kT0, "(407)", {kTrigB});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 2);
  CHECK(rep.findings[0].input == "one");
  CHECK(rep.findings[0].caused_by.empty());
  CHECK(rep.findings[1].causes_of.empty());
}

TEST_CASE("counts are exact while quoted occurrences are capped") {
  auto db = make_db();
  analysis::AnalyzerOptions opt;
  opt.max_occurrences = 3;
  opt.max_text = 12;
  analysis::Analyzer an(db, opt);
  Feed feed{an};
  an.begin_input("case", 0);
  for (int i = 0; i < 10; ++i)
    feed.line("a.errlog", "", kT0 + i * kMin, "(ID: 34513) number " + std::to_string(i), {kTrigA, kTrigA});
  feed.line("a.errlog", "", -1, "(ID: 34513) no time", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 1);
  const auto& f = rep.findings[0];
  CHECK(f.count == 11);
  REQUIRE(f.occurrences.size() == 3);
  CHECK(f.occurrences[0].text == "(ID: 34513) ");
  CHECK(f.occurrences[2].line == 3);
  CHECK(f.first_seen == kT0);
  CHECK(f.last_seen == kT0 + 9 * kMin);
}

TEST_CASE("merged analyzers give the same report as one, whatever the order") {
  auto db = make_db();
  auto run_case = [&](analysis::Analyzer& an, int which) {
    Feed feed{an};
    if (which == 0) {
      an.begin_input("first", 0);
      feed.line("a.errlog", "", kT0, "(ID: 34513)", {kTrigA});
      an.count(2, 100, 5000);
    } else {
      an.begin_input("second", 1);
      feed.line("b.errlog", "", kT0 - kMin, "(407)", {kTrigB});
      an.add_error({"second!bad.evtx", "corrupt chunk"});
      an.count(1, 10, 500);
    }
  };
  analysis::Analyzer one(db);
  run_case(one, 0);
  run_case(one, 1);
  auto a = one.finish();

  analysis::Analyzer p1(db), p2(db), total(db);
  run_case(p1, 1);
  run_case(p2, 0);
  total.merge(std::move(p1));
  total.merge(std::move(p2));
  auto b = total.finish();
  CHECK(a.inputs == b.inputs);
  CHECK(b.inputs == std::vector<std::string>{"first", "second"});
  REQUIRE(a.findings.size() == b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].rule->id == b.findings[i].rule->id);
    CHECK(a.findings[i].input == b.findings[i].input);
  }
  CHECK(b.summary.inputs == 2);
  CHECK(b.summary.files == 3);
  CHECK(b.summary.records == 110);
  CHECK(b.summary.bytes == 5500);
  REQUIRE(b.errors.size() == 1);
  CHECK(b.errors[0].source == "second!bad.evtx");
}
