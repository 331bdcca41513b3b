#include "cli/pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <exception>
#include <optional>
#include <thread>

#include "cli/block_workers.h"
#include <fmt/format.h>

#include "input/source.h"
#include "records/reader.h"

namespace marsscan::cli {

namespace {

// --time-budget: a deadline per top-level input, checked as its bytes are read and as its
// blocks are scanned. Once spent, the leaf being read stops and the rest of the input is
// skipped, with one error naming them.
class Budget {
 public:
  Budget(const std::string& input, double seconds)
      : input_(input), seconds_(seconds),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(seconds > 0 ? seconds : 0))) {}
  bool spent() const { return seconds_ > 0 && std::chrono::steady_clock::now() >= deadline_; }
  // Throws the error that stops the current leaf (read_leaf reports it under the leaf's name).
  void check() {
    if (!spent()) return;
    tripped_ = true;
    throw input::InputError{"", message()};
  }
  std::string message() const {
    return fmt::format("time budget of {} s for '{}' spent (--time-budget); the rest of this input "
                       "is skipped", seconds_, input_);
  }
  bool tripped() const { return tripped_; }
  void set_tripped() { tripped_ = true; }

 private:
  std::string input_;
  double seconds_;
  std::chrono::steady_clock::time_point deadline_;
  bool tripped_ = false;
};

class BudgetReader final : public input::ByteReader {
 public:
  BudgetReader(input::ByteReader& inner, Budget& budget) : inner_(inner), budget_(budget) {}
  size_t read(char* buf, size_t n) override {
    budget_.check();
    return inner_.read(buf, n);
  }
 private:
  input::ByteReader& inner_;
  Budget& budget_;
};

// Feeds one top-level input through the stages into an analyzer.
class InputScan final : public input::LeafVisitor, public records::RecordSink {
 public:
  // With `workers`, the blocks of each leaf are matched in parallel (see block_workers.h).
  InputScan(const match::Matcher& matcher, analysis::Analyzer& analyzer,
            const records::ReadOptions& read, Budget& budget, BlockWorkers* workers = nullptr)
      : matcher_(matcher), analyzer_(analyzer), read_(read), budget_(budget), workers_(workers) {
    add_ = [this](const match::Match& m) { analyzer_.add(m); };
  }

  void on_leaf(input::Leaf& leaf) override {
    if (budget_.tripped()) return;  // said once already
    if (budget_.spent()) {
      budget_.set_tripped();
      on_error({leaf.name, budget_.message()});
      return;
    }
    std::optional<BudgetReader> timed;
    if (leaf.reader) leaf.reader = &timed.emplace(*leaf.reader, budget_);
    records::ReadOptions options = read_;
    options.time.mtime = leaf.mtime;
    // The reader's resolver ends with read_leaf, before the workers' last blocks are handed on,
    // so those records get their times from a twin built from the same context (reader.cpp).
    // The next leaf is read while this one's last blocks are matched: the analyzer hears them in
    // order all the same, and a bundle of many files keeps both cores busy across its leaves.
    if (workers_) years_ = std::make_shared<records::YearResolver>(options.time);
    one_block_ = !BlockWorkers::worth_it(leaf.size);
    records::ReadStats stats = records::read_leaf(leaf, options, *this);
    analyzer_.count(1, stats.records, stats.bytes);
  }
  void on_error(const input::InputError& e) override {
    drain();
    analyzer_.add_error({e.source, e.message});
  }
  void on_text(std::string_view source, const input::TextBlock& block,
               records::YearResolver& years) override {
    budget_.check();
    drain();  // the blocks of the leaves before, when this one is read here
    matcher_.scan(source, block, years, add_);
  }
  void on_text_reader(std::string_view source, input::TextReader& text, records::YearResolver& years,
                      uint64_t& lines) override {
    // The workers read the blocks themselves: the budget is checked as they read (BudgetReader).
    // A leaf of one block is read here (BlockWorkers::worth_it).
    if (workers_ && !one_block_)
      workers_->pull(source, text, years_, lines, add_);
    else
      RecordSink::on_text_reader(source, text, years, lines);
  }
  void on_event(const records::Record& record) override {
    drain();
    matcher_.match(record, add_);
  }

