#include <catch2/catch.hpp>
#include <simdjson.h>

#include <sstream>
#include <vector>

#include "report/render.h"
#include "test_formats_fixture.h"

using namespace marsscan;
using namespace formats_fixture;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Records what had been written each time the stream was flushed.
class FlushLog : public std::stringbuf {
 public:
  std::vector<std::string> at_flush;
 protected:
  int sync() override {
    at_flush.push_back(str());
    return 0;
  }
};

}  // namespace

TEST_CASE("ndjson: one finding per line, then a summary line", "[ndjson]") {
  auto fx = make();
  std::ostringstream out;
  report::render_ndjson(fx->report, {}, out);
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == fx->report.findings.size() + 1);
  simdjson::dom::parser parser;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    simdjson::dom::element e = parser.parse(lines[i]);
    CHECK(std::string_view(e["schema"]) == "marsscan.finding/1");
    CHECK(std::string_view(e["rule"]) == fx->report.findings[i].rule->id);
    CHECK(uint64_t(e["count"]) == fx->report.findings[i].count);
    CHECK(lines[i].find('\n') == std::string::npos);
  }
  simdjson::dom::element s = parser.parse(lines.back());
  CHECK(std::string_view(s["type"]) == "summary");
  CHECK(uint64_t(s["records"]) == 12345);
  CHECK(uint64_t(s["findings"]["error"]) == 3);
  CHECK(uint64_t(s["findings"]["warning"]) == 1);
  CHECK(uint64_t(s["total"]) == 4);
  CHECK(simdjson::dom::array(s["errors"]).size() == 2);
  // The hostile line stays on its line, escaped.
  CHECK(lines[1].find("\\u0007") != std::string::npos);
}

TEST_CASE("ndjson: a finding line has exactly the JSON report's finding fields", "[ndjson]") {
  auto fx = make();
  for (bool zh : {false, true}) {
    report::RenderOptions o;
    o.chinese = zh;
    std::ostringstream nd, js;
    report::render_ndjson(fx->report, o, nd);
    report::render_json(fx->report, o, js);
    const auto lines = lines_of(nd.str());
    simdjson::dom::parser jp;
    simdjson::dom::array findings = jp.parse(js.str())["findings"];
    REQUIRE(findings.size() + 1 == lines.size());
    size_t i = 0;
    simdjson::dom::parser lp;
    for (simdjson::dom::element f : findings) {
      // Both sides re-serialized by simdjson, so only content and key order are compared.
      std::string expected = simdjson::minify(f);
      expected.insert(1, "\"schema\":\"marsscan.finding/1\",");
      simdjson::dom::element line = lp.parse(lines[i++]);
      CHECK(simdjson::minify(line) == expected);
    }
  }
}

TEST_CASE("ndjson: flushed after every line", "[ndjson]") {
  auto fx = make();
  FlushLog buf;
  std::ostream out(&buf);
  report::render_ndjson(fx->report, {}, out);
  // At least one flush per line, and each flush lands on a line boundary.
  REQUIRE(buf.at_flush.size() >= fx->report.findings.size() + 1);
  std::vector<size_t> seen;
  for (const auto& s : buf.at_flush) {
    CHECK((s.empty() || s.back() == '\n'));
    seen.push_back(count_of(s, "\n"));
  }
  for (size_t n = 1; n <= fx->report.findings.size() + 1; ++n)
    CHECK(std::find(seen.begin(), seen.end(), n) != seen.end());
}

TEST_CASE("ndjson: an empty report is a single summary line", "[ndjson]") {
  analysis::Report empty;
  std::ostringstream out;
  report::render_ndjson(empty, {}, out);
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("{\"type\":\"summary\"", 0) == 0);
}
