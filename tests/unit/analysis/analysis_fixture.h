// A hand-made pattern database and record factory for the analysis tests: no YAML, no regex,
// so these tests depend only on the contracts in match/rule.h and records/record.h.
#pragma once
#include <deque>
#include <string>
#include <vector>

#include "analysis/analyzer.h"

namespace fixture {

using namespace marsscan;

// Pattern indices.
enum : int {
  kTrigA = 0,          // MARS-34513 trigger
  kEvExpired = 1,      // evidence: MARS-34513 / credentials-expired
  kEvClock = 2,        // evidence: MARS-34513 / clock-skew
  kTrigB = 3,          // MARS-407 trigger
  kMarkStart = 4, kMarkPhase = 5, kMarkSuccess = 6, kMarkFailure = 7, kMarkEnd = 8,
  kMarkState = 9,
  kTrigWarn = 10,      // MARS-FILE-0x80070005 (warning) trigger
  kEvTemp = 11,        // evidence: MARS-34513 / temp-download-blocked
};

inline match::Text T(const char* en, const char* zh) { return match::Text{en, zh}; }
inline match::Cause C(const char* id, match::Text text) {
  match::Cause c;
  c.id = id;
  c.text = std::move(text);
  return c;
}

inline match::PatternDb make_db() {
  match::PatternDb db;
  match::Rule a;
  a.id = "MARS-34513";
  a.severity = match::Severity::Error;
  a.title = T("Invalid vault credentials provided", "提供的保管库凭据无效");
  a.summary = T("The vault credentials file is invalid.", "保管库凭据文件无效。");
  a.codes = {"34513"};
  a.source = "D1, Invalid vault credentials provided";
  a.confidence = "high";
  a.references = {{"backup-azure-mars-troubleshoot", "Invalid vault credentials provided",
                   "https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot"}};
  a.triggers = {kTrigA};
  match::Cause expired = C("credentials-expired", T("The credentials file expired.", "凭据文件已过期。"));
  expired.evidence_patterns = {kEvExpired};
  expired.actions = {T("Download fresh vault credentials.", "重新下载保管库凭据。")};
  match::Cause temp = C("temp-download-blocked", T("Temp folder blocked.", "临时文件夹被阻止。"));
  temp.evidence_patterns = {kEvTemp};
  temp.actions = {T("Allow downloads to Temp.", "允许下载到 Temp。")};
  match::Cause proxy = C("proxy-blocking", T("A proxy blocks the agent.", "代理阻止了代理程序。"));
  proxy.evidence_rules = {"MARS-407"};
  proxy.actions = {T("Configure the proxy.", "配置代理。"),
                   T("Download fresh vault credentials.", "重新下载保管库凭据。")};
  match::Cause clock = C("clock-skew", T("Clock does not match.", "日期和时间不匹配。"));
  clock.evidence_patterns = {kEvClock};
  clock.actions = {T("Fix the clock.", "校正时钟。")};
  a.causes = {expired, temp, proxy, clock};
  a.actions = {T("Retry the registration.", "重试注册。")};
  db.rules.push_back(a);

  match::Rule b;
  b.id = "MARS-407";
  b.severity = match::Severity::Error;
  b.title = T("Proxy authentication required", "需要代理身份验证");
  b.triggers = {kTrigB};
  b.causes = {C("proxy-credentials-missing", T("Proxy credentials missing.", "缺少代理凭据。"))};
  b.causes[0].actions = {T("Set the proxy user.", "设置代理用户。")};
  db.rules.push_back(b);

  match::Rule w;
  w.id = "MARS-FILE-0x80070005";
  w.severity = match::Severity::Warning;
  w.title = T("Access denied on a file", "文件访问被拒绝");
  w.triggers = {kTrigWarn};
  db.rules.push_back(w);

  auto pat = [&](match::PatternOwner::Kind k, int rule, int cause, int marker) {
    match::Pattern p;
    p.regex = "x";
    p.owner = {k, rule, cause, marker};
    p.origin = {"patterns/test.yaml", static_cast<int>(db.patterns.size()) + 1};
    db.patterns.push_back(p);
  };
  pat(match::PatternOwner::Trigger, 0, -1, -1);
  pat(match::PatternOwner::Evidence, 0, 0, -1);
  pat(match::PatternOwner::Evidence, 0, 3, -1);
  pat(match::PatternOwner::Trigger, 1, -1, -1);
  for (int m = 0; m < 6; ++m) pat(match::PatternOwner::Marker, -1, -1, m);
  pat(match::PatternOwner::Trigger, 2, -1, -1);
  pat(match::PatternOwner::Evidence, 0, 1, -1);

  using K = match::Marker;
  db.markers = {{K::Start, "backup-start", "backup", "Prebackup", kMarkStart, -1, {}, {}},
                {K::Phase, "backup-transfer", "backup", "Data transfer", kMarkPhase, -1, {}, {}},
                {K::Success, "backup-succeeded", "backup", "", kMarkSuccess, -1, {}, {}},
                {K::Failure, "backup-failed", "backup", "", kMarkFailure, -1, {}, {}},
                {K::End, "backup-end", "backup", "UnInitialize Storage", kMarkEnd, -1, {}, {}},
                {K::State, "ds-state", "", "", kMarkState, -1, {}, {}}};
  db.codes = {{0x80070005u, "E_ACCESSDENIED", T("Access is denied.", "拒绝访问。")}};
  return db;
}

constexpr const char* kGuid = "1FCFF8B4-CCE2-42E6-8883-7AEB9A1C5CB6";
constexpr const char* kGuid2 = "F3E32129-DC79-4A28-9ACC-3F30CB5810B6";

// Owns the strings records point into, and feeds matches.
struct Feed {
  analysis::Analyzer& an;
  std::deque<std::string> store;
  uint64_t next_line = 1;
  explicit Feed(analysis::Analyzer& a) : an(a) {}

  std::string_view keep(std::string s) { return store.emplace_back(std::move(s)); }

  // An errlog line of `source` with `task` (may be empty), at `time` (ms; < 0: unknown).
  void line(const std::string& source, const std::string& task, int64_t time, const std::string& text,
            std::vector<int> patterns, uint64_t line_no = 0) {
    records::Record r;
    r.kind = task.empty() ? records::RecordKind::Text : records::RecordKind::Errlog;
    r.source = keep(source);
    r.line = line_no ? line_no : next_line++;
    r.text = keep(text);
    if (time >= 0) r.time = time;
    r.errlog.task = keep(task);
    r.errlog.message = r.text;
    std::vector<int> ev;
    an.add(match::Match{&r, std::span<const int>(patterns), std::span<const int>(ev)});
  }
};

constexpr int64_t kMin = 60 * 1000;
constexpr int64_t kT0 = 1565000000000;  // 2019-08-05

}  // namespace fixture
