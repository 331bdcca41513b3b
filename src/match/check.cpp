#include "match/check.h"

#include <algorithm>

#include <fmt/format.h>

#include "match/matcher.h"
#include "records/errlog.h"

namespace marsscan::match {

namespace {

struct Fired {
  std::vector<int> patterns, events;
};

// The leaf name near-misses are checked in: the agent's main log, where a source-filtered
// trigger (say, one for LastBackupFailedFiles*.txt) does not apply.
constexpr const char* kNearMissSource = "Temp/CBEngineCurr.errlog";

// What a line sample matches, through Matcher::scan exactly as a log line would.
Fired scan_line(const Matcher& m, const std::string& line, const char* source) {
  std::string data = line + "\n";
  input::TextBlock block{data, 1, 1};
  records::YearResolver years(records::TimeContext{});
  Fired out;
  m.scan(source, block, years, [&](const Match& match) {
    out.patterns.insert(out.patterns.end(), match.patterns.begin(), match.patterns.end());
  });
  return out;
}

records::Event make_event(const EventSample& s) {
  records::Event e;
  e.format = "sample";
  e.provider = s.provider;
  e.channel = s.channel;
  e.event_id = s.id;
  e.level = s.level;
  e.message = s.message;
  std::vector<std::pair<int, std::string>> unnamed;  // "#N" keys, in N order
  for (const auto& [name, value] : s.data) {
    if (!name.empty() && name[0] == '#')
      unnamed.emplace_back(std::atoi(name.c_str() + 1), value);
    else
      e.data.push_back({name, value});
  }
  std::sort(unnamed.begin(), unnamed.end());
  int next = 0;
  for (const auto& [n, value] : unnamed) {
    for (; next < n; ++next) e.data.push_back({"", ""});
    e.data.push_back({"", value});
    next = n + 1;
  }
  return e;
}

Fired match_event(const Matcher& m, const records::Event& e) {
  std::string text = e.text();
  records::Record r;
  r.kind = records::RecordKind::Event;
  r.source = "sample";
  r.line = 1;
  r.text = text;
  r.event = &e;
  Fired out;
  m.match(r, [&](const Match& match) {
    out.patterns.assign(match.patterns.begin(), match.patterns.end());
    out.events.assign(match.event_patterns.begin(), match.event_patterns.end());
  });
  return out;
}

std::string describe(const EventSample& s) {
  std::string out = fmt::format("id={}", s.id);
  if (!s.channel.empty()) out += " channel=" + s.channel;
  if (!s.provider.empty()) out += " provider=" + s.provider;
  if (s.level >= 0) out += fmt::format(" level={}", s.level);
  if (!s.message.empty()) out += " message=" + s.message;
  for (const auto& [k, v] : s.data) out += fmt::format(" {}={}", k, v);
  return out;
}

class Checker {
 public:
  explicit Checker(const PatternDb& db)
      : db_(db),
        filtered_(db, MatcherOptions{true, {}, {}, true}),
        plain_(db, MatcherOptions{false, {}, {}, true}),
        filtered_sourced_(db, MatcherOptions{true, {}, {}, false}),
        plain_sourced_(db, MatcherOptions{false, {}, {}, false}) {}

  std::vector<SampleFailure> run() {
    for (size_t i = 0; i < db_.rules.size(); ++i) rule(static_cast<int>(i));
    return std::move(failures_);
  }

 private:
  const PatternDb& db_;
  Matcher filtered_, plain_;                  // source filters ignored: samples
  Matcher filtered_sourced_, plain_sourced_;  // source filters applied: near-misses
  std::vector<SampleFailure> failures_;

  void fail(const Rule& r, std::string sample, std::string message) {
    failures_.push_back({r.id, std::move(sample), std::move(message), r.origin});
  }

  // The line's matches, checked to be the same with and without the prefilter.
  Fired line(const Rule& r, const std::string& sample, bool near_miss = false) {
    if (sample.find('\n') != std::string::npos) {
      fail(r, sample, "a sample must be one line");
      return {};
    }
    const char* source = near_miss ? kNearMissSource : "sample";
    Fired a = scan_line(near_miss ? filtered_sourced_ : filtered_, sample, source);
    Fired b = scan_line(near_miss ? plain_sourced_ : plain_, sample, source);
    if (a.patterns != b.patterns) fail(r, sample, "the prefilter and RE2 disagree on this line");
    return a;
  }

  bool fires(int rule, const Fired& f) const {
    for (int p : f.patterns) {
      const PatternOwner& o = db_.patterns[static_cast<size_t>(p)].owner;
      if (o.kind == PatternOwner::Trigger && o.rule == rule) return true;
    }
    for (int p : f.events) {
      const PatternOwner& o = db_.event_patterns[static_cast<size_t>(p)].owner;
      if (o.kind == PatternOwner::Trigger && o.rule == rule) return true;
    }
    return false;
  }

  bool evidences(int rule, int cause, const Fired& f) const {
    for (int p : f.patterns) {
      const PatternOwner& o = db_.patterns[static_cast<size_t>(p)].owner;
      if (o.kind == PatternOwner::Evidence && o.rule == rule && o.cause == cause) return true;
    }
    return false;
  }

  void rule(int index) {
    const Rule& r = db_.rules[static_cast<size_t>(index)];
    for (const std::string& s : r.samples)
      if (!fires(index, line(r, s))) fail(r, s, "did not match");
    for (const std::string& s : r.near_misses)
      if (fires(index, line(r, s, true))) fail(r, s, "near-miss matched");
    for (size_t c = 0; c < r.causes.size(); ++c)
      for (const std::string& s : r.causes[c].samples)
        if (!evidences(index, static_cast<int>(c), line(r, s)))
          fail(r, s, fmt::format("cause {} evidence sample did not match", r.causes[c].id));
    for (const EventSample& s : r.event_samples) {
      records::Event e = make_event(s);
      if (!fires(index, match_event(filtered_, e)))
        fail(r, describe(s), "event sample did not match");
    }
    for (const EventSample& s : r.event_near_misses) {
      records::Event e = make_event(s);
      if (fires(index, match_event(filtered_sourced_, e)))
        fail(r, describe(s), "event near-miss matched");
    }
  }
};

}  // namespace

std::string SampleFailure::to_string() const {
  return fmt::format("{}:{}: {}: {}: {}", origin.file, origin.line, rule, message, sample);
}

std::string PatternWarning::to_string() const {
  return fmt::format("{}:{}: {}: {}", origin.file, origin.line, rule, message);
}

std::vector<SampleFailure> check_samples(const PatternDb& db) { return Checker(db).run(); }

std::vector<PatternWarning> check_warnings(const PatternDb& db) {
  Matcher m(db);
  std::vector<PatternWarning> out;
  for (const UnfilteredPattern& u : m.unfiltered()) {
    const Pattern& p = db.patterns[static_cast<size_t>(u.pattern)];
    std::string owner;
    if (p.owner.kind == PatternOwner::Marker && p.owner.marker >= 0)
      owner = db.markers[static_cast<size_t>(p.owner.marker)].id;
    else if (p.owner.rule >= 0)
      owner = db.rules[static_cast<size_t>(p.owner.rule)].id;
    out.push_back({owner, p.origin,
                   fmt::format("regex '{}' is checked on every line (no prefilter): {}", p.regex,
                               u.reason)});
  }
  return out;
}

}  // namespace marsscan::match
