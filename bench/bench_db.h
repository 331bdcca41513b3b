// The built-in pattern database and its matchers, built once per benchmark process.
#pragma once
#include "match/matcher.h"
#include "match/rule.h"

namespace marsscan::bench {

const match::PatternDb& database();
// Every pattern (what `report` scans for: triggers, evidence, job markers).
const match::Matcher& matcher(bool prefilter);
// Only the rules' triggers (what `grep` scans for).
const match::Matcher& trigger_matcher();

}  // namespace marsscan::bench
