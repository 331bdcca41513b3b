// `marsscan patterns check`: every rule's samples run through the real matching path (a line
// sample becomes a block scanned by the Matcher, which builds its record with
// records::make_line_record; an event sample becomes a records::Event), once with the
// prefilter and once without, and both must agree. A sample must fire the rule with source
// filters ignored (it proves the trigger matches somewhere); a near-miss must not fire it in
// the agent's main log "Temp/CBEngineCurr.errlog", source filters applied (so the same code
// may fire only in, say, LastBackupFailedFiles*.txt).
#pragma once
#include <string>
#include <vector>

#include "match/rule.h"

namespace marsscan::match {

struct SampleFailure {
  std::string rule;      // rule id
  std::string sample;    // the line, or the event sample written as "id=18 channel=..."
  std::string message;   // "did not match", "near-miss matched",
                         // "cause X evidence sample did not match", ...
  Origin origin;         // where the rule is defined
  std::string to_string() const;  // "file:line: RULE: message: sample"
};

std::vector<SampleFailure> check_samples(const PatternDb& db);

// Not errors: text patterns the prefilter cannot narrow, so RE2 runs them on every line.
struct PatternWarning {
  std::string rule;      // rule id, or the marker id
  Origin origin;         // the pattern's origin
  std::string message;
  std::string to_string() const;
};

std::vector<PatternWarning> check_warnings(const PatternDb& db);

}  // namespace marsscan::match
