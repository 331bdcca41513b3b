// The timeline: every kept occurrence of every finding and every job boundary (start, failure,
// end), across files and event logs, in one time order. Errlog times were already placed with
// the inferred year and --tz by the records stage, so here all times are comparable UTC.
#pragma once
#include <vector>

#include "analysis/model.h"

namespace marsscan::analysis {

// Ordered by time, then source, then line, then kind and rule id (deterministic); entries
// without a time come last in source/line order. `per_finding` caps the occurrences taken
// from each finding (its first ones).
std::vector<TimelineEntry> build_timeline(const std::vector<Finding>& findings,
                                          const std::vector<Job>& jobs, size_t per_finding);

}  // namespace marsscan::analysis
