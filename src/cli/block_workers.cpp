#include "cli/block_workers.h"

#include <algorithm>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "records/errlog.h"

namespace marsscan::cli {

namespace {

// Takes `m`, trying for a while before sleeping on it. The read lock is held for one read
// (about 0.1 ms a MiB); sleeping costs a context switch and a wake-up that on a VM can take
// longer than that (grep -c -j 2 on 1 GiB: 169 context switches, 34 with this, 2 % less wall).
void lock_patiently(std::mutex& m) {
  for (int i = 0; i < 4000; ++i) {  // about 0.1 ms of PAUSE
    if (m.try_lock()) return;
#if defined(__x86_64__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
  }
  m.lock();
}

}  // namespace

unsigned BlockWorkers::workers_for(unsigned jobs) {
  const unsigned cores = std::thread::hardware_concurrency();  // 0: unknown, then as asked
  const unsigned threads = cores ? std::min(jobs, cores) : jobs;
  return threads > 1 ? threads - 1 : 0;
}

BlockWorkers::BlockWorkers(const match::Matcher& matcher, unsigned threads)
    // A block per thread (the workers and the reading thread) and two more, matched and waiting
    // for hand-on behind a slower one. More would only cost memory on machines with many cores.
    : matcher_(matcher), max_in_flight_(static_cast<size_t>(std::max(1u, threads)) + 3) {
  for (unsigned t = 0; t < std::max(1u, threads); ++t) threads_.emplace_back([this] { work(); });
}

BlockWorkers::~BlockWorkers() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  todo_.notify_all();
  for (auto& t : threads_) t.join();
}

void BlockWorkers::work() {
  for (;;) {
    Leaf* leaf;
    {
      std::unique_lock lock(mutex_);
      todo_.wait(lock, [&] { return stop_ || can_read(); });
      if (stop_) return;
      ++readers_;
      leaf = leaf_;
    }
    read_and_run(*leaf);
  }
}

bool BlockWorkers::can_read() const {
  return leaf_ && order_.size() + readers_ < max_in_flight_;
}

std::unique_ptr<BlockWorkers::Job> BlockWorkers::fresh_job() {
  std::unique_ptr<Job> job;
  if (!spare_.empty()) {
    job = std::move(spare_.back());
    spare_.pop_back();
  } else {
    job = std::make_unique<Job>();
  }
  job->error = nullptr;
  job->call = nullptr;
  job->done = false;
  return job;
}

bool BlockWorkers::read_and_run(Leaf& leaf) {
  Job* mine = nullptr;
  bool last;
  {
    lock_patiently(leaf.read_mutex);
    std::lock_guard read_lock(leaf.read_mutex, std::adopt_lock);
    if (!leaf.at_end) {
      // Nothing may escape: this thread holds a slot (readers_) that pull() waits for. A block
      // that cannot be queued ends the leaf with the error, so the user hears of it.
      try {
        std::unique_ptr<Job> job;
        {
          std::lock_guard lock(mutex_);
          job = fresh_job();
        }
        input::TextBlock block;
        if (leaf.text->next(block)) {
          *leaf.lines += block.lines;
          job->source.assign(leaf.source);
          if (block.owner) {  // the reader leaves the bytes to us: no copy
            job->owner = std::move(block.owner);
            job->data = block.data;
          } else {            // a cut piece of a long line, in the reader's own buffer
            job->copy.assign(block.data);
            job->data = job->copy;
          }
          job->first_line = block.first_line;
          job->lines = block.lines;
          job->ascii = block.ascii;
          job->years = leaf.years;
          std::lock_guard lock(mutex_);
          order_.push_back(std::move(job));  // in the order read: read_lock is still held
          mine = order_.back().get();
        } else {
          leaf.at_end = true;
        }
      } catch (...) {
        leaf.error = std::current_exception();
        leaf.at_end = true;
      }
    }
    std::lock_guard lock(mutex_);
    if (leaf.at_end && leaf_ == &leaf) leaf_ = nullptr;  // no thread is to read it any more
    last = --readers_ == 0;
  }
  if (last) finished_.notify_all();  // pull() may be waiting for the last reader to leave
  if (mine) run(*mine);
  return mine != nullptr;
}

void BlockWorkers::run(Job& job) {
  // Workers resolve no times: the reading thread rebuilds each matched record in order.
  records::YearResolver no_years(records::TimeContext{});
  job.hits.clear();
  job.patterns.clear();
  job.where.clear();
  try {
    input::TextBlock block;
    block.data = job.data;
    block.first_line = job.first_line;
    block.lines = job.lines;
    block.ascii = job.ascii;
    matcher_.scan(job.source, block, no_years, [&](const match::Match& m) {
      job.hits.push_back({*m.record, job.patterns.size(), m.patterns.size()});
      job.patterns.insert(job.patterns.end(), m.patterns.begin(), m.patterns.end());
      if (m.where.size() == m.patterns.size())
        job.where.insert(job.where.end(), m.where.begin(), m.where.end());
      else
        job.where.resize(job.patterns.size());
    });
  } catch (...) {
    job.error = std::current_exception();
  }
  {
    std::lock_guard lock(mutex_);
    job.done = true;
  }
  finished_.notify_all();
}

