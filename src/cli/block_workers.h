// Parallel matching within one leaf: blocks of lines are kept (or copied) and scanned by worker threads, and
// the matches are handed on in block order by the thread that reads the leaf. The workers parse the
// records; their times are resolved at hand-on time with the leaf's own YearResolver, so times
// (which depend on the order in which matched lines are resolved) and everything else come out
// exactly as with one thread.
// The reading thread matches a block itself whenever it would otherwise wait for the workers.
// Memory: at most (workers + 3) blocks in flight.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "match/matcher.h"

namespace marsscan::cli {

class BlockWorkers {
 public:
  BlockWorkers(const match::Matcher& matcher, unsigned threads);
  ~BlockWorkers();
  BlockWorkers(const BlockWorkers&) = delete;
  BlockWorkers& operator=(const BlockWorkers&) = delete;

  // Called after a block's matches were handed on, with the block (its copy: the matches'
  // texts point into it), for a consumer that needs the lines around them (grep context).
  using BlockFn = std::function<void(std::string_view source, const input::TextBlock& block)>;

  // Queues a block of `source` (copied); may first hand on finished blocks to `fn` (in order),
  // waiting when too many are in flight. `years`, the leaf's resolver, is kept until the block
  // is handed on, so blocks of several leaves may be in flight.
  void submit(std::string_view source, const input::TextBlock& block,
              std::shared_ptr<records::YearResolver> years, const match::MatchFn& fn,
              const BlockFn& done = {});
  // Queues `call` to run on the calling thread once everything queued before it is handed on:
  // per-leaf work (start, totals) stays in order with the leaf's blocks, while the next leaf
  // is read. May hand on finished blocks to `fn` and `done` first, like submit.
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
  void work();
  void run(Job& job);
  // Matches one block not yet taken by a worker, on the calling thread; false when none is.
  bool run_queued();
  void hand_on(Job& job, const match::MatchFn& fn, const BlockFn& done);
  bool hand_on_front(const match::MatchFn& fn, const BlockFn& done, bool wait);
  // Hands on until fewer than max_in_flight_ jobs are in flight; then a free job.
  std::unique_ptr<Job> make_room(const match::MatchFn& fn, const BlockFn& done);

  const match::Matcher& matcher_;
  size_t max_in_flight_;
  std::mutex mutex_;
  std::condition_variable todo_, finished_;
  std::deque<std::unique_ptr<Job>> order_;   // every job not yet handed on, in block order
  std::deque<Job*> queue_;                   // jobs not yet taken by a worker
  std::vector<std::unique_ptr<Job>> spare_;  // recycled buffers
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace marsscan::cli
