#include "report/report_common.h"

#include <algorithm>

#include "util/time.h"

namespace marsscan::report {

const char* severity_label(match::Severity s, bool chinese) {
  if (!chinese) return match::severity_name(s);
  switch (s) {
    case match::Severity::Critical: return "严重";
    case match::Severity::Error: return "错误";
    case match::Severity::Warning: return "警告";
    case match::Severity::Note: return "提示";
  }
  return "错误";
}

std::string format_time(const std::optional<TimeMs>& t) { return t ? format_iso8601(*t) : ""; }

void write_time(JsonWriter& w, const std::optional<TimeMs>& t) {
  if (t) w.value(format_iso8601(*t));
  else w.null();
}

const char* cause_status(const analysis::RankedCause& c) {
  return c.evidenced ? "evidenced" : "possible";
}

std::string location(const analysis::Occurrence& o) {
  return o.source + (o.is_event ? ":#" : ":") + std::to_string(o.line);
}

std::string text_with_codes(const analysis::Occurrence& o, bool chinese) {
  const auto& codes = o.decoded_in(chinese);
  if (codes.empty()) return o.text;
  std::string s = o.text + " [";
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i) s += "; ";
    s += codes[i];
  }
  return s + "]";
}

std::vector<std::string> finding_actions(const analysis::Finding& f, bool chinese) {
  std::vector<std::string> out;
  auto add = [&](const match::Text& t) {
    const std::string& s = t.in(chinese);
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  // f.causes already lists evidenced causes (best first) before possible ones.
  for (bool evidenced : {true, false})
    for (const auto& c : f.causes)
      if (c.evidenced == evidenced && c.cause)
        for (const auto& a : c.cause->actions) add(a);
  if (f.rule)
    for (const auto& a : f.rule->actions) add(a);
  return out;
}

}  // namespace marsscan::report
