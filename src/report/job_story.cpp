#include "report/job_story.h"

#include <fmt/format.h>

#include "report/report_common.h"

namespace marsscan::report {

std::vector<JobFindingStory> job_findings(const analysis::Report& r, const analysis::Job& j, bool chinese) {
  std::vector<JobFindingStory> out;
  for (const auto& id : j.findings) {
    for (const auto& f : r.findings) {
      if (!f.rule || f.rule->id != id || f.input != j.input) continue;
      JobFindingStory s;
      s.finding = &f;
      if (!f.causes.empty() && f.causes.front().cause) s.top = &f.causes.front();
      const auto actions = finding_actions(f, chinese);
      if (!actions.empty()) s.first_action = actions.front();
      out.push_back(s);
      break;
    }
  }
  return out;
}

std::string job_duration(const analysis::Job& j, bool chinese) {
  if (!j.start || !j.end || *j.end < *j.start) return {};
  const int64_t ms = *j.end - *j.start;
  const int64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;
  if (chinese) {
    if (ms < 1000) return fmt::format("{} 毫秒", ms);
    if (m == 0) return fmt::format("{} 秒", s);
    if (h == 0) return fmt::format("{} 分 {} 秒", m, s % 60);
    if (d == 0) return fmt::format("{} 小时 {} 分", h, m % 60);
    return fmt::format("{} 天 {} 小时", d, h % 24);
  }
  if (ms < 1000) return fmt::format("{} ms", ms);
  if (m == 0) return fmt::format("{} s", s);
  if (h == 0) return fmt::format("{} min {} s", m, s % 60);
  if (d == 0) return fmt::format("{} h {} min", h, m % 60);
  return fmt::format("{} d {} h", d, h % 24);
}

std::string job_state(const analysis::Job& j, bool chinese) {
  if (j.last_state.empty()) return {};
  std::string s = j.last_state;
  if (!j.state_stage.empty()) s += " " + j.state_stage;
  const std::string& meaning = j.state_meaning.in(chinese);
  if (!meaning.empty()) s += chinese ? "（" + meaning + "）" : " (" + meaning + ")";
  return s;
}

std::string job_failure(const analysis::Job& j, bool chinese) {
  const auto& codes = j.failure_decoded_in(chinese);
  if (!chinese || codes.empty() || j.failure_message.empty()) return j.failure;
  return codes.front() + ": " + j.failure_message;
}

std::string_view message_of(std::string_view line) {
  // Columns are tab-separated, or runs of spaces in copies pasted from web pages; the level
  // follows the task GUID, so only a level surrounded by white space counts.
  for (const char* level : {"NORMAL", "WARNING", "FATAL", "ERROR", "INFO", "VERBOSE"}) {
    const std::string_view lv(level);
    for (size_t p = line.find(lv); p != std::string_view::npos; p = line.find(lv, p + 1)) {
      const size_t e = p + lv.size();
      if (p == 0 || (line[p - 1] != '\t' && line[p - 1] != ' ') || e >= line.size() ||
          (line[e] != '\t' && line[e] != ' '))
        continue;
      size_t m = e;
      while (m < line.size() && (line[m] == '\t' || line[m] == ' ')) ++m;
      return line.substr(m);
    }
  }
  return line;
}

const char* timeline_kind_label(analysis::TimelineEntry::Kind k, bool chinese) {
  using K = analysis::TimelineEntry;
  switch (k) {
    case K::Finding: return chinese ? "发现" : "finding";
    case K::JobStart: return chinese ? "作业开始" : "job start";
    case K::JobFailure: return chinese ? "作业失败" : "job failed";
    case K::JobEnd: return chinese ? "作业结束" : "job end";
  }
  return "";
}

const StoryLabels& story_labels(bool chinese) {
  static const StoryLabels en{"duration", "phases", "at", "why", "do", "events", "Timeline",
                              "(no time)", "findings in this job", "Jobs (failed first)"};
  static const StoryLabels zh{"持续时间", "阶段", "位置", "原因", "操作", "事件", "时间线",
                              "（无时间）", "该作业中的发现", "作业（失败的优先）"};
  return chinese ? zh : en;
}

}  // namespace marsscan::report
