#include <catch2/catch.hpp>

#include <sstream>

#include "report/render.h"
#include "test_formats_fixture.h"

using namespace marsscan;
using namespace formats_fixture;

namespace {

std::string md_of(const Fixture& fx, report::RenderOptions o = {}) {
  std::ostringstream out;
  report::render_markdown(fx.report, o, out);
  return out.str();
}

bool has(const std::string& s, const std::string& n) { return s.find(n) != std::string::npos; }

}  // namespace

TEST_CASE("markdown: summary table, findings root causes first, jobs, errors", "[markdown]") {
  auto fx = make();
  const std::string m = md_of(*fx);
  CHECK(m.rfind("## marsscan report\n", 0) == 0);
  CHECK(has(m, "| 2 | 7 | 12345 | 0 | 3 | 1 | 0 | 1 / 2 | 2 |"));
  const auto p407 = m.find("1. **MARS-407** Proxy authentication required (407)");
  const auto p345 = m.find("2. **MARS-34513** Invalid vault credentials provided — error, 2×");
  REQUIRE(p407 != std::string::npos);
  REQUIRE(p345 != std::string::npos);
  CHECK(p407 < p345);
  CHECK(has(m, "   - Caused by: MARS-407\n"));
  CHECK(has(m, "   - Most likely cause: A proxy blocks the agent (`proxy-blocking`, evidenced)"));
  CHECK(has(m, "     - Allow the Azure Backup URLs through the proxy\n"));
  CHECK(has(m, "`bundle.zip!Temp/CBEngineCurr.errlog:12`"));
  // Jobs: failed first, bold.
  CHECK(has(m, "| **failed** | `1fcf4a2b-0000-4000-8000-000000000001` |"));
  CHECK(m.find("**failed**") < m.find("| succeeded |"));
  CHECK(has(m, "- `bundle.zip!broken.cab`: truncated archive member"));
  CHECK(m.back() == '\n');
  CHECK(m.substr(m.size() - 2) != "\n\n");
}

TEST_CASE("markdown: evidence is capped at three lines and hostile text cannot break out", "[markdown]") {
  auto fx = make();
  auto& f = fx->report.findings[0];
  for (int i = 0; i < 5; ++i) f.occurrences.push_back(occ("x.log", 100 + i, kT0, "line " + std::to_string(i)));
  const std::string m = md_of(*fx);
  CHECK(has(m, "`bundle.zip!Temp/CBEngineCurr.errlog:40`"));
  CHECK(has(m, "`x.log:100`"));
  CHECK(!has(m, "`x.log:101`"));
  // The hostile line is inside a code span whose fence outlasts its backtick; no control
  // characters or raw line breaks survive.
  CHECK(has(m, "``Invalid vault credentials provided (ID: 34513) FATAL <script>alert(\"x\")</script> & 'q' [31mend \xEF\xBF\xBD|pipe`tick"));
  size_t bad = 0;
  for (unsigned char c : m) bad += (c < 0x20 && c != '\n') || c == 0x7F;
  CHECK(bad == 0);
  // Text outside code is escaped: a title with markup.
  fx->db.rules[2].title.en = "Access *denied* <b>|";
  CHECK(has(md_of(*fx), "Access \\*denied\\* \\<b\\>\\|"));
}

TEST_CASE("markdown: zh-CN and an empty report", "[markdown]") {
  auto fx = make();
  report::RenderOptions zh;
  zh.chinese = true;
  const std::string m = md_of(*fx, zh);
  CHECK(has(m, "## marsscan 分析报告"));
  CHECK(has(m, "**MARS-34513** 提供的保管库凭据无效"));
  CHECK(has(m, "最可能的原因：代理阻止了代理程序"));
  analysis::Report empty;
  std::ostringstream out;
  report::render_markdown(empty, {}, out);
  CHECK(has(out.str(), "No documented MARS error was found."));
  CHECK(!has(out.str(), "### Jobs"));
}
