// render_markdown: a compact paste for a support ticket or a PR comment (GitHub/GitLab/Azure
// DevOps flavoured Markdown): summary table, findings root causes first with the top cause,
// actions and up to three evidence lines, a jobs table and the input errors.
#include <algorithm>
#include <string>

#include "report/job_story.h"
#include "report/json_writer.h"
#include "report/render.h"
#include "report/report_common.h"

namespace marsscan::report {

namespace {

// One line of plain text: valid UTF-8, no control characters, no line breaks.
std::string flat(std::string_view s) {
  std::string out;
  for (char c : sanitize_utf8(s)) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u == '\t' || u == '\n' || u == '\r') out += ' ';
    else if (u >= 0x20 && u != 0x7F) out += c;
  }
  return out;
}

// Text outside code: Markdown and inline-HTML characters are backslash-escaped.
std::string md(std::string_view s) {
  std::string out;
  for (char c : flat(s)) {
    if (std::string_view("\\`*_[]<>|#!~&").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// An inline code span that survives any content: the fence is longer than the longest run of
// backticks inside, and a table's '|' is escaped (GFM tables split cells on it even in code).
std::string code(std::string_view s, bool in_table = false) {
  std::string t = flat(s);
  if (in_table) {
    std::string e;
    for (char c : t) {
      if (c == '|') e += '\\';
      e += c;
    }
    t = e;
  }
  size_t run = 0, longest = 0;
  for (char c : t) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = t.empty() || t.front() == '`' || t.back() == '`' || t.front() == ' ';
  return fence + (pad ? " " : "") + t + (pad ? " " : "") + fence;
}

std::string cell(std::string_view s) { return md(s); }

}  // namespace

void render_markdown(const analysis::Report& r, const RenderOptions& o, std::ostream& out) {
  const bool zh = o.chinese;
  auto t = [zh](const char* en, const char* cn) { return std::string(zh ? cn : en); };
  std::string m;
  m += "## marsscan " + t("report", "分析报告") + "\n\n";

  m += "| " + t("Inputs", "输入") + " | " + t("Files", "文件") + " | " + t("Records", "记录") + " |";
  for (auto s : kSeveritiesDesc) m += " " + std::string(severity_label(s, zh)) + " |";
  m += " " + t("Failed jobs", "失败的作业") + " | " + t("Input errors", "输入错误") + " |\n|";
  for (int i = 0; i < 9; ++i) m += " ---: |";
  m += "\n| " + std::to_string(r.summary.inputs) + " | " + std::to_string(r.summary.files) + " | " +
       std::to_string(r.summary.records) + " |";
  for (auto s : kSeveritiesDesc) {
    auto it = r.summary.findings.find(s);
    m += " " + std::to_string(it == r.summary.findings.end() ? 0 : it->second) + " |";
  }
  size_t failed = 0;
  for (const auto& j : r.jobs) failed += j.outcome == "failed";
  m += " " + std::to_string(failed) + " / " + std::to_string(r.jobs.size()) + " | " + std::to_string(r.errors.size()) + " |\n\n";
  if (!r.inputs.empty()) {
    m += t("Inputs: ", "输入：");
    for (size_t i = 0; i < r.inputs.size(); ++i) m += (i ? ", " : "") + code(r.inputs[i]);
    m += "\n\n";
  }

  m += "### " + t("Findings (root causes first)", "发现（根本原因优先）") + "\n\n";
  if (r.findings.empty()) m += t("No documented MARS error was found.", "未发现已记录的 MARS 错误。") + "\n\n";
  int n = 0;
  for (const auto& f : r.findings) {
    if (!f.rule) continue;
    const auto& rule = *f.rule;
    m += std::to_string(++n) + ". **" + md(rule.id) + "** " + md(rule.title.in(zh)) + " — " +
         severity_label(rule.severity, zh) + ", " + std::to_string(f.count) + t("×", " 次");
    if (r.inputs.size() > 1) m += t(", in ", "，输入 ") + code(f.input);
    m += "\n";
    if (f.first_seen)
      m += "   - " + t("Seen: ", "时间：") + format_time(f.first_seen) +
           (f.last_seen && f.last_seen != f.first_seen ? " → " + format_time(f.last_seen) : "") + "\n";
    if (!f.caused_by.empty()) {
      m += "   - " + t("Caused by: ", "由以下问题引起：");
      for (size_t i = 0; i < f.caused_by.size(); ++i) m += (i ? ", " : "") + md(f.caused_by[i]);
      m += "\n";
    }
    if (!f.causes.empty() && f.causes.front().cause) {
      const auto& top = f.causes.front();
      m += "   - " + (top.evidenced ? t("Most likely cause: ", "最可能的原因：") : t("Possible cause: ", "可能的原因：")) +
           md(top.cause->text.in(zh)) + " (" + code(top.cause->id) + ", " + cause_status(top) + ")\n";
    }
    const auto actions = finding_actions(f, zh);
    if (!actions.empty()) {
      m += "   - " + t("Actions:", "建议操作：") + "\n";
      for (size_t i = 0; i < actions.size() && i < 4; ++i) m += "     - " + md(actions[i]) + "\n";
    }
    if (!f.occurrences.empty()) {
      m += "   - " + t("Evidence:", "证据：") + "\n";
      for (size_t i = 0; i < f.occurrences.size() && i < 3; ++i)
        m += "     - " + code(location(f.occurrences[i])) + " " + code(text_with_codes(f.occurrences[i], zh)) + "\n";
    }
  }
  m += "\n";

  if (!r.jobs.empty()) {
    m += "### " + t("Jobs", "作业") + "\n\n| " + t("Outcome", "结果") + " | " + t("Job", "作业") + " | " +
         t("Type", "类型") + " | " + t("Start", "开始") + " | " + t("End", "结束") + " | " +
         t("Failed in phase", "失败阶段") + " | " + t("Failure", "失败原因") + " | " + t("Findings", "发现") +
         " |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    std::vector<const analysis::Job*> jobs;
    for (const auto& j : r.jobs) jobs.push_back(&j);
    std::stable_partition(jobs.begin(), jobs.end(), [](const analysis::Job* j) { return j->outcome == "failed"; });
    for (const auto* j : jobs) {
      std::string ids;
      for (size_t i = 0; i < j->findings.size(); ++i) ids += (i ? ", " : "") + cell(j->findings[i]);
      const std::string failure = job_failure(*j, zh);
      m += "| " + (j->outcome == "failed" ? "**" + cell(j->outcome) + "**" : cell(j->outcome)) + " | " +
           code(j->id, true) + " | " + cell(j->type) + " | " + format_time(j->start) + " | " + format_time(j->end) +
           " | " + cell(j->failed_phase) + " | " + (failure.empty() ? "" : code(failure, true)) + " | " + ids + " |\n";
    }
    m += "\n";
    // The story of each failed job: where, why and what to do, one finding per bullet.
    bool any = false;
    for (const auto* j : jobs) {
      if (j->outcome != "failed") continue;
      const auto stories = job_findings(r, *j, zh);
      const std::string state = job_state(*j, zh);
      if (stories.empty() && state.empty()) continue;
      any = true;
      m += "- " + code(j->id) + (j->failed_phase.empty() ? "" : t(" failed in ", " 失败于 ") + md(j->failed_phase));
      if (!state.empty()) m += t("; last state ", "；最后状态 ") + md(state);
      m += "\n";
      for (const auto& fs : stories) {
        m += "  - **" + md(fs.finding->rule->id) + "** " + md(fs.finding->rule->title.in(zh));
        if (fs.top) m += t(" — why: ", " — 原因：") + md(fs.top->cause->text.in(zh));
        if (!fs.first_action.empty()) m += t(" — do: ", " — 操作：") + md(fs.first_action);
        m += "\n";
      }
    }
    if (any) m += "\n";
  }
  if (o.timeline && !r.timeline.empty()) {
    m += "### " + t("Timeline", "时间线") + "\n\n| " + t("Time (UTC)", "时间（UTC）") + " | " + t("What", "内容") +
         " | " + t("Where", "位置") + " | " + t("Line", "行") + " |\n| --- | --- | --- | --- |\n";
    for (const auto& e : r.timeline) {
      const std::string what = e.kind == analysis::TimelineEntry::Finding && e.rule
                                   ? "**" + cell(e.rule->id) + "** " + severity_label(e.rule->severity, zh)
                                   : cell(timeline_kind_label(e.kind, zh)) + " " + code(e.job, true);
      m += "| " + (e.at.time ? format_time(e.at.time) : t("(no time)", "（无时间）")) + " | " + what + " | " +
           code(location(e.at), true) + " | " + code(text_with_codes(e.at, zh), true) + " |\n";
    }
    m += "\n";
  }
  if (!r.errors.empty()) {
    m += "### " + t("Input errors", "输入错误") + "\n\n";
    for (const auto& e : r.errors) m += "- " + code(e.source) + ": " + md(e.message) + "\n";
    m += "\n";
  }
  while (m.size() > 1 && m[m.size() - 1] == '\n' && m[m.size() - 2] == '\n') m.pop_back();
  out << m;
  out.flush();
}

}  // namespace marsscan::report
