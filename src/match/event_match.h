// One EventCondition compiled: every present condition must hold for an event.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "match/rule.h"
#include "records/record.h"

namespace marsscan::match {

class EventMatcher {
 public:
  // A regex that does not compile (the loader rejects those) makes the matcher never match.
  explicit EventMatcher(const EventCondition& condition);
  // `text` is what text triggers see for this event (its message and data values).
  bool matches(const records::Event& event, std::string_view text) const;

 private:
  struct DataCondition {
    std::string name;       // named field; empty for a positional one
    int position = -1;      // "#N": the N-th unnamed field
    std::unique_ptr<RE2> re;
  };
  std::unique_ptr<RE2> provider_, channel_, message_;
  std::vector<uint32_t> ids_;
  int max_level_ = -1;
  std::vector<DataCondition> data_;
  bool ok_ = true;
};

}  // namespace marsscan::match
