#include "analysis/timeline.h"

#include <algorithm>
#include <tuple>

namespace marsscan::analysis {

const char* timeline_kind_name(TimelineEntry::Kind k) {
  switch (k) {
    case TimelineEntry::Finding: return "finding";
    case TimelineEntry::JobStart: return "job-start";
    case TimelineEntry::JobFailure: return "job-failure";
    case TimelineEntry::JobEnd: return "job-end";
  }
  return "finding";
}

std::vector<TimelineEntry> build_timeline(const std::vector<Finding>& findings,
                                          const std::vector<Job>& jobs, size_t per_finding) {
  std::vector<TimelineEntry> out;
  for (const auto& f : findings) {
    const size_t n = std::min(per_finding, f.occurrences.size());
    for (size_t i = 0; i < n; ++i) {
      TimelineEntry e;
      e.kind = TimelineEntry::Finding;
      e.input = f.input;
      e.rule = f.rule;
      e.job = f.occurrences[i].task;
      e.at = f.occurrences[i];
      out.push_back(std::move(e));
    }
  }
  auto boundary = [&](const Job& j, TimelineEntry::Kind k, const std::optional<Occurrence>& at) {
    if (!at) return;
    TimelineEntry e;
    e.kind = k;
    e.input = j.input;
    e.job = j.id;
    e.at = *at;
    out.push_back(std::move(e));
  };
  for (const auto& j : jobs) {
    boundary(j, TimelineEntry::JobStart, j.started_at);
    boundary(j, TimelineEntry::JobFailure, j.failed_at);
    boundary(j, TimelineEntry::JobEnd, j.ended_at);
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.at.time.has_value() != b.at.time.has_value()) return a.at.time.has_value();
    const TimeMs ta = a.at.time.value_or(0), tb = b.at.time.value_or(0);
    const std::string_view ra = a.rule ? std::string_view(a.rule->id) : std::string_view();
    const std::string_view rb = b.rule ? std::string_view(b.rule->id) : std::string_view();
    return std::tie(ta, a.at.source, a.at.line, a.kind, ra, a.job, a.input) <
           std::tie(tb, b.at.source, b.at.line, b.kind, rb, b.job, b.input);
  });
  return out;
}

}  // namespace marsscan::analysis
