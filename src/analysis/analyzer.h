// The analysis stage: takes matches as they stream by, keeps bounded state (counts are
// exact, quoted occurrences and evidence are capped), and at the end ranks causes, links
// causal chains and builds jobs. Work is proportional to matches, not to lines.
#pragma once
#include <memory>
#include <string>

#include "analysis/model.h"
#include "match/matcher.h"

namespace marsscan::analysis {

struct AnalyzerOptions {
  size_t max_occurrences = 20;      // quoted per finding
  size_t max_evidence = 5;          // quoted per cause
  size_t max_text = 2000;           // bytes of a quoted line
  int64_t evidence_window_ms = 7LL * 24 * 3600 * 1000;  // time closeness horizon
};

class Analyzer {
 public:
  Analyzer(const match::PatternDb& db, AnalyzerOptions options = {});
  ~Analyzer();
  // Starts a case (top-level input); matches until the next call belong to it.
  void begin_input(const std::string& input);
  // Same, with the input's position on the command line: analyzers merged from parallel
  // runs order their cases by it, so the report does not depend on the thread count.
  void begin_input(const std::string& input, size_t ordinal);
  void add(const match::Match& match);
  void add_error(const InputProblem& problem);
  void count(uint64_t files, uint64_t records, uint64_t bytes);
  // Merges another analyzer's state (parallel runs); inputs keep their command-line order.
  void merge(Analyzer&& other);
  Report finish();
 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marsscan::analysis