void BlockWorkers::hand_on(Job& job, const match::MatchFn& fn, const BlockFn& done) {
  if (job.call) {
    job.call();
    return;
  }
  if (job.error) std::rethrow_exception(job.error);
  for (Hit& h : job.hits) {
    // Parsed by the worker; the time comes from the leaf's resolver, in line order.
    records::Record& r = h.record;
    r.source = job.source;
    records::resolve_time(r, *job.years);
    fn(match::Match{&r, std::span<const int>(job.patterns.data() + h.first, h.count), {},
                    std::span<const match::Where>(job.where.data() + h.first, h.count)});
  }
  if (!done) return;
  input::TextBlock block;
  block.data = job.data;
  block.first_line = job.first_line;
  block.lines = job.lines;
  block.ascii = job.ascii;
  done(job.source, block);
}

// Hands on the oldest job if it is finished (or, with `wait`, once it is). False when none is.
bool BlockWorkers::hand_on_front(const match::MatchFn& fn, const BlockFn& done, bool wait) {
  std::unique_ptr<Job> job;
  bool reading;
  {
    std::unique_lock lock(mutex_);
    if (order_.empty()) return false;
    if (wait) finished_.wait(lock, [&] { return order_.front()->done; });
    if (!order_.front()->done) return false;
    job = std::move(order_.front());
    order_.pop_front();
    reading = leaf_ != nullptr;
  }
  // A slot is free: a worker may read the next block. With no leaf to read, a wake-up would
  // only cost a context switch (2 a leaf in a zip of many small members).
  if (reading) todo_.notify_one();
  struct Recycle {  // the buffer goes back to the spares even when fn throws
    BlockWorkers& w;
    std::unique_ptr<Job>& job;
    ~Recycle() {
      job->owner.reset();  // the reader may have the storage back
      job->years.reset();
      job->call = nullptr;
      std::lock_guard lock(w.mutex_);
      w.spare_.push_back(std::move(job));
    }
  } recycle{*this, job};
  hand_on(*job, fn, done);
  return true;
}

BlockWorkers::Pulled BlockWorkers::pull(std::string_view source, input::TextReader& text,
                                        std::shared_ptr<records::YearResolver> years, uint64_t& lines,
                                        const match::MatchFn& fn, const BlockFn& done,
                                        const std::function<bool()>& more) {
  Leaf leaf;
  leaf.text = &text;
  leaf.source = source;
  leaf.years = std::move(years);
  leaf.lines = &lines;
  {
    // However this returns, no thread uses `leaf` after it.
    struct Close {
      BlockWorkers& w;
      Leaf& leaf;
      ~Close() {
        std::unique_lock lock(w.mutex_);
        if (w.leaf_ == &leaf) w.leaf_ = nullptr;
        w.finished_.wait(lock, [&] { return w.readers_ == 0; });
      }
    } close{*this, leaf};
    {
      std::lock_guard lock(mutex_);
      leaf_ = &leaf;
    }
    todo_.notify_all();
    for (;;) {
      while (hand_on_front(fn, done, false)) {
      }
      if (more && !more()) break;
      bool slot;
      {
        std::lock_guard lock(mutex_);
        if (leaf_ != &leaf) break;  // at its end
        slot = can_read();
        if (slot) ++readers_;
      }
      // Rather than wait for the workers, this thread reads and matches a block itself.
      if (slot)
        read_and_run(leaf);
      else
        hand_on_front(fn, done, true);  // (blocks are in flight: the slots are taken)
    }
  }
  if (leaf.error) std::rethrow_exception(leaf.error);
  return {leaf.at_end};
}

void BlockWorkers::submit_call(std::function<void()> call, const match::MatchFn& fn, const BlockFn& done) {
  for (;;) {
    while (hand_on_front(fn, done, false)) {
    }
    {
      std::lock_guard lock(mutex_);
      if (order_.size() < max_in_flight_) {
        std::unique_ptr<Job> job = fresh_job();
        job->call = std::move(call);
        job->done = true;  // nothing for a worker to do: it runs when its turn comes
        order_.push_back(std::move(job));
        return;
      }
    }
    hand_on_front(fn, done, true);
  }
}

void BlockWorkers::drain(const match::MatchFn& fn, const BlockFn& done) {
  while (hand_on_front(fn, done, true)) {
  }
}

void BlockWorkers::discard() {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] {
    for (const auto& j : order_)
      if (!j->done) return false;
    return true;
  });
  for (auto& j : order_) {
    j->owner.reset();
    j->years.reset();
    j->call = nullptr;
    spare_.push_back(std::move(j));
  }
  order_.clear();
}

}  // namespace marsscan::cli
