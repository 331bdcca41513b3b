#include <catch2/catch.hpp>

#include <sstream>

#include "report/render.h"
#include "report_fixture.h"

using namespace fixture;

namespace {

std::string text_of(const analysis::Report& r, bool zh, bool color = false) {
  report::RenderOptions o;
  o.chinese = zh;
  o.color = color;
  o.max_evidence_lines = 5;
  std::ostringstream s;
  report::render_text(r, o, s);
  return s.str();
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("render_text in English: summary, findings root first, causes, actions, jobs, errors") {
  Built b;
  build_report(b);
  const std::string t = text_of(b.report, false);
  CHECK(has(t, "1 inputs, 3 files, 1234 records, 55.5 KiB; findings: 0 critical, 2 error, 1 warning, 0 note; 1 input errors"));
  const size_t root = t.find("Proxy authentication required  (MARS-407)");
  const size_t caused = t.find("[error] Invalid vault credentials provided  (MARS-34513)");
  REQUIRE(root != std::string::npos);
  REQUIRE(caused != std::string::npos);
  CHECK(root < caused);
  CHECK(has(t, "leads to: MARS-34513"));
  CHECK(has(t, "caused by: MARS-407"));
  CHECK(has(t, "bundle.zip!Temp/CBEngineCurr.errlog:13: Failed: Hr: = [0x80070005] Invalid vault "
               "credentials (ID: 34513) [0x80070005 (E_ACCESSDENIED: Access is denied.)]"));
  CHECK(has(t, "first seen: 2019-08-05T10:16:20.000Z"));
  CHECK(has(t, "jobs: " + std::string(kGuid)));
  CHECK(has(t, "1. [evidenced, score "));
  CHECK(has(t, "evidence: bundle.zip!Temp/CBEngineCurr.errlog:12: vault credential file has expired"));
  CHECK(has(t, "[possible] Clock does not match. (clock-skew)"));
  CHECK(has(t, "recommended actions:\n    1. Download fresh vault credentials.\n    2. Configure the proxy."));
  // Occurrences capped at max_evidence_lines, the rest counted.
  CHECK(has(t, "LastBackupFailedFiles.txt:5:"));
  CHECK_FALSE(has(t, "LastBackupFailedFiles.txt:6:"));
  CHECK(has(t, "… 2 more"));
  // Jobs: failed, with the phase and the failure.
  CHECK(has(t, std::string(kGuid) + "  backup  2019-08-05T10:13:20.000Z – "));
  CHECK(has(t, "failed in phase: Data transfer"));
  CHECK(has(t, "failure: 0x80070005 (E_ACCESSDENIED: Access is denied.): Failed: Hr: = [0x80070005]"));
  CHECK(has(t, "input errors:\n  bundle.zip!Windows/System.evtx: corrupt chunk at offset 65536"));
  // No colour unless asked, and no terminal escapes from the log text.
  CHECK_FALSE(has(t, "\x1b"));
  CHECK(has(t, "0x80070005 ?[31m\xEF\xBF\xBD"));
}

TEST_CASE("render_text in zh-CN: Chinese labels and texts") {
  Built b;
  build_report(b);
  const std::string t = text_of(b.report, true);
  CHECK(has(t, "[错误] 提供的保管库凭据无效  (MARS-34513)"));
  CHECK(has(t, "次数：1"));
  CHECK(has(t, "由以下问题导致：MARS-407"));
  CHECK(has(t, "可能原因："));
  CHECK(has(t, "[有证据, 得分 "));
  CHECK(has(t, "[可能] 日期和时间不匹配。 (clock-skew)"));
  CHECK(has(t, "建议操作：\n    1. 重新下载保管库凭据。"));
  CHECK(has(t, "[0x80070005 (E_ACCESSDENIED: 拒绝访问。)]"));
  CHECK(has(t, "失败阶段：Data transfer"));
  CHECK(has(t, "输入错误："));
  CHECK_FALSE(has(t, "recommended actions"));
}

TEST_CASE("render_text colours only when asked, and says when nothing was found") {
  Built b;
  build_report(b);
  CHECK(has(text_of(b.report, false, true), "\x1b[31m[error]\x1b[0m"));
  analysis::Report empty;
  const std::string t = text_of(empty, false);
  CHECK(has(t, "No findings."));
  CHECK(has(t, "0 inputs"));
}
