// The searcher of `marsscan grep`: walks inputs, lets the matcher find lines, and decides
// which lines are printed (matches, -A/-B/-C context, -m limits) or only counted (-c, -l,
// -L, -q). Printing itself is the printer's business (grep_print.h).
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/block_workers.h"
#include "cli/grep_print.h"
#include "cli/leaf_workers.h"
#include "input/source.h"
#include "match/matcher.h"
#include "records/reader.h"

namespace marsscan::cli {

struct SearchSettings {
  enum class Mode { Lines, Count, FilesWithMatches, FilesWithoutMatch, Quiet } mode = Mode::Lines;
  size_t before = 0, after = 0;
  bool context = false;             // -A/-B/-C given (even 0): "--" between groups, as grep
  uint64_t max_count = std::numeric_limits<uint64_t>::max();  // matching lines per leaf
  bool spans = false;               // compute matched ranges (colour, -o, --json)
  const std::ostream* out = nullptr;  // once it fails (a closed pipe), the search stops
  const std::atomic<bool>* cancel = nullptr;  // once set (another input ended the run), too
  std::ostream* err = nullptr;      // read errors (null: standard error)
};

// What a search needs to search whole leaves on LeafWorkers threads (leaves of a zip on disk:
// inflating them is most of the work). Each is searched by a search of its own printing
// into pieces of output that are written to `out`, and its errors to the search's err, in
// leaf order.
struct LeafSharing {
  LeafWorkers* leaves = nullptr;
  PrinterFactory make_printer;
  std::ostream* out = nullptr;      // where the search's printer writes
};

class GrepSearch final : public input::LeafVisitor, public records::RecordSink {
 public:
  // With `workers`, the blocks of a leaf are matched on their threads and printed here in
  // order, exactly as without (grep -j). With `sharing`, so are whole leaves that can be read
  // on their own and that are a fair share of the work left (see worth_sharing).
  GrepSearch(const match::Matcher& matcher, GrepPrinter& printer, const SearchSettings& settings,
             const records::ReadOptions& read, BlockWorkers* workers = nullptr,
             const LeafSharing* sharing = nullptr);
  ~GrepSearch() override;
  GrepSearch(const GrepSearch&) = delete;
  GrepSearch& operator=(const GrepSearch&) = delete;

  void on_leaf(input::Leaf& leaf) override;
  void on_error(const input::InputError& e) override;
  void on_text(std::string_view source, const input::TextBlock& block,
               records::YearResolver& years) override;
  void on_text_reader(std::string_view source, input::TextReader& text, records::YearResolver& years,
                      uint64_t& lines) override;
  void on_event(const records::Record& record) override;

  // Hands on what the workers still hold: call after each walk, before stats().
  void finish();
  const GrepStats& stats() const { return total_; }
  bool had_error() const { return had_error_; }
  // Whether a line was printed (match or context): then, with context, a "--" goes before this
  // search's output when another search printed before it, as GNU grep between files.
  bool printed_lines() const { return printed_group_; }

 private:
  struct Hit {
    uint64_t number;
    size_t offset;                  // in the block
    std::string_view text;
    std::string rules;
    std::vector<std::pair<size_t, size_t>> spans;
  };
  bool describe(const match::Match& m, std::string_view text, std::string& rules,
                std::vector<std::pair<size_t, size_t>>& spans) const;
  void collect(const match::Match& m);  // a matched line of the current block -> hits_
  void print_block(std::string_view source, const input::TextBlock& block);  // and its hits_
  void drain();
  // Runs `call` now, or with workers once everything before it is printed.
  void in_order(std::function<void()> call);
  void begin_leaf();
  void end_leaf(const std::string& name, uint64_t bytes);
  bool want_more() const;
  void print_context(std::string_view source, uint64_t number, uint64_t offset, std::string_view text);
  void print_hit(std::string_view source, const Hit& h, uint64_t base);
  // Whether `leaf` goes to a LeafWorkers thread: when it is big enough to pay for the hand-off
  // and one thread can take it whole while the others have as much left to do. One big member
  // alone is better read here, its blocks matched by every thread.
  static constexpr uint64_t kMinShared = 1u << 20;
  bool worth_sharing(const input::Leaf& leaf) const;
  void share(const input::Leaf& leaf, std::shared_ptr<input::ByteReader> reader);
  // Whether `leaf`, small, is searched here at once with its output queued behind the shared
  // leaves under way, rather than wait for them to finish.
  static constexpr uint64_t kMaxAside = 4u << 20;
  bool worth_aside(const input::Leaf& leaf) const;
  void search_aside(const input::Leaf& leaf);
  // Searches `leaf` through `reader` with a search of its own, as on_leaf would here; what it
  // prints and finds become calls `put` hands on, to be run here in order.
  using Put = std::function<void(std::function<void()>, size_t)>;
  void search_alone(const input::Leaf& leaf, input::ByteReader& reader, const Put& put);
  // A shared leaf's output, in order: its first piece, when it holds the leaf's first printed
  // line (`first_group`), needs a "--" before it if anything was printed before.
  void write_piece(const std::string& bytes, bool first_group);

  const match::Matcher& matcher_;
  GrepPrinter& printer_;
  SearchSettings s_;
  const records::ReadOptions& read_;
  GrepStats total_, leaf_;
  bool had_error_ = false;
  std::vector<Hit> hits_;
  BlockWorkers* workers_;
  const LeafSharing* sharing_;
  uint64_t shared_bytes_ = 0;       // declared sizes of the shared leaves not handed on yet
  bool one_block_ = false;          // the leaf being read is not worth the workers
  std::atomic<bool> out_failed_{false};  // the shared leaves' searches stop reading
  std::shared_ptr<records::YearResolver> years_;  // with workers: the leaf's resolver
  match::MatchFn collect_;
  BlockWorkers::BlockFn print_;
  // Context state of the current leaf.
  uint64_t leaf_offset_ = 0;        // decoded bytes before the current block
  uint64_t last_printed_ = 0;       // number of the last line printed in this leaf
  uint64_t after_until_ = 0;        // print context lines up to this number
  bool printed_group_ = false;      // anything printed yet (for "--" separators)
  struct Saved { uint64_t number, offset; std::string text; };
  std::deque<Saved> tail_;          // last lines of the previous block, for -B
};

}  // namespace marsscan::cli
