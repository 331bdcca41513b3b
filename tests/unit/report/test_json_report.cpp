#include <catch2/catch.hpp>

#include <simdjson.h>
#include <sstream>

#include "report/render.h"
#include "report_fixture.h"

using namespace fixture;

namespace {

std::string json_of(const analysis::Report& r, bool zh) {
  report::RenderOptions o;
  o.chinese = zh;
  o.tool_version = "0.1.0";
  std::ostringstream s;
  report::render_json(r, o, s);
  return s.str();
}

}  // namespace

TEST_CASE("render_json is deterministic and valid JSON with the documented fields") {
  Built b;
  build_report(b);
  const std::string a = json_of(b.report, false);
  CHECK(a == json_of(b.report, false));
  Built b2;
  build_report(b2);
  CHECK(a == json_of(b2.report, false));  // same input, a fresh run: the same bytes

  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(a).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["schema"]) == "marsscan.report/1");
  CHECK(std::string_view(doc["tool"]["name"]) == "marsscan");
  CHECK(uint64_t(doc["summary"]["records"]) == 1234);
  CHECK(uint64_t(doc["summary"]["bytes"]) == 56789);
  CHECK(uint64_t(doc["summary"]["errors"]) == 1);
  CHECK(uint64_t(doc["summary"]["findings"]["error"]) == 2);
  CHECK(uint64_t(doc["summary"]["findings"]["warning"]) == 1);
  CHECK(uint64_t(doc["summary"]["findings"]["critical"]) == 0);
  CHECK(std::string_view(doc["errors"].at(0)["source"]) == "bundle.zip!Windows/System.evtx");

  simdjson::dom::array findings = doc["findings"];
  REQUIRE(findings.size() == 3);
  auto f0 = findings.at(0);
  CHECK(std::string_view(f0["rule"]) == "MARS-407");  // the root cause comes first
  CHECK(std::string_view(f0["causes_of"].at(0)) == "MARS-34513");
  auto a_ = findings.at(2);  // caused by another: after the roots
  CHECK(std::string_view(a_["rule"]) == "MARS-34513");
  CHECK(std::string_view(a_["severity"]) == "error");
  CHECK(std::string_view(a_["caused_by"].at(0)) == "MARS-407");
  CHECK(std::string_view(a_["first_seen"]) == "2019-08-05T10:16:20.000Z");
  auto occ = a_["occurrences"].at(0);
  CHECK(std::string_view(occ["source"]) == "bundle.zip!Temp/CBEngineCurr.errlog");
  CHECK(uint64_t(occ["line"]) == 13);
  CHECK(std::string_view(occ["task"]) == kGuid);
  CHECK(std::string_view(occ["decoded"].at(0)) == "0x80070005 (E_ACCESSDENIED: Access is denied.)");
  auto c0 = a_["causes"].at(0);
  CHECK(std::string_view(c0["status"]) == "evidenced");
  CHECK(std::string_view(a_["causes"].at(3)["status"]) == "possible");
  CHECK(std::string_view(a_["jobs"].at(0)) == kGuid);
  CHECK(std::string_view(a_["references"].at(0)["document"]) == "backup-azure-mars-troubleshoot");
  CHECK(std::string_view(a_["confidence"]) == "high");

  // Actions: evidenced causes first (best first), then possible ones, then general; no repeats.
  std::vector<std::string> actions;
  for (auto x : simdjson::dom::array(a_["actions"])) actions.emplace_back(std::string_view(x));
  CHECK(actions == std::vector<std::string>{"Download fresh vault credentials.", "Configure the proxy.",
                                            "Allow downloads to Temp.", "Fix the clock.",
                                            "Retry the registration."});

  auto warn = findings.at(1);
  CHECK(warn["first_seen"].is_null());
  CHECK(warn["occurrences"].at(0)["task"].is_null());
  // A hostile line: the escape is escaped, the invalid byte became U+FFFD.
  CHECK(std::string_view(warn["occurrences"].at(0)["text"]) ==
        "D:\\data\\f0.doc 0x80070005 \x1b[31m\xEF\xBF\xBD");
  CHECK(a.find("\\u001b[31m") != std::string::npos);

  simdjson::dom::array jobs = doc["jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(std::string_view(jobs.at(0)["outcome"]) == "failed");
  CHECK(std::string_view(jobs.at(0)["phases"].at(1)["name"]) == "Data transfer");
  CHECK(jobs.at(0)["end"].get_string().error() == simdjson::SUCCESS);
}

TEST_CASE("render_json in zh-CN uses the Chinese texts but the same ids") {
  Built b;
  build_report(b);
  const std::string zh = json_of(b.report, true);
  CHECK(zh.find("\"title\": \"提供的保管库凭据无效\"") != std::string::npos);
  CHECK(zh.find("\"重新下载保管库凭据。\"") != std::string::npos);
  CHECK(zh.find("0x80070005 (E_ACCESSDENIED: 拒绝访问。)") != std::string::npos);
  CHECK(zh.find("\"rule\": \"MARS-34513\"") != std::string::npos);
  CHECK(zh.find("\"severity\": \"error\"") != std::string::npos);
  CHECK(zh.find("\"status\": \"evidenced\"") != std::string::npos);
}
