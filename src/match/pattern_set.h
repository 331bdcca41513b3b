// A group of text patterns matched together by RE2::Set (unanchored): for a text, which of
// them match, exactly as each pattern's own RE2 would say. Used on every line when the
// prefilter is off or cannot help, and for match(record).
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include <re2/set.h>

#include "match/regex.h"

namespace marsscan::match {

class PatternSet {
 public:
  PatternSet() = default;
  // `regexes` is indexed like PatternDb::patterns; `patterns` picks the members.
  using Regexes = std::vector<LazyRegex>;
  PatternSet(const Regexes& regexes, const std::vector<int>& patterns);
  bool empty() const { return patterns_.empty(); }
  // Appends the db indices of the patterns that match `text` to `out` (unsorted).
  // `tmp` is caller-owned scratch so that matching allocates nothing once warmed up.
  void match(std::string_view text, std::vector<int>& out, std::vector<int>& tmp) const;

 private:
  const Regexes* regexes_ = nullptr;
  std::vector<int> patterns_;      // set index -> db index
  std::unique_ptr<RE2::Set> set_;  // null when RE2 could not build it: patterns one by one
};

}  // namespace marsscan::match
