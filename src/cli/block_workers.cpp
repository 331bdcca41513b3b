#include "cli/block_workers.h"

#include "records/errlog.h"

namespace marsscan::cli {

BlockWorkers::BlockWorkers(const match::Matcher& matcher, unsigned threads)
    // One block per worker and three more: queued for the workers while the reading thread
    // matches one itself. More would only cost memory on machines with many cores.
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
    Job* job;
    {
      std::unique_lock lock(mutex_);
      todo_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
    }
    run(*job);
  }
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

bool BlockWorkers::run_queued() {
  Job* job;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return false;
    job = queue_.back();  // the newest: the workers are on the older ones, to be handed on first
    queue_.pop_back();
  }
  run(*job);
  return true;
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
  {
    std::unique_lock lock(mutex_);
    if (order_.empty()) return false;
    if (wait) finished_.wait(lock, [&] { return order_.front()->done; });
    if (!order_.front()->done) return false;
    job = std::move(order_.front());
    order_.pop_front();
  }
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

std::unique_ptr<BlockWorkers::Job> BlockWorkers::make_room(const match::MatchFn& fn, const BlockFn& done) {
  while (hand_on_front(fn, done, false)) {
  }
  for (;;) {
    size_t in_flight;
    {
      std::lock_guard lock(mutex_);
      in_flight = order_.size();
    }
    if (in_flight < max_in_flight_) break;
    // Rather than wait for the workers, this thread matches a block itself.
    if (!hand_on_front(fn, done, false) && !run_queued()) hand_on_front(fn, done, true);
  }
  std::unique_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      job = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  if (!job) job = std::make_unique<Job>();
  job->error = nullptr;
  job->call = nullptr;
  job->done = false;
  return job;
}

void BlockWorkers::submit(std::string_view source, const input::TextBlock& block,
                          std::shared_ptr<records::YearResolver> years, const match::MatchFn& fn,
                          const BlockFn& done) {
  std::unique_ptr<Job> job = make_room(fn, done);
  job->source.assign(source);
  if (block.owner) {  // the reader leaves the bytes to us: no copy
    job->owner = block.owner;
    job->data = block.data;
  } else {
    job->copy.assign(block.data);
    job->data = job->copy;
  }
  job->first_line = block.first_line;
  job->lines = block.lines;
  job->ascii = block.ascii;
  job->years = std::move(years);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(job.get());
    order_.push_back(std::move(job));
  }
  todo_.notify_one();
}

void BlockWorkers::submit_call(std::function<void()> call, const match::MatchFn& fn, const BlockFn& done) {
  std::unique_ptr<Job> job = make_room(fn, done);
  job->call = std::move(call);
  job->done = true;  // nothing for a worker to do: it runs when its turn comes
  std::lock_guard lock(mutex_);
  order_.push_back(std::move(job));
}

void BlockWorkers::drain(const match::MatchFn& fn, const BlockFn& done) {
  for (;;) {
    if (hand_on_front(fn, done, false)) continue;
    if (!run_queued() && !hand_on_front(fn, done, true)) return;
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
