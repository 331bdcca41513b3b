#include "report/style.h"

namespace marsscan::report {

namespace {

const Labels kEn{
    "inputs", "files", "records", "bytes", "findings", "input errors", "No findings.",
    "rule", "count", "first seen", "last seen", "input", "jobs", "occurrences", "more",
    "caused by", "leads to", "likely causes", "evidenced", "possible", "score", "evidence",
    "recommended actions", "Jobs", "type", "start", "end", "outcome", "failed in phase", "failure",
    "last state", "phases", "summary", "codes", "source", "references", "confidence",
    "general actions", "unknown", false};

const Labels kZh{
    "输入", "文件", "记录", "字节", "发现", "输入错误", "未发现问题。",
    "规则", "次数", "首次出现", "最后出现", "输入", "作业", "出现位置", "更多",
    "由以下问题导致", "导致", "可能原因", "有证据", "可能", "得分", "证据",
    "建议操作", "作业", "类型", "开始", "结束", "结果", "失败阶段", "失败原因",
    "最后状态", "阶段", "摘要", "代码", "来源", "参考", "可信度",
    "通用操作", "未知", true};

}  // namespace

const Labels& labels(bool chinese) { return chinese ? kZh : kEn; }

const char* Labels::outcome_name(std::string_view outcome) const {
  if (!chinese) return outcome == "succeeded" ? "succeeded"
                     : outcome == "failed"    ? "failed"
                     : outcome == "running"   ? "running"
                                              : "unknown";
  return outcome == "succeeded" ? "成功"
         : outcome == "failed"  ? "失败"
         : outcome == "running" ? "进行中（未见结束）"
                                : "未知";
}

std::string Style::wrap(const char* code, std::string_view s) const {
  if (!color_) return std::string(s);
  return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
}

std::string Style::severity(match::Severity s, std::string_view text) const {
  switch (s) {
    case match::Severity::Critical: return wrap("1;31", text);
    case match::Severity::Error: return wrap("31", text);
    case match::Severity::Warning: return wrap("33", text);
    case match::Severity::Note: return wrap("36", text);
  }
  return std::string(text);
}

std::string Style::outcome(std::string_view outcome, std::string_view text) const {
  if (outcome == "failed") return red(text);
  if (outcome == "succeeded") return green(text);
  return yellow(text);
}

}  // namespace marsscan::report
