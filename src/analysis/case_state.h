// Private to the analysis stage: the bounded state kept per case (top-level input) while
// matches stream by. Counts are exact; quoted lines, evidence and job details are capped.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/model.h"
#include "match/groups.h"
#include "match/rule.h"
#include "records/record.h"

namespace marsscan::analysis {

inline constexpr size_t kEvidenceHead = 32;   // first evidence hits kept per (rule, cause)
inline constexpr size_t kEvidenceTail = 32;   // and the last ones
inline constexpr size_t kMaxJobsPerFinding = 256;
inline constexpr size_t kMaxPhases = 64;
inline constexpr size_t kMaxEventMarkers = 4096;

// Builds the quoted form of a record: text capped at max_text bytes (on a UTF-8 boundary),
// task GUID upper-cased, HRESULTs decoded.
Occurrence make_occurrence(const match::PatternDb& db, const records::Record& r, size_t max_text);
// "1FCFF8B4-..." upper-cased; empty when the record has no task.
std::string task_of(const records::Record& r);
void append_task(std::string& out, std::string_view task);  // the same, appended

struct FindingState {
  uint64_t count = 0;
  std::optional<TimeMs> first_seen, last_seen;
  std::vector<Occurrence> occurrences;     // first max_occurrences
  std::vector<std::string> jobs;           // distinct task GUIDs, first seen first, capped
};

// A bounded sample of evidence hits for one (rule, cause): the first and the last ones.
struct EvidenceSample {
  uint64_t count = 0;
  std::vector<Evidence> head;
  std::deque<Evidence> tail;
  void add(Evidence e) {
    ++count;
    if (head.size() < kEvidenceHead) { head.push_back(std::move(e)); return; }
    tail.push_back(std::move(e));
    if (tail.size() > kEvidenceTail) tail.pop_front();
  }
  template <class Fn> void each(Fn&& fn) const {
    for (const auto& e : head) fn(e);
    for (const auto& e : tail) fn(e);
  }
};

struct JobState {
  std::string id, type, source;
  uint64_t order = 0;                      // first-seen order within the case
  std::optional<TimeMs> first_time, last_time, end;
  bool started = false, ended = false, succeeded = false, failed = false;
  bool error_finding = false;              // a trigger of severity >= error carried the GUID
  std::string failure;                     // from the first failure marker
  std::string finding_failure;             // from the first error finding, if no marker says
  std::vector<JobPhase> phases;
  std::string last_state;
  const match::Marker* state_marker = nullptr;  // the marker that set last_state (its states table)
  std::vector<int> findings;               // rule indices, first seen first
  // Where the boundaries were logged: the earliest marker, the first failure marker (or the
  // first error finding), the latest end marker.
  std::optional<Occurrence> start_occ, failure_occ, finding_failure_occ, end_occ;
  std::string failure_message;
  // Phases reached when the failure was seen, and the phase the failure marker itself names
  // ("Failed", "Completed with errors"), which is not where the job was.
  size_t failure_phase_count = 0, finding_failure_phase_count = 0;
  std::string failure_own_phase;
  std::vector<Occurrence> events;          // joined CloudBackup events (capped)
};

inline constexpr size_t kMaxJoinedEvents = 16;
// Event times and errlog times come from different clocks (and the errlog's zone is a guess):
// an event job joins an errlog job whose span is within this distance of its own.
inline constexpr int64_t kEventJoinToleranceMs = 5LL * 60 * 1000;

// A CloudBackup event marker (1/3/10/11), joined to jobs at finish().
struct EventMarkerHit {
  int marker = -1;
  std::string source;
  uint64_t line = 0, record_id = 0;
  std::optional<TimeMs> time;
  std::string text;
};

struct CaseState {
  std::string input;
  size_t ordinal = 0;
  bool begun = false;                      // false: the unnamed case before any begin_input
  uint64_t files = 0, records = 0, bytes = 0;
  std::vector<InputProblem> errors;
  std::map<int, FindingState> findings;                       // by rule index
  std::map<std::pair<int, int>, EvidenceSample> evidence;     // by (rule, cause)
  std::map<std::string, JobState> jobs;                       // by task GUID
  JobState* last_job = nullptr;                               // the one last looked up
  std::vector<EventMarkerHit> event_markers;                  // capped
};

// Applies one marker (text or event) to a job. `quote` gives the marker's line as an
// occurrence; it is asked only when the job keeps one or the record is null, since markers
// match a third of a log's lines and most only move a job's times.
using Quote = std::function<const Occurrence&()>;
// `groups` reads the marker's phase and state from the record's text, where the marker's
// pattern matched (`where`, when the matcher knows it).
void apply_marker(const match::Marker& marker, const records::Record* record, match::Where where,
                  const Quote& quote, match::GroupReader& groups, JobState& job);
// Builds the case's jobs (errlog jobs plus event-only jobs), joining event markers by time.
std::vector<Job> build_jobs(const match::PatternDb& db, CaseState& c);
// Ranks the causes of one finding against the evidence of its case.
std::vector<RankedCause> rank_causes(const match::PatternDb& db, int rule, const CaseState& c,
                                     const std::vector<Occurrence>& occurrences,
                                     size_t max_evidence, int64_t window_ms);

}  // namespace marsscan::analysis
