// The matcher: every text regex of the database scanned together. A literal/regex prefilter
// (Vectorscan, in prefilter mode) runs over a whole block of lines; RE2, the matcher of
// record, then confirms only the candidate lines. Results are identical with the prefilter
// off (MatcherOptions::prefilter = false), which runs RE2::Set on every line.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "input/text.h"
#include "match/rule.h"
#include "records/errlog.h"
#include "records/record.h"

namespace marsscan::match {

struct MatcherOptions {
  bool prefilter = true;
  // When set, only these patterns are reported (grep --rule/--severity, ad-hoc -e).
  // `enabled` is indexed like PatternDb::patterns, `enabled_events` like event_patterns;
  // once either is non-empty both restrict, and an index past a vector's end is disabled.
  std::vector<bool> enabled;
  std::vector<bool> enabled_events;
  // Source filters of patterns are not applied (samples are checked without a leaf name).
  bool ignore_source = false;
};

// A text pattern the prefilter cannot narrow down: RE2 checks it on every line.
struct UnfilteredPattern {
  int pattern;
  std::string reason;    // Vectorscan's error, or "matches the empty string"
};

// Where a pattern matched in a record's text: the leftmost match, [begin, end). Known only
// for patterns with named groups (the analysis reads them, groups.h); else kUnknown.
struct Where {
  static constexpr uint32_t kUnknown = UINT32_MAX;
  uint32_t begin = kUnknown, end = kUnknown;
};

// A record and the patterns (indices into PatternDb::patterns / event_patterns) it matched;
// `where` is empty or parallel to `patterns`.
struct Match {
  const records::Record* record;
  std::span<const int> patterns;
  std::span<const int> event_patterns;
  std::span<const Where> where;
};
using MatchFn = std::function<void(const Match&)>;

class Matcher {
 public:
  Matcher(const PatternDb& db, MatcherOptions options = {});
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Scans a block of lines of `source`; for each line that matches at least one pattern,
  // builds its record (errlog fields parsed, time resolved) and calls fn, in line order.
  // Safe to call from several threads at once (each call uses its own scratch).
  void scan(std::string_view source, const input::TextBlock& block, records::YearResolver& years,
            const MatchFn& fn) const;
  // Matches one record (an event, or a line already built); calls fn when anything matched.
  void match(const records::Record& record, const MatchFn& fn) const;

  const PatternDb& db() const { return db_; }
  // Enabled patterns that are checked on every line (empty when the prefilter is off).
  const std::vector<UnfilteredPattern>& unfiltered() const;
 private:
  const PatternDb& db_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marsscan::match
