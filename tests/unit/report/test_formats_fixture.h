// A hand-made pattern database and report for the CI and people formats (SARIF, JUnit,
// Markdown, HTML, NDJSON): two inputs, a causal chain (MARS-407 -> MARS-34513), an event
// occurrence, hostile text (markup, quotes, control characters, invalid UTF-8), jobs and
// input errors. Built by hand so these tests do not depend on the analysis stage.
#pragma once
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "analysis/model.h"
#include "match/rule.h"
#include "report/render.h"

namespace formats_fixture {

using namespace marsscan;

// 2024-05-01T13:16:29.206Z
inline constexpr TimeMs kT0 = 1714569389206;
inline constexpr TimeMs kHour = 3600 * 1000;

// A log line that tries every trick: markup, both quotes, an ampersand, C0 controls (BEL,
// ESC, NUL), a DEL and an invalid UTF-8 byte.
inline const std::string kHostile =
    std::string("FATAL <script>alert(\"x\")</script> & 'q' \x07\x1b[31m") + std::string(1, '\0') +
    "end\x7f \xff|pipe`tick";

struct Fixture {
  match::PatternDb db;
  analysis::Report report;
};

inline match::Text T(std::string en, std::string zh) { return {std::move(en), std::move(zh)}; }

inline analysis::Occurrence occ(std::string source, uint64_t line, TimeMs t, std::string text,
                                bool event = false) {
  analysis::Occurrence o;
  o.source = std::move(source);
  o.line = line;
  o.time = t;
  o.text = std::move(text);
  o.is_event = event;
  return o;
}

inline std::unique_ptr<Fixture> make() {
  auto fx = std::make_unique<Fixture>();
  auto& db = fx->db;
  db.rules.resize(5);
  {
    auto& r = db.rules[0];
    r.id = "MARS-34513";
    r.severity = match::Severity::Error;
    r.title = T("Invalid vault credentials provided", "提供的保管库凭据无效");
    r.summary = T("The vault credentials file is invalid or expired.", "保管库凭据文件无效或已过期。");
    r.codes = {"34513"};
    r.source = "D1 (backup-azure-mars-troubleshoot), Invalid vault credentials provided";
    r.confidence = "high";
    r.references = {{"backup-azure-mars-troubleshoot", "Invalid vault credentials provided",
                     "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot"}};
    r.causes.resize(2);
    r.causes[0].id = "credentials-expired";
    r.causes[0].text = T("The vault credentials file has expired", "保管库凭据文件已过期");
    r.causes[0].actions = {T("Download a fresh vault credentials file", "重新下载保管库凭据文件")};
    r.causes[1].id = "proxy-blocking";
    r.causes[1].text = T("A proxy blocks the agent", "代理阻止了代理程序");
    r.causes[1].actions = {T("Allow the Azure Backup URLs through the proxy", "在代理上放行 Azure 备份 URL")};
    r.causes[1].evidence_rules = {"MARS-407"};
    r.actions = {T("Retry the registration", "重试注册")};
  }
  {
    auto& r = db.rules[1];
    r.id = "MARS-407";
    r.severity = match::Severity::Error;
    r.title = T("Proxy authentication required (407)", "需要代理身份验证 (407)");
    r.codes = {"407"};
    r.causes.resize(1);
    r.causes[0].id = "proxy-credentials-missing";
    r.causes[0].text = T("The proxy user and password are not configured in the agent",
                         "未在代理程序中配置代理用户名和密码");
    r.causes[0].actions = {T("Set the proxy credentials in the agent's proxy settings", "在代理设置中配置代理凭据")};
  }
  {
    auto& r = db.rules[2];
    r.id = "MARS-FILE-0x80070005";
    r.severity = match::Severity::Warning;
    r.title = T("Access denied on a file", "文件访问被拒绝");
    r.codes = {"0x80070005"};
    r.confidence = "medium";
  }
  {
    auto& r = db.rules[3];
    r.id = "MARS-CRITICAL-INCONSISTENCY";
    r.severity = match::Severity::Critical;
    r.title = T("Critical inconsistency detected", "检测到严重不一致");
  }
  {
    auto& r = db.rules[4];
    r.id = "MARS-JOB-ALREADY-RUNNING";
    r.severity = match::Severity::Note;
    r.title = T("A job is already running", "已有作业在运行");
  }

  auto& rep = fx->report;
  rep.inputs = {"bundle.zip", "case 2/CBEngine#1.errlog"};
  rep.summary.inputs = 2;
  rep.summary.files = 7;
  rep.summary.records = 12345;
  rep.summary.bytes = 987654;
  rep.errors = {{"bundle.zip!broken.cab", "truncated archive member"},
                {"case 2/CBEngine#1.errlog", "invalid UTF-16 at byte 42"}};

  // 1. The root cause: MARS-407.
  analysis::Finding f407;
  f407.input = "bundle.zip";
  f407.rule = &db.rules[1];
  f407.count = 3;
  f407.first_seen = kT0;
  f407.last_seen = kT0 + 2 * kHour;
  f407.occurrences = {occ("bundle.zip!Temp/CBEngineCurr.errlog", 12, kT0,
                          "WebException: The remote server returned an error: (407) Proxy Authentication Required."),
                      occ("bundle.zip!Temp/CBEngineCurr.errlog", 40, kT0 + 2 * kHour,
                          "WebException: (407) Proxy Authentication Required again")};
  f407.causes.push_back({&db.rules[1].causes[0], false, 0, {}});
  f407.causes_of = {"MARS-34513"};
  f407.jobs = {"1fcf4a2b-0000-4000-8000-000000000001"};

  // 2. Caused by it: MARS-34513, with a hostile line and evidence for proxy-blocking.
  analysis::Finding f345;
  f345.input = "bundle.zip";
  f345.rule = &db.rules[0];
  f345.count = 2;
  f345.first_seen = kT0 + kHour;
  f345.last_seen = kT0 + 3 * kHour;
  f345.occurrences = {occ("bundle.zip!Temp/CBEngineCurr.errlog", 57, kT0 + kHour,
                          "Invalid vault credentials provided (ID: 34513) " + kHostile)};
  f345.occurrences[0].task = "1fcf4a2b-0000-4000-8000-000000000001";
  f345.occurrences[0].decoded = {"0x80070005 (E_ACCESSDENIED: Access is denied.)"};
  analysis::Evidence ev;
  ev.occurrence = f407.occurrences[0];
  ev.via = "rule:MARS-407";
  ev.score = 90;
  f345.causes.push_back({&db.rules[0].causes[1], true, 90, {ev}});
  f345.causes.push_back({&db.rules[0].causes[0], false, 0, {}});
  f345.caused_by = {"MARS-407"};
  f345.jobs = {"1fcf4a2b-0000-4000-8000-000000000001"};

  // 3. A warning from an exported event log (event ordinal, not a line).
  analysis::Finding fev;
  fev.input = "bundle.zip";
  fev.rule = &db.rules[2];
  fev.count = 1;
  fev.first_seen = fev.last_seen = kT0 + 5 * kHour;
  fev.occurrences = {occ("bundle.zip!Logs/Application Log.evtx", 7, kT0 + 5 * kHour,
                         "CloudBackup 0x80070005 access denied on D:\\Data\\x.txt", true)};

  // 4. The same rule in the second input, a Windows-looking path with non-ASCII text.
  analysis::Finding f2;
  f2.input = "case 2/CBEngine#1.errlog";
  f2.rule = &db.rules[0];
  f2.count = 1;
  f2.first_seen = f2.last_seen = kT0 + 24 * kHour;
  f2.occurrences = {occ("case 2/CBEngine#1.errlog", 3, kT0 + 24 * kHour,
                        "提供的保管库凭据无效 (ID:34513)")};
  f2.causes.push_back({&db.rules[0].causes[0], false, 0, {}});
  f2.causes.push_back({&db.rules[0].causes[1], false, 0, {}});

  rep.findings = {f407, f345, fev, f2};
  rep.summary.findings = {{match::Severity::Error, 3}, {match::Severity::Warning, 1}};

  analysis::Job failed;
  failed.input = "bundle.zip";
  failed.id = "1fcf4a2b-0000-4000-8000-000000000001";
  failed.type = "backup";
  failed.source = "bundle.zip!Temp/CBEngineCurr.errlog";
  failed.start = kT0 - kHour;
  failed.end = kT0 + 3 * kHour;
  failed.outcome = "failed";
  failed.failure = "0x80070005";
  failed.phases = {{"Prebackup", kT0 - kHour}, {"Upload", kT0}};
  failed.findings = {"MARS-407", "MARS-34513"};
  analysis::Job ok;
  ok.input = "bundle.zip";
  ok.id = "2aaa0000-0000-4000-8000-000000000002";
  ok.type = "backup";
  ok.start = kT0 - 24 * kHour;
  ok.end = kT0 - 23 * kHour;
  ok.outcome = "succeeded";
  rep.jobs = {failed, ok};
  return fx;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

// A file name under $TMPDIR unique to this process (ctest runs test cases in parallel).
inline std::string temp_path(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/marsscan-formats-" + std::to_string(getpid()) + "-" + name;
}

}  // namespace formats_fixture
