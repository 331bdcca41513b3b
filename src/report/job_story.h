// What every format says about a job's story and the timeline, so that they agree: the
// findings inside a job with their top cause and first action, durations, the documented
// meaning of the last state, the failure in the chosen language, timeline labels.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace marsscan::report {

// A finding that occurred inside a job, with what the analysis says about it.
struct JobFindingStory {
  const analysis::Finding* finding = nullptr;
  const analysis::RankedCause* top = nullptr;  // best cause (evidenced first), or null
  std::string first_action;                    // in the chosen language, or ""
};
// The job's findings in the job's order (rules of the job's case); ids without a finding in
// the report are skipped.
std::vector<JobFindingStory> job_findings(const analysis::Report& r, const analysis::Job& j, bool chinese);

// "2 min 26 s", "3 h 5 min", "850 ms" ("2 分 26 秒" in Chinese); "" when start or end is unknown.
std::string job_duration(const analysis::Job& j, bool chinese);

// "5 TRANSFERRING_DATA (transferring data (can include catalog))", or the value as logged.
std::string job_state(const analysis::Job& j, bool chinese);

// The failure with its codes decoded in the chosen language: "0x80070005 (…): message".
std::string job_failure(const analysis::Job& j, bool chinese);

// The message of a quoted errlog line (the text after its level column), so a timeline line
// is not mostly process ids and pointers; other text is returned whole.
std::string_view message_of(std::string_view line);

// "job start" / "作业开始", "finding" / "发现", ...
const char* timeline_kind_label(analysis::TimelineEntry::Kind k, bool chinese);

// Labels the job story and the timeline add to the human-readable formats.
struct StoryLabels {
  const char *duration, *phases, *failed_at, *why, *todo, *events, *timeline, *no_time,
      *findings_in_job, *jobs_failed_first;
};
const StoryLabels& story_labels(bool chinese);

}  // namespace marsscan::report