 private:
  const match::Matcher& matcher_;
  analysis::Analyzer& analyzer_;
  const records::ReadOptions& read_;
  Budget& budget_;
  BlockWorkers* workers_;
  std::shared_ptr<records::YearResolver> years_;  // with workers: the current leaf's resolver
  bool one_block_ = false;                        // the leaf being read is not worth the workers
  match::MatchFn add_;

 public:
  // Everything the analyzer hears arrives in file order, whatever the workers are doing.
  void drain() {
    if (workers_) workers_->drain(add_);
  }
};

// Tells ScanSettings::progress about each leaf before the scan reads it.
class ProgressVisitor final : public input::LeafVisitor {
 public:
  ProgressVisitor(input::LeafVisitor& inner, const ScanSettings& s, size_t ordinal)
      : inner_(inner), s_(s), ordinal_(ordinal) {}
  void on_leaf(input::Leaf& leaf) override {
    s_.progress(ordinal_, leaf.name, false);
    inner_.on_leaf(leaf);
  }
  void on_error(const input::InputError& e) override { inner_.on_error(e); }
 private:
  input::LeafVisitor& inner_;
  const ScanSettings& s_;
  size_t ordinal_;
};

void scan_one(const std::string& input, size_t ordinal, const ScanSettings& s,
              const records::ReadOptions& read, const match::Matcher& matcher,
              analysis::Analyzer& analyzer, BlockWorkers* workers = nullptr) {
  analyzer.begin_input(input, ordinal);
  Budget budget(input, s.input.time_budget);
  InputScan scan(matcher, analyzer, read, budget, workers);
  if (s.progress) s.progress(ordinal, "", false);
  struct Done {  // also when the walk throws
    const ScanSettings& s;
    size_t i;
    ~Done() { if (s.progress) s.progress(i, "", true); }
  } done{s, ordinal};
  ProgressVisitor told(scan, s, ordinal);
  try {
    input::walk(input, s.input.walk, s.progress ? static_cast<input::LeafVisitor&>(told) : scan);
    scan.drain();  // before the next input's case begins
  } catch (const std::exception& e) {
    // A stage let an exception escape: report it against the input rather than abort the run.
    // The blocks read before it still count, as they do on one thread.
    try {
      scan.drain();
    } catch (const std::exception&) {
      if (workers) workers->discard();  // nothing of this input may reach the next one
    }
    analyzer.add_error({input, std::string("internal error: ") + e.what()});
  }
}

}  // namespace

analysis::Report scan_inputs(const ScanSettings& s, const match::Matcher& matcher) {
  const records::ReadOptions read = s.input.read_options();
  const auto& inputs = s.input.inputs;
  analysis::Analyzer total(matcher.db(), s.analysis);
  const unsigned jobs = std::max(1u, s.input.jobs);
  if (jobs > 1 && inputs.size() < jobs) {
    // Fewer inputs than threads (typically one big file): the threads share each leaf's blocks.
    // This thread is busy too (the analysis of every match, in order), so it counts as one of
    // the N: N - 1 workers read and match blocks, and it does whenever it has nothing to hand on.
    if (const unsigned n = BlockWorkers::workers_for(jobs)) {
      BlockWorkers workers(matcher, n);
      for (size_t i = 0; i < inputs.size(); ++i) scan_one(inputs[i], i, s, read, matcher, total, &workers);
      return total.finish();
    }
  }
  unsigned threads = std::max(1u, std::min<unsigned>(jobs, inputs.size()));
  if (threads == 1) {
    for (size_t i = 0; i < inputs.size(); ++i) scan_one(inputs[i], i, s, read, matcher, total);
    return total.finish();
  }
  std::vector<std::unique_ptr<analysis::Analyzer>> parts;
  for (unsigned t = 0; t < threads; ++t)
    parts.push_back(std::make_unique<analysis::Analyzer>(matcher.db(), s.analysis));
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i; (i = next.fetch_add(1)) < inputs.size();)
        scan_one(inputs[i], i, s, read, matcher, *parts[t]);
    });
  }
  for (auto& th : pool) th.join();
  for (auto& p : parts) total.merge(std::move(*p));
  return total.finish();
}

}  // namespace marsscan::cli
