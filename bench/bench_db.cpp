#include "bench_db.h"

#include <stdexcept>

#include "match/loader.h"

namespace marsscan::bench {

const match::PatternDb& database() {
  static const match::PatternDb db = [] {
    std::vector<match::LoadError> errors;
    match::PatternDb d = match::load_database(match::LoadOptions{}, errors);
    if (!errors.empty()) throw std::runtime_error("built-in database: " + errors.front().to_string());
    return d;
  }();
  return db;
}

const match::Matcher& matcher(bool prefilter) {
  static const match::Matcher with(database(), match::MatcherOptions{});
  static const match::Matcher without(database(), [] {
    match::MatcherOptions o;
    o.prefilter = false;
    return o;
  }());
  return prefilter ? with : without;
}

const match::Matcher& trigger_matcher() {
  static const match::Matcher m(database(), [] {
    const match::PatternDb& db = database();
    match::MatcherOptions o;
    o.enabled.resize(db.patterns.size());
    for (size_t i = 0; i < db.patterns.size(); ++i)
      o.enabled[i] = db.patterns[i].owner.kind == match::PatternOwner::Trigger;
    o.enabled_events.assign(db.event_patterns.size(), false);
    return o;
  }());
  return m;
}

}  // namespace marsscan::bench
