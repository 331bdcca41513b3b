// What the analysis concludes, independent of any output format. Everything here owns its
// strings (the records it came from are gone by the time a report is written).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "match/rule.h"
#include "util/time.h"

namespace marsscan::analysis {

// A line or event quoted in the report.
struct Occurrence {
  std::string source;               // "a.zip!Temp/CBEngineCurr.errlog"
  uint64_t line = 0;                // line, or event ordinal
  bool is_event = false;
  std::optional<TimeMs> time;
  std::string text;                 // the line (CR/LF trimmed, capped in length) or event text
  std::string task;                 // errlog task GUID, when the line has one
  std::vector<std::string> decoded; // "0x80070005 (E_ACCESSDENIED: Access is denied.)"
  std::vector<std::string> decoded_zh;  // the same codes decoded in zh-CN (same order)
  const std::vector<std::string>& decoded_in(bool chinese) const {
    return chinese && decoded_zh.size() == decoded.size() ? decoded_zh : decoded;
  }
};

struct Evidence {
  Occurrence occurrence;
  std::string via;                  // the evidence pattern's origin, or "rule:MARS-407"
  int score = 0;                    // how close it is to the finding (higher is closer)
};

struct RankedCause {
  const match::Cause* cause = nullptr;
  bool evidenced = false;
  int score = 0;
  std::vector<Evidence> evidence;   // best first, capped
};

struct Finding {
  std::string input;                // the case (top-level input) it belongs to
  const match::Rule* rule = nullptr;
  uint64_t count = 0;               // every occurrence, not only the kept ones
  std::optional<TimeMs> first_seen, last_seen;
  std::vector<Occurrence> occurrences;   // the first ones, capped
  std::vector<RankedCause> causes;       // evidenced first (by score), then documented order
  std::vector<std::string> caused_by;    // rule ids of findings that evidence this one's causes
  std::vector<std::string> causes_of;    // rule ids of findings this one is evidence for
  std::vector<std::string> jobs;         // job ids (task GUIDs) it occurred in
};

struct JobPhase { std::string name; std::optional<TimeMs> time; };

struct Job {
  std::string input;
  std::string id;                   // task GUID
  std::string type;                 // "backup", "offline-backup", ...
  std::string source;               // leaf where it was first seen
  std::optional<TimeMs> start, end;
  std::string outcome;              // "succeeded", "failed", "running", "unknown"
  std::string failure;              // the failing line's HRESULT or text
  std::vector<JobPhase> phases;
  std::string last_state;           // last "Last completed state for Ds Id" value
  std::vector<std::string> findings;  // rule ids
  // The story: where it failed and why, in the words of the log and of the code table.
  std::string failed_phase;         // the phase the job was in when the failure happened
  std::string failure_message;      // the failing line's message (errlog text after the level)
  std::vector<std::string> failure_decoded, failure_decoded_zh;  // its codes, decoded
  std::string state_stage;          // last_state's documented stage ("TRANSFERRING_DATA"), if any
  match::Text state_meaning;        // and what it means
  // Boundaries as they were logged (for the timeline): the first marker, the failure, the end.
  std::optional<Occurrence> started_at, failed_at, ended_at;
  std::vector<Occurrence> events;   // CloudBackup events joined to this errlog job by time
  const std::vector<std::string>& failure_decoded_in(bool chinese) const {
    return chinese && failure_decoded_zh.size() == failure_decoded.size() ? failure_decoded_zh
                                                                           : failure_decoded;
  }
};

// One line of the timeline: a finding's occurrence or a job boundary, in time order
// (time, then source, then line; entries without a time last).
struct TimelineEntry {
  enum Kind : uint8_t { Finding, JobStart, JobFailure, JobEnd } kind = Finding;
  std::string input;
  const match::Rule* rule = nullptr;  // Finding: the rule that fired
  std::string job;                  // the job id (job entries; findings on a task line)
  Occurrence at;                    // where and when
};
const char* timeline_kind_name(TimelineEntry::Kind k);  // "finding", "job-start", ...

struct InputProblem {
  std::string source;               // file, or "archive!member"
  std::string message;
};

struct Summary {
  uint64_t inputs = 0, files = 0, records = 0, bytes = 0;
  std::map<match::Severity, uint64_t> findings;  // number of findings per severity
};

struct Report {
  Summary summary;
  std::vector<std::string> inputs;  // top-level inputs, in command-line order
  std::vector<InputProblem> errors;
  std::vector<Finding> findings;    // root causes first, then by severity, time, rule id
  std::vector<Job> jobs;            // failed first, then by start time
  std::vector<TimelineEntry> timeline;  // findings' kept occurrences and job boundaries
};

}  // namespace marsscan::analysis
