#include "report/html_timeline.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "report/html_escape.h"

namespace marsscan::report {

const char* severity_color(match::Severity s) {
  switch (s) {
    case match::Severity::Critical: return "#8e1b1b";
    case match::Severity::Error: return "#d03b2f";
    case match::Severity::Warning: return "#d98a00";
    case match::Severity::Note: return "#2f6fb3";
  }
  return "#d03b2f";
}

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "05-01 13:16" for axis ticks (UTC, like every time in the report).
std::string tick_label(TimeMs t, bool with_date) {
  const CivilTime c = civil_from_time(t);
  char buf[32];
  if (with_date)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02u:%02u", c.year, c.month, c.day, c.hour, c.minute);
  else
    std::snprintf(buf, sizeof buf, "%02u:%02u:%02u", c.hour, c.minute, c.second);
  return buf;
}

}  // namespace

std::string timeline_svg(const analysis::Report& r, size_t max_rows) {
  TimeMs lo = std::numeric_limits<TimeMs>::max(), hi = std::numeric_limits<TimeMs>::min();
  std::vector<const analysis::Finding*> rows;
  for (const auto& f : r.findings) {
    if (!f.rule) continue;
    bool timed = false;
    auto see = [&](const std::optional<TimeMs>& t) {
      if (!t) return;
      lo = std::min(lo, *t);
      hi = std::max(hi, *t);
      timed = true;
    };
    see(f.first_seen);
    see(f.last_seen);
    for (const auto& o : f.occurrences) see(o.time);
    if (timed && rows.size() < max_rows) rows.push_back(&f);
  }
  if (rows.empty()) return {};
  if (hi - lo < 60 * 1000) {  // a single instant: give the axis a minute either side
    lo -= 60 * 1000;
    hi += 60 * 1000;
  }
  const bool with_date = hi - lo > 12LL * 3600 * 1000;
  const double left = 230, right = 20, top = 16, row_h = 26, axis_h = 34, width = 1000;
  const double plot_w = width - left - right;
  const double height = top + row_h * static_cast<double>(rows.size()) + axis_h;
  auto x_of = [&](TimeMs t) { return left + plot_w * static_cast<double>(t - lo) / static_cast<double>(hi - lo); };

  std::string s;
  s += "<svg class=\"timeline\" viewBox=\"0 0 " + num(width) + " " + num(height) +
       "\" role=\"img\" aria-label=\"Findings over time\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n";
  const double axis_y = top + row_h * static_cast<double>(rows.size());
  // Grid and axis: five ticks.
  for (int i = 0; i <= 4; ++i) {
    const TimeMs t = lo + (hi - lo) * i / 4;
    const double x = x_of(t);
    s += "<line x1=\"" + num(x) + "\" y1=\"" + num(top - 6) + "\" x2=\"" + num(x) + "\" y2=\"" + num(axis_y) +
         "\" stroke=\"#e3e6ea\"/>\n";
    const char* anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
    s += "<text x=\"" + num(x) + "\" y=\"" + num(axis_y + 18) + "\" text-anchor=\"" + anchor + "\" fill=\"#5b6570\">" +
         escape_markup(tick_label(t, with_date)) + "</text>\n";
  }
  s += "<line x1=\"" + num(left) + "\" y1=\"" + num(axis_y) + "\" x2=\"" + num(width - right) + "\" y2=\"" +
       num(axis_y) + "\" stroke=\"#9aa3ad\"/>\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const analysis::Finding& f = *rows[i];
    const double y = top + row_h * (static_cast<double>(i) + 0.5);
    const char* color = severity_color(f.rule->severity);
    if (i % 2 == 0)
      s += "<rect x=\"0\" y=\"" + num(y - row_h / 2) + "\" width=\"" + num(width) + "\" height=\"" + num(row_h) +
           "\" fill=\"#f6f8fa\"/>\n";
    std::string label = f.rule->id;
    if (r.inputs.size() > 1) label += " · " + f.input;
    if (label.size() > 34) label = label.substr(0, 33) + "…";
    s += "<text x=\"8\" y=\"" + num(y + 4) + "\" fill=\"#1f2a37\">" + escape_markup(label) + "</text>\n";
    const TimeMs a = f.first_seen.value_or(f.last_seen.value_or(lo));
    const TimeMs b = f.last_seen.value_or(a);
    const double xa = x_of(a), xb = std::max(x_of(b), xa + 2);
    s += "<rect x=\"" + num(xa) + "\" y=\"" + num(y - 4) + "\" width=\"" + num(xb - xa) +
         "\" height=\"8\" rx=\"4\" fill=\"" + color + "\" fill-opacity=\"0.3\"><title>" +
         escape_markup(f.rule->id + ": " + std::to_string(f.count) + " × " + format_iso8601(a) + " – " +
                       format_iso8601(b)) +
         "</title></rect>\n";
    for (const auto& o : f.occurrences) {
      if (!o.time) continue;
      s += "<circle cx=\"" + num(x_of(*o.time)) + "\" cy=\"" + num(y) + "\" r=\"5\" fill=\"" + color +
           "\" stroke=\"#fff\" stroke-width=\"1.5\"><title>" +
           escape_markup(format_iso8601(*o.time) + "  " + o.source + ":" + std::to_string(o.line)) +
           "</title></circle>\n";
    }
  }
  s += "</svg>";
  return s;
}

}  // namespace marsscan::report
