#include <catch2/catch.hpp>

#include "analysis_fixture.h"

using namespace fixture;

namespace {

std::vector<std::string> cause_ids(const analysis::Finding& f) {
  std::vector<std::string> out;
  for (const auto& c : f.causes) out.push_back(c.cause->id + (c.evidenced ? "+" : ""));
  return out;
}

}  // namespace

TEST_CASE("same-GUID evidence beats same-file beats same-case") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("bundle.zip", 0);
  // Evidence in reverse strength order, so arrival order cannot explain the ranking.
  feed.line("other.errlog", "", kT0 - kMin, "temp download failed", {kEvTemp});
  feed.line("CBEngine.errlog", "", kT0 - kMin, "clock skew detected", {kEvClock});
  feed.line("CBEngine.errlog", kGuid, kT0 - kMin, "credentials expired", {kEvExpired});
  feed.line("CBEngine.errlog", kGuid, kT0, "Invalid vault credentials provided (ID: 34513)", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 1);
  const auto& f = rep.findings[0];
  CHECK(cause_ids(f) == std::vector<std::string>{"credentials-expired+", "clock-skew+",
                                                 "temp-download-blocked+", "proxy-blocking"});
  CHECK(f.causes[0].score >= 300);
  CHECK(f.causes[0].score <= 360);
  CHECK((f.causes[1].score >= 200 && f.causes[1].score < 300));
  CHECK((f.causes[2].score >= 100 && f.causes[2].score < 200));
  CHECK(f.causes[3].score == 0);
  CHECK(f.causes[3].evidence.empty());
  REQUIRE(f.causes[0].evidence.size() == 1);
  CHECK(f.causes[0].evidence[0].occurrence.text == "credentials expired");
  CHECK(f.causes[0].evidence[0].via == "patterns/test.yaml:2");
}

TEST_CASE("earlier and closer evidence beats later or farther evidence") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("a.errlog", "", kT0 + kMin, "credentials expired (after)", {kEvExpired});
  feed.line("a.errlog", "", kT0 - 3 * 24 * 60 * kMin, "temp blocked (3 days before)", {kEvTemp});
  feed.line("a.errlog", "", kT0 - kMin, "clock skew (1 min before)", {kEvClock});
  feed.line("a.errlog", "", kT0, "(ID: 34513)", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 1);
  CHECK(cause_ids(rep.findings[0]) ==
        std::vector<std::string>{"clock-skew+", "credentials-expired+", "temp-download-blocked+",
                                 "proxy-blocking"});
  const auto& c = rep.findings[0].causes;
  // A minute before beats a minute after; both beat three days before (closeness is on a
  // log scale, so days apart are worth little).
  CHECK(c[0].score > c[1].score);
  CHECK(c[1].score > c[2].score);
  CHECK(c[1].score > 200);  // later evidence still gets a little for closeness
  CHECK(c[2].score > 200);
}

TEST_CASE("causes without evidence are possible, in documented order") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("case", 0);
  feed.line("a.errlog", "", kT0, "(ID: 34513)", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 1);
  CHECK(cause_ids(rep.findings[0]) == std::vector<std::string>{"credentials-expired",
                                                               "temp-download-blocked",
                                                               "proxy-blocking", "clock-skew"});
}

TEST_CASE("evidence alone makes no finding, and evidence of another case does not count") {
  auto db = make_db();
  analysis::Analyzer an(db);
  Feed feed{an};
  an.begin_input("first", 0);
  feed.line("a.errlog", "", kT0, "credentials expired", {kEvExpired});
  an.begin_input("second", 1);
  feed.line("a.errlog", "", kT0 + kMin, "(ID: 34513)", {kTrigA});
  auto rep = an.finish();
  REQUIRE(rep.findings.size() == 1);
  CHECK(rep.findings[0].input == "second");
  for (const auto& c : rep.findings[0].causes) CHECK_FALSE(c.evidenced);
  CHECK(rep.inputs == std::vector<std::string>{"first", "second"});
}

TEST_CASE("evidence is capped per cause, best first, and a line counts once per cause") {
  auto db = make_db();
  analysis::AnalyzerOptions opt;
  opt.max_evidence = 2;
  analysis::Analyzer an(db, opt);
  Feed feed{an};
  an.begin_input("case", 0);
  for (int i = 0; i < 10; ++i)
    feed.line("a.errlog", "", kT0 - (10 - i) * kMin, "expired " + std::to_string(i),
              {kEvExpired, kEvExpired});
  feed.line("a.errlog", "", kT0, "(ID: 34513)", {kTrigA});
  auto rep = an.finish();
  const auto& c = rep.findings.at(0).causes.at(0);
  CHECK(c.cause->id == "credentials-expired");
  REQUIRE(c.evidence.size() == 2);
  CHECK(c.evidence[0].occurrence.text == "expired 9");  // the closest before the error
  CHECK(c.evidence[1].occurrence.text == "expired 8");
}
