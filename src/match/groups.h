// Named groups of the database's regexes, read from matched text ("phase", "state" of the job
// markers). Marker lines repeat the same matched text under different time stamps ("Backup
// Progress: Data transfer started"), and RE2's capture pass costs about three plain matches:
// it runs once per distinct match (its bytes and the bytes either side, which assertions like
// \b may look at); every other line costs at most one match to find where the regex matched
// (none when the matcher says where: Match::where).
// Not thread-safe: one reader per thread.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/matcher.h"
#include "match/rule.h"

namespace marsscan::match {

class GroupReader {
 public:
  explicit GroupReader(const PatternDb& db) : db_(db) {}
  // The text of group `name` in the leftmost match of pattern `pattern` (PatternDb::patterns)
  // in `text`, exactly as RE2::Match with submatches gives it; empty when the regex does not
  // match, has no such group, or the group took no part. `where`: the leftmost match when the
  // matcher already knows it. Valid until the next call.
  std::string_view group(int pattern, std::string_view text, std::string_view name,
                         Where where = {});

 private:
  const PatternDb& db_;
  // Per pattern: the group names asked for and their indices (-1: no such group).
  std::unordered_map<int, std::vector<std::pair<std::string, int>>> index_;
  std::unordered_map<std::string, std::string> memo_;  // key (see groups.cpp) -> value
  std::string key_, value_;
};

}  // namespace marsscan::match
