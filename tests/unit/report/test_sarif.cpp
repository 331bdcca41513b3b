#include <catch2/catch.hpp>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "report/render.h"
#include "report/sarif_util.h"
#include "test_formats_fixture.h"

using namespace marsscan;
using namespace formats_fixture;

namespace {

std::string sarif_of(const Fixture& fx, report::RenderOptions o = {}) {
  if (o.tool_version.empty()) o.tool_version = "0.1.0";
  std::ostringstream out;
  report::render_sarif(fx.report, fx.db, o, out);
  return out.str();
}

std::string sv(simdjson::dom::element e) { return std::string(std::string_view(e)); }

// Runs the schema validator script on `doc`; returns its exit status.
int validate(const std::string& doc, const std::string& name) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << doc;
  const std::string cmd = std::string("python3 ") + MARSSCAN_SOURCE_DIR +
                          "/tests/tools/validate_json_schema.py " + MARSSCAN_SOURCE_DIR +
                          "/tests/fixtures/sarif/sarif-schema-2.1.0.json " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string output;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) output.append(buf, n);
  const int status = pclose(p);
  std::remove(path.c_str());
  INFO(output);
  REQUIRE(WIFEXITED(status));
  UNSCOPED_INFO("validator: " << output);
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("sarif: validates against the official SARIF 2.1.0 schema", "[sarif]") {
  auto fx = make();
  CHECK(validate(sarif_of(*fx), "valid.sarif") == 0);
  // Chinese messages and an empty report are valid too.
  report::RenderOptions zh;
  zh.chinese = true;
  CHECK(validate(sarif_of(*fx, zh), "valid-zh.sarif") == 0);
  analysis::Report empty;
  std::ostringstream out;
  report::render_sarif(empty, fx->db, {}, out);
  CHECK(validate(out.str(), "empty.sarif") == 0);
}

TEST_CASE("sarif: the schema check rejects a broken document", "[sarif]") {
  auto fx = make();
  std::string doc = sarif_of(*fx);
  // A level SARIF does not know, and a result without a message.
  std::string bad = doc;
  auto p = bad.find("\"level\": \"warning\"");
  REQUIRE(p != std::string::npos);
  bad.replace(p, 18, "\"level\": \"fatal\"");
  CHECK(validate(bad, "bad-level.sarif") == 1);
  std::string bad2 = doc;
  p = bad2.find("\"version\": \"2.1.0\"");
  REQUIRE(p != std::string::npos);
  bad2.replace(p, 18, "\"version\": \"2.0.0\"");
  CHECK(validate(bad2, "bad-version.sarif") == 1);
}

