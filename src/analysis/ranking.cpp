// Cause ranking: every evidence hit is scored against every kept occurrence of the finding;
// the best pair is the hit's score, the best hit the cause's score.
#include <algorithm>
#include <cmath>

#include "analysis/case_state.h"

namespace marsscan::analysis {

namespace {

constexpr int kSameTask = 300, kSameSource = 200, kSameCase = 100;
constexpr int kEarlierMax = 60, kLaterMax = 20;

// Closeness on a log scale of seconds, so that a minute and ten minutes still differ inside
// a window of days: 1 at d = 0, 0 at d = window.
double closeness(int64_t d_ms, int64_t window_ms) {
  const double w = std::log1p(static_cast<double>(window_ms) / 1000.0);
  if (w <= 0) return d_ms == 0 ? 1.0 : 0.0;
  return std::max(0.0, 1.0 - std::log1p(static_cast<double>(d_ms) / 1000.0) / w);
}

// Evidence before the occurrence is what a cause looks like; after it, only a weak hint.
int pair_score(const Occurrence& ev, const Occurrence& occ, int64_t window) {
  int s = kSameCase;
  if (!ev.task.empty() && ev.task == occ.task) s = kSameTask;
  else if (ev.source == occ.source) s = kSameSource;
  if (ev.time && occ.time && window > 0) {
    const int64_t d = *occ.time - *ev.time;  // >= 0: evidence came first
    if (d >= 0 && d <= window) s += static_cast<int>(kEarlierMax * closeness(d, window));
    else if (d < 0 && -d <= window) s += static_cast<int>(kLaterMax * closeness(-d, window));
  }
  return s;
}

int best_score(const Occurrence& ev, const std::vector<Occurrence>& occurrences, int64_t window) {
  int best = kSameCase;
  for (const auto& o : occurrences) best = std::max(best, pair_score(ev, o, window));
  return best;
}

// Deterministic order of equally scored evidence: earlier time, then place.
bool better(const Evidence& a, const Evidence& b) {
  if (a.score != b.score) return a.score > b.score;
  const auto& x = a.occurrence;
  const auto& y = b.occurrence;
  if (x.time.has_value() != y.time.has_value()) return x.time.has_value();
  if (x.time && *x.time != *y.time) return *x.time < *y.time;
  if (x.source != y.source) return x.source < y.source;
  if (x.line != y.line) return x.line < y.line;
  return a.via < b.via;
}

}  // namespace

std::vector<RankedCause> rank_causes(const match::PatternDb& db, int rule, const CaseState& c,
                                     const std::vector<Occurrence>& occurrences,
                                     size_t max_evidence, int64_t window_ms) {
  const match::Rule& r = db.rules[static_cast<size_t>(rule)];
  std::vector<RankedCause> evidenced, possible;
  for (size_t ci = 0; ci < r.causes.size(); ++ci) {
    const match::Cause& cause = r.causes[ci];
    std::vector<Evidence> hits;
    if (auto it = c.evidence.find({rule, static_cast<int>(ci)}); it != c.evidence.end()) {
      it->second.each([&](const Evidence& e) {
        Evidence copy = e;
        copy.score = best_score(e.occurrence, occurrences, window_ms);
        hits.push_back(std::move(copy));
      });
    }
    for (const std::string& id : cause.evidence_rules) {
      const int other = db.rule_index(id);
      if (other < 0 || other == rule) continue;
      auto f = c.findings.find(other);
      if (f == c.findings.end()) continue;
      for (const auto& o : f->second.occurrences) {
        Evidence e{o, "rule:" + id, 0};
        e.score = best_score(o, occurrences, window_ms);
        hits.push_back(std::move(e));
      }
    }
    RankedCause rc;
    rc.cause = &cause;
    if (hits.empty()) {
      possible.push_back(std::move(rc));
      continue;
    }
    std::sort(hits.begin(), hits.end(), better);
    rc.evidenced = true;
    rc.score = hits.front().score;
    if (hits.size() > max_evidence) hits.resize(max_evidence);
    rc.evidence = std::move(hits);
    evidenced.push_back(std::move(rc));
  }
  // Stable: equal scores keep the documented order.
  std::stable_sort(evidenced.begin(), evidenced.end(),
                   [](const RankedCause& a, const RankedCause& b) { return a.score > b.score; });
  for (auto& p : possible) evidenced.push_back(std::move(p));
  return evidenced;
}

}  // namespace marsscan::analysis
