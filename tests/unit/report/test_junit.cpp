#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "report/html_escape.h"
#include "report/render.h"
#include "test_formats_fixture.h"

using namespace marsscan;
using namespace formats_fixture;

namespace {

std::string junit_of(const Fixture& fx, report::RenderOptions o = {}) {
  std::ostringstream out;
  report::render_junit(fx.report, fx.db, o, out);
  return out.str();
}

pugi::xml_node child_named(pugi::xml_node parent, const char* tag, const std::string& name) {
  for (auto n : parent.children(tag))
    if (name == n.attribute("name").value()) return n;
  return {};
}

}  // namespace

TEST_CASE("junit: one suite per input, one case per rule, failures for fired rules", "[junit]") {
  auto fx = make();
  const std::string xml = junit_of(*fx);
  pugi::xml_document doc;
  auto res = doc.load_string(xml.c_str());
  INFO(res.description());
  REQUIRE(res);
  auto root = doc.child("testsuites");
  REQUIRE(root);
  CHECK(std::distance(root.children("testsuite").begin(), root.children("testsuite").end()) == 2);

  auto s1 = child_named(root, "testsuite", "bundle.zip");
  REQUIRE(s1);
  // 5 rules + input-errors; MARS-407, MARS-34513 and the file warning fired.
  CHECK(s1.attribute("tests").as_int() == 6);
  CHECK(s1.attribute("failures").as_int() == 3);
  CHECK(s1.attribute("errors").as_int() == 1);
  CHECK(std::string(s1.attribute("time").value()) == "0");
  CHECK(!s1.attribute("timestamp"));
  size_t cases = 0, failures = 0;
  for (auto tc : s1.children("testcase")) {
    ++cases;
    CHECK(std::string(tc.attribute("classname").value()) == "marsscan.bundle.zip");
    if (tc.child("failure")) ++failures;
  }
  CHECK(cases == 6);
  CHECK(failures == 3);

  auto c345 = child_named(s1, "testcase", "MARS-34513 Invalid vault credentials provided");
  REQUIRE(c345);
  auto fail = c345.child("failure");
  REQUIRE(fail);
  CHECK(std::string(fail.attribute("type").value()) == "error");
  CHECK(std::string(fail.attribute("message").value()) ==
        "Invalid vault credentials provided (2 occurrences); likely cause: A proxy blocks the agent");
  const std::string body = fail.text().get();
  CHECK(body.find("bundle.zip!Temp/CBEngineCurr.errlog:57") != std::string::npos);
  CHECK(body.find("1. [evidenced] A proxy blocks the agent (proxy-blocking)") != std::string::npos);
  CHECK(body.find("2. [possible] The vault credentials file has expired (credentials-expired)") != std::string::npos);
  CHECK(body.find("action: Download a fresh vault credentials file") != std::string::npos);
  CHECK(body.find("Caused by: MARS-407") != std::string::npos);
  CHECK(body.find("= 0x80070005 (E_ACCESSDENIED: Access is denied.)") != std::string::npos);

  auto warn = child_named(s1, "testcase", "MARS-FILE-0x80070005 Access denied on a file");
  REQUIRE(warn.child("failure"));
  CHECK(std::string(warn.child("failure").attribute("type").value()) == "warning");
  // Clean rules pass: no child at all.
  auto clean = child_named(s1, "testcase", "MARS-CRITICAL-INCONSISTENCY Critical inconsistency detected");
  REQUIRE(clean);
  CHECK(!clean.first_child());

  auto errs = child_named(s1, "testcase", "input-errors");
  REQUIRE(errs.child("error"));
  CHECK(std::string(errs.child("error").text().get()).find("bundle.zip!broken.cab: truncated archive member") !=
        std::string::npos);

  auto s2 = child_named(root, "testsuite", "case 2/CBEngine#1.errlog");
  REQUIRE(s2);
  CHECK(s2.attribute("tests").as_int() == 6);
  CHECK(s2.attribute("failures").as_int() == 1);
  CHECK(s2.attribute("errors").as_int() == 1);
  CHECK(root.attribute("tests").as_int() == 12);
  CHECK(root.attribute("failures").as_int() == 4);
  CHECK(root.attribute("errors").as_int() == 2);
}

TEST_CASE("junit: hostile text is escaped and invalid XML characters stripped", "[junit]") {
  auto fx = make();
  const std::string xml = junit_of(*fx);
  // No raw control characters (other than \n) anywhere in the document.
  size_t bad = 0;
  for (unsigned char c : xml) bad += (c < 0x20 && c != '\n') || c == 0x7F;
  CHECK(bad == 0);
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;") != std::string::npos);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  auto s1 = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "bundle.zip");
  auto c345 = s1.find_child_by_attribute("testcase", "name", "MARS-34513 Invalid vault credentials provided");
  const std::string body = c345.child("failure").text().get();
  // Parsed back, the line reads as the original text minus the forbidden characters.
  CHECK(body.find("FATAL <script>alert(\"x\")</script> & 'q' [31mend \xEF\xBF\xBD|pipe`tick") != std::string::npos);

  // xmllint, when present, is the strict XML 1.0 well-formedness check.
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) {
    const std::string path = temp_path("junit.xml");
    std::ofstream(path, std::ios::binary) << xml;
    CHECK(std::system(("xmllint --noout " + path).c_str()) == 0);
    std::remove(path.c_str());
  } else {
    WARN("xmllint not installed: strict well-formedness check skipped");
  }
}

TEST_CASE("junit: a clean report passes and is deterministic, zh-CN titles", "[junit]") {
  auto fx = make();
  fx->report.findings.clear();
  fx->report.errors.clear();
  const std::string xml = junit_of(*fx);
  CHECK(xml == junit_of(*fx));
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  CHECK(doc.child("testsuites").attribute("tests").as_int() == 10);
  CHECK(doc.child("testsuites").attribute("failures").as_int() == 0);
  CHECK(xml.find("<failure") == std::string::npos);
  CHECK(xml.find("input-errors") == std::string::npos);

  report::RenderOptions zh;
  zh.chinese = true;
  CHECK(junit_of(*fx, zh).find("name=\"MARS-34513 提供的保管库凭据无效\"") != std::string::npos);
}

TEST_CASE("junit: errors of an unknown input get a suite of their own", "[junit]") {
  auto fx = make();
  fx->report.errors.push_back({"elsewhere.log", "cannot open: No such file or directory"});
  pugi::xml_document doc;
  REQUIRE(doc.load_string(junit_of(*fx).c_str()));
  auto s = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "marsscan");
  REQUIRE(s);
  CHECK(s.attribute("tests").as_int() == 1);
  CHECK(s.attribute("errors").as_int() == 1);
  CHECK(std::string(s.child("testcase").child("error").text().get()) ==
        "elsewhere.log: cannot open: No such file or directory\n");
}

TEST_CASE("markup escaping: entities, XML-forbidden characters, invalid UTF-8", "[junit][html]") {
  using report::escape_markup;
  CHECK(escape_markup("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(escape_markup(std::string("x\x01y\x1f\x7fz\t\n\r", 10)) == "xyz\t\n\r");
  CHECK(escape_markup(std::string("nul\0end", 7)) == "nulend");
  CHECK(escape_markup("bad\xff") == "bad\xEF\xBF\xBD");
  CHECK(escape_markup("\xEF\xBF\xBE\xEF\xBF\xBF ok") == " ok");  // U+FFFE, U+FFFF
  CHECK(escape_markup("中文 ✓") == "中文 ✓");
}