TEST_CASE("sarif: driver lists every rule with levels, names, help and zh-CN properties", "[sarif]") {
  auto fx = make();
  const std::string doc = sarif_of(*fx);
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(doc);
  CHECK(sv(root["$schema"]) == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(sv(root["version"]) == "2.1.0");
  auto driver = root["runs"].at(0)["tool"]["driver"];
  CHECK(sv(driver["name"]) == "marsscan");
  CHECK(sv(driver["version"]) == "0.1.0");
  CHECK(sv(driver["informationUri"]).rfind("https://", 0) == 0);
  simdjson::dom::array rules = driver["rules"];
  REQUIRE(rules.size() == fx->db.rules.size());
  auto r0 = rules.at(0);
  CHECK(sv(r0["id"]) == "MARS-34513");
  CHECK(sv(r0["name"]) == "InvalidVaultCredentialsProvided");
  CHECK(sv(r0["shortDescription"]["text"]) == "Invalid vault credentials provided");
  CHECK(sv(r0["fullDescription"]["text"]) == "The vault credentials file is invalid or expired.");
  CHECK(sv(r0["helpUri"]) == "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot");
  CHECK(sv(r0["properties"]["title-zh-CN"]) == "提供的保管库凭据无效");
  CHECK(sv(r0["properties"]["codes"].at(0)) == "34513");
  CHECK(sv(r0["properties"]["precision"]) == "high");
  const std::string help = sv(r0["help"]["text"]);
  CHECK(help.find("credentials-expired") != std::string::npos);
  CHECK(help.find("Download a fresh vault credentials file") != std::string::npos);
  CHECK(help.find("Retry the registration") != std::string::npos);
  CHECK(sv(r0["help"]["markdown"]).find("### Possible causes") != std::string::npos);
  // severity -> level: error, error, warning, critical -> error, note.
  CHECK(sv(rules.at(0)["defaultConfiguration"]["level"]) == "error");
  CHECK(sv(rules.at(2)["defaultConfiguration"]["level"]) == "warning");
  CHECK(sv(rules.at(3)["defaultConfiguration"]["level"]) == "error");
  CHECK(sv(rules.at(4)["defaultConfiguration"]["level"]) == "note");
  CHECK(sv(rules.at(1)["name"]) == "ProxyAuthenticationRequired407");
  // A rule without references has no helpUri (never an empty one).
  CHECK(rules.at(2)["helpUri"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("sarif: one result per finding with locations, evidence and properties", "[sarif]") {
  auto fx = make();
  const std::string doc = sarif_of(*fx);
  simdjson::dom::parser parser;
  simdjson::dom::element run = parser.parse(doc)["runs"].at(0);
  simdjson::dom::array results = run["results"];
  REQUIRE(results.size() == 4);

  auto r407 = results.at(0);
  CHECK(sv(r407["ruleId"]) == "MARS-407");
  CHECK(int64_t(r407["ruleIndex"]) == 1);
  CHECK(sv(r407["level"]) == "error");
  CHECK(sv(r407["message"]["text"]).find("(3 occurrences)") != std::string::npos);
  simdjson::dom::array locs = r407["locations"];
  REQUIRE(locs.size() == 2);
  CHECK(sv(locs.at(0)["physicalLocation"]["artifactLocation"]["uri"]) == "bundle.zip!Temp/CBEngineCurr.errlog");
  CHECK(int64_t(locs.at(0)["physicalLocation"]["region"]["startLine"]) == 12);
  CHECK(int64_t(locs.at(1)["physicalLocation"]["region"]["startLine"]) == 40);
  CHECK(sv(r407["properties"]["firstSeen"]) == "2024-05-01T13:16:29.206Z");
  CHECK(int64_t(r407["properties"]["count"]) == 3);
  CHECK(sv(r407["properties"]["causesOf"].at(0)) == "MARS-34513");

  auto r345 = results.at(1);
  CHECK(sv(r345["ruleId"]) == "MARS-34513");
  CHECK(int64_t(r345["ruleIndex"]) == 0);
  const std::string msg = sv(r345["message"]["text"]);
  CHECK(msg.find("Most likely cause: A proxy blocks the agent [proxy-blocking]") != std::string::npos);
  CHECK(msg.find("Caused by: MARS-407") != std::string::npos);
  simdjson::dom::array related = r345["relatedLocations"];
  REQUIRE(related.size() == 1);
  CHECK(sv(related.at(0)["message"]["text"]).find("proxy-blocking") != std::string::npos);
  CHECK(int64_t(related.at(0)["physicalLocation"]["region"]["startLine"]) == 12);
  simdjson::dom::array causes = r345["properties"]["causes"];
  REQUIRE(causes.size() == 2);
  CHECK(sv(causes.at(0)["id"]) == "proxy-blocking");
  CHECK(sv(causes.at(0)["status"]) == "evidenced");
  CHECK(sv(causes.at(1)["status"]) == "possible");
  CHECK(sv(r345["properties"]["causedBy"].at(0)) == "MARS-407");
  // The hostile line survives as text (JSON-escaped, invalid UTF-8 replaced).
  const std::string snippet = sv(r345["locations"].at(0)["physicalLocation"]["region"]["snippet"]["text"]);
  CHECK(snippet.find("<script>alert(\"x\")</script>") != std::string::npos);
  CHECK(snippet.find("\xEF\xBF\xBD") != std::string::npos);

  auto rev = results.at(2);
  CHECK(sv(rev["level"]) == "warning");
  auto evloc = rev["locations"].at(0);
  CHECK(sv(evloc["physicalLocation"]["artifactLocation"]["uri"]) == "bundle.zip!Logs/Application%20Log.evtx");
  CHECK(int64_t(evloc["physicalLocation"]["region"]["startLine"]) == 7);
  CHECK(bool(evloc["properties"]["event"]) == true);

  CHECK(sv(results.at(3)["locations"].at(0)["physicalLocation"]["artifactLocation"]["uri"]) ==
        "case%202/CBEngine%231.errlog");

  auto inv = run["invocations"].at(0);
  CHECK(bool(inv["executionSuccessful"]) == false);
  simdjson::dom::array notes = inv["toolExecutionNotifications"];
  REQUIRE(notes.size() == 2);
  CHECK(sv(notes.at(0)["level"]) == "error");
  CHECK(sv(notes.at(0)["message"]["text"]) == "bundle.zip!broken.cab: truncated archive member");
  CHECK(sv(notes.at(0)["locations"].at(0)["physicalLocation"]["artifactLocation"]["uri"]) == "bundle.zip!broken.cab");
}

TEST_CASE("sarif: fingerprints are stable across runs and ignore line numbers and times", "[sarif]") {
  auto fx = make();
  std::vector<std::string> prints;
  for (const auto& f : fx->report.findings) prints.push_back(report::finding_fingerprint(f));
  // Distinct findings (same rule in two inputs included) get distinct fingerprints.
  for (size_t i = 0; i < prints.size(); ++i) {
    CHECK(prints[i].size() == 16);
    for (size_t j = i + 1; j < prints.size(); ++j) CHECK(prints[i] != prints[j]);
  }
  auto moved = fx->report.findings[1];
  moved.occurrences[0].line += 100;
  moved.count += 5;
  moved.first_seen = *moved.first_seen + 1000;
  CHECK(report::finding_fingerprint(moved) == prints[1]);
  moved.occurrences[0].text += "x";
  CHECK(report::finding_fingerprint(moved) != prints[1]);
  // The whole document is byte-identical from run to run.
  CHECK(sarif_of(*fx) == sarif_of(*fx));
  CHECK(sarif_of(*fx).find("\"marsscanFinding/v1\": \"" + prints[0] + "\"") != std::string::npos);
}

TEST_CASE("sarif: artifact URIs are percent-encoded, keep '!' and use forward slashes", "[sarif]") {
  using report::artifact_uri;
  CHECK(artifact_uri("a.zip!Temp/x.errlog") == "a.zip!Temp/x.errlog");
  CHECK(artifact_uri("logs\\Temp\\CBEngineCurr.errlog") == "logs/Temp/CBEngineCurr.errlog");
  CHECK(artifact_uri("case 1/a#b?c%d.log") == "case%201/a%23b%3Fc%25d.log");
  CHECK(artifact_uri("C:\\Program Files\\x.log") == "file:///C:/Program%20Files/x.log");
  CHECK(artifact_uri("/var/log/a.zip!b.cab!c.log") == "file:///var/log/a.zip!b.cab!c.log");
  CHECK(artifact_uri("\\\\server\\share\\x.log") == "file://server/share/x.log");
  CHECK(artifact_uri("日志.log") == "%E6%97%A5%E5%BF%97.log");
  CHECK(artifact_uri("a:b.log") == "a%3Ab.log");   // never read as a scheme
  CHECK(artifact_uri("-") == "-");
}

TEST_CASE("sarif: rule names are PascalCase from the title, else the id", "[sarif]") {
  CHECK(report::pascal_case_name("Invalid vault credentials provided", "MARS-34513") ==
        "InvalidVaultCredentialsProvided");
  CHECK(report::pascal_case_name("", "MARS-0x1FC07") == "MARS0x1FC07");
  CHECK(report::pascal_case_name("403: download failed", "MARS-403") == "Mars403DownloadFailed");
  CHECK(report::pascal_case_name("提供的保管库凭据无效", "MARS-34513") == "MARS34513");
}
