// Parallel matching within one leaf. Whichever thread is free reads the leaf's next block and
// matches it itself, while its bytes are still in that core's cache; the matches are handed on
// in block order by the thread that reads the leaf (the calling thread), which reads and
// matches too whenever it has nothing to hand on. Reading stays serial (one reader, under a
// lock); matching runs on every thread.
// The workers parse the records; their times are resolved at hand-on time with the leaf's own
// YearResolver, so times (which depend on the order in which matched lines are resolved) and
// everything else come out exactly as with one thread.
// Memory: at most (workers + 3) blocks in flight.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "input/text.h"
#include "match/matcher.h"

namespace marsscan::cli {

class BlockWorkers {
 public:
  // The workers that `jobs` threads in all (-j) take on this machine: jobs - 1, but no more
  // threads than cores. Beyond the cores, threads only take turns at the reader's lock and lose
  // it when they are descheduled (-j 8 on two cores: grep 28 %, report 19 % slower than -j 2).
  // 0: one thread reads and matches alone.
  static unsigned workers_for(unsigned jobs);

  // Whether a leaf of `size` is worth reading by pull(): one smaller than a block is not, the
  // threads could only take turns at it (the caller reads it itself, after drain()).
  static bool worth_it(std::optional<uint64_t> size) { return !size || *size >= input::kTextChunk; }

  BlockWorkers(const match::Matcher& matcher, unsigned threads);
  ~BlockWorkers();
  BlockWorkers(const BlockWorkers&) = delete;
  BlockWorkers& operator=(const BlockWorkers&) = delete;

  // Called after a block's matches were handed on, with the block (the matches' texts point
  // into it), for a consumer that needs the lines around them (grep context).
  using BlockFn = std::function<void(std::string_view source, const input::TextBlock& block)>;

  struct Pulled {
    bool ended = false;  // text.next() said false; else `more` said false first
  };
  // Reads the blocks of `text`, a leaf of `source`, on every thread (see above), adding each
  // block's lines to `lines` as it is read. Hands on finished blocks to `fn` and `done` (in
  // order, on this thread) meanwhile. Returns once the reader is at its end, or once `more`
  // (asked on this thread between hand-ons) says false: the caller then reads the rest itself.
  // The leaf's last blocks may still be in flight; `years`, the leaf's resolver, is kept until
  // they are handed on, so blocks of several leaves may be in flight. When the reader throws,
  // rethrows that once no thread uses `text` any more; the blocks read before stay queued.
  Pulled pull(std::string_view source, input::TextReader& text,
              std::shared_ptr<records::YearResolver> years, uint64_t& lines,
              const match::MatchFn& fn, const BlockFn& done = {},
              const std::function<bool()>& more = {});
  // Queues `call` to run on the calling thread once everything queued before it is handed on:
  // per-leaf work (start, totals) stays in order with the leaf's blocks, while the next leaf
  // is read. May hand on finished blocks to `fn` and `done` first.
  void submit_call(std::function<void()> call, const match::MatchFn& fn, const BlockFn& done = {});
  // Waits for every queued block and hands on its matches, in order.
  void drain(const match::MatchFn& fn, const BlockFn& done = {});
  // Waits for every queued block and drops its matches and calls (after an error).
  void discard();

 private:
  struct Hit {
    records::Record record;           // as the worker parsed it: views into Job::data, no time yet
    size_t first, count;              // its patterns in Job::patterns
  };
  struct Job {
    std::string source;
    std::string copy;                    // the block's bytes, when its owner does not keep them
    std::shared_ptr<const void> owner;   // else what keeps them (TextBlock::owner)
    std::string_view data;               // the block's bytes, in one or the other
    uint64_t first_line = 0, lines = 0;
    bool ascii = false;
    std::shared_ptr<records::YearResolver> years;
    std::vector<Hit> hits;
    std::vector<int> patterns;
    std::vector<match::Where> where;      // parallel to patterns
    std::exception_ptr error;
    std::function<void()> call;          // an ordered call (submit_call), not a block
    bool done = false;
  };
  // The leaf being read (pull). Its reader is used under read_mutex only.
  struct Leaf {
    input::TextReader* text;
    std::string_view source;
    std::shared_ptr<records::YearResolver> years;
    uint64_t* lines;
    std::mutex read_mutex;
    bool at_end = false;                 // under read_mutex: next() said false or threw
    std::exception_ptr error;            // under read_mutex: what it threw
  };
  void work();
  void run(Job& job);
  // With a slot taken (readers_ counted): reads the leaf's next block and matches it. False
  // when there was none.
  bool read_and_run(Leaf& leaf);
  // Whether a thread may read the next block now (mutex_ held).
  bool can_read() const;
  void hand_on(Job& job, const match::MatchFn& fn, const BlockFn& done);
  bool hand_on_front(const match::MatchFn& fn, const BlockFn& done, bool wait);
  std::unique_ptr<Job> fresh_job();  // mutex_ held

  const match::Matcher& matcher_;
  size_t max_in_flight_;
  std::mutex mutex_;
  std::condition_variable todo_, finished_;
  std::deque<std::unique_ptr<Job>> order_;   // every job not yet handed on, in block order
  std::vector<std::unique_ptr<Job>> spare_;  // recycled buffers
  Leaf* leaf_ = nullptr;                     // set while pull() runs and more blocks may be read
  size_t readers_ = 0;                       // threads between taking a slot and queueing a block
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace marsscan::cli
