#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/wait.h>

#include "report/render.h"
#include "test_formats_fixture.h"

using namespace marsscan;
using namespace formats_fixture;

namespace {

std::string html_of(const Fixture& fx, report::RenderOptions o = {}) {
  std::ostringstream out;
  report::render_html(fx.report, o, out);
  return out.str();
}

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("html: self-contained, nothing loaded from the network", "[html]") {
  auto fx = make();
  const std::string h = html_of(*fx);
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(has(h, "Content-Security-Policy"));
  CHECK(has(h, "default-src 'none'"));
  CHECK(!has(h, "<script src"));
  CHECK(!has(h, "<link"));
  CHECK(!has(h, "url("));
  CHECK(!has(h, "@import"));
  CHECK(!has(h, "<img"));
  CHECK(!has(h, "<iframe"));
  // The only absolute URLs a report may hold are texts (none in this fixture), never loads.
  CHECK(!has(h, "http://"));
  CHECK(!has(h, "https://"));
  CHECK(count_of(h, "<style>") == 1);
  CHECK(count_of(h, "<script>") == 1);
  CHECK(count_of(h, "</html>") == 1);
}

TEST_CASE("html: summary cards, timeline, jobs failed first, findings root causes first", "[html]") {
  auto fx = make();
  const std::string h = html_of(*fx);
  CHECK(has(h, "<section class=\"cards\">"));
  CHECK(has(h, "<div class=\"n\">4</div>"));         // findings
  CHECK(has(h, "<div class=\"n\">1 / 2</div>"));     // failed jobs
  CHECK(has(h, "<div class=\"n\">12345</div>"));     // records
  // Server-side SVG: one row label per finding, one dot per timed occurrence (5).
  CHECK(count_of(h, "<svg class=\"timeline\"") == 1);
  CHECK(count_of(h, "<circle ") == 5);
  CHECK(has(h, ">MARS-407 · bundle.zip</text>"));
  // Findings in report order: the root cause MARS-407 before MARS-34513.
  const auto p407 = h.find("<code>MARS-407</code>"), p345 = h.find("<code>MARS-34513</code>");
  REQUIRE(p407 != std::string::npos);
  REQUIRE(p345 != std::string::npos);
  CHECK(p407 < p345);
  CHECK(count_of(h, "<article class=\"finding\"") == 4);
  CHECK(has(h, "<details><summary>"));
  CHECK(has(h, "A proxy blocks the agent"));
  CHECK(has(h, "Allow the Azure Backup URLs through the proxy"));
  // Jobs: the failed one first even though the succeeded one started earlier in the list order.
  const auto pf = h.find("1fcf4a2b-0000-4000-8000-000000000001</code>"), po = h.find("2aaa0000-0000-4000-8000-000000000002</code>");
  REQUIRE(pf != std::string::npos);
  REQUIRE(po != std::string::npos);
  fx->report.jobs = {fx->report.jobs[1], fx->report.jobs[0]};
  const std::string h2 = html_of(*fx);
  CHECK(h2.find("1fcf4a2b-0000-4000-8000-000000000001</code>") < h2.find("2aaa0000-0000-4000-8000-000000000002</code>"));
  CHECK(has(h, "<tr class=\"failed\">"));
  CHECK(has(h, "truncated archive member"));
}

TEST_CASE("html: every text is escaped", "[html]") {
  auto fx = make();
  const std::string h = html_of(*fx);
  CHECK(!has(h, "<script>alert"));
  CHECK(has(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
  size_t bad = 0;
  for (unsigned char c : h) bad += (c < 0x20 && c != '\n') || c == 0x7F;
  CHECK(bad == 0);
  CHECK(count_of(h, "<script>") == 1);
  // An input name with markup cannot open an element.
  fx->report.inputs[0] = "<b>evil</b>\".zip";
  CHECK(!has(html_of(*fx), "<b>evil"));
}

TEST_CASE("html: both languages embedded, default from the options, a toggle button", "[html]") {
  auto fx = make();
  const std::string en = html_of(*fx);
  CHECK(has(en, "<html lang=\"en\" data-lang=\"en\">"));
  CHECK(has(en, "<span class=\"en\">Invalid vault credentials provided</span>"));
  CHECK(has(en, "<span class=\"zh\" lang=\"zh-CN\">提供的保管库凭据无效</span>"));
  CHECK(has(en, "保管库凭据文件已过期"));
  CHECK(has(en, "重新下载保管库凭据文件"));
  CHECK(has(en, "html[data-lang=en] .zh{display:none}"));
  CHECK(has(en, "id=\"lang\""));
  report::RenderOptions zh;
  zh.chinese = true;
  const std::string z = html_of(*fx, zh);
  CHECK(has(z, "<html lang=\"zh-CN\" data-lang=\"zh-CN\">"));
  // Same content, only the default language differs.
  CHECK(count_of(z, "<span class=\"zh\"") == count_of(en, "<span class=\"zh\""));
}

TEST_CASE("html: an empty report still renders a complete page", "[html]") {
  analysis::Report empty;
  std::ostringstream out;
  report::render_html(empty, {}, out);
  const std::string h = out.str();
  CHECK(has(h, "No documented MARS error was found."));
  CHECK(has(h, "No timestamps in the findings."));
  CHECK(has(h, "No backup jobs were recognised."));
  CHECK(has(h, "</html>"));
}

TEST_CASE("html: renders in headless chromium (DOM and screenshot)", "[html][browser]") {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    WARN("chromium is not installed: browser test skipped (add chromium to .ci/setup)");
    SUCCEED("skipped");
    return;
  }
  auto fx = make();
  const std::string html = temp_path("report.html"), png = temp_path("report.png");
  std::ofstream(html, std::ios::binary) << html_of(*fx);
  const std::string cmd = std::string("bash ") + MARSSCAN_SOURCE_DIR + "/tests/tools/html_screenshot.sh " + html + " " +
                          png + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string dom;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) dom.append(buf, n);
  const int status = pclose(p);
  INFO(dom.substr(0, 2000));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  // The DOM chromium built holds every finding's title and the chart, and the script ran
  // (the language button is un-hidden by it).
  for (const auto& f : fx->report.findings) CHECK(has(dom, f.rule->title.en));
  CHECK(has(dom, "<svg class=\"timeline\""));
  CHECK(has(dom, "<button id=\"lang\" type=\"button\">"));
  const std::string image = read_file(png);
  CHECK(image.size() > 40 * 1024);
  CHECK(image.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  if (!std::getenv("MARSSCAN_KEEP_SCREENSHOT")) {
    std::remove(html.c_str());
    std::remove(png.c_str());
    std::remove((png + ".dom.html").c_str());
  }
}
