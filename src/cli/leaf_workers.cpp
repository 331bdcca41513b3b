#include "cli/leaf_workers.h"

#include <algorithm>

namespace marsscan::cli {

LeafWorkers::LeafWorkers(unsigned threads) : max_queued_(std::max(1u, threads) + 1u) {
  for (unsigned t = 0; t < std::max(1u, threads); ++t) threads_.emplace_back([this] { run(); });
}

LeafWorkers::~LeafWorkers() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (auto& t : threads_) t.join();
}

void LeafWorkers::Yield::operator()(std::function<void()> call, size_t bytes) {
  batch_.push_back(std::move(call));
  bytes_ += bytes;
  if (bytes_ >= kBatch) flush();
}

void LeafWorkers::Yield::flush() {
  if (batch_.empty()) return;
  std::unique_lock lock(w_.mutex_);
  // Only the first job is handed on: the others wait when the jobs hold too much. The first
  // was started before any other, so it always goes on.
  w_.changed_.wait(lock, [&] {
    return w_.dropping_ || w_.stop_ || w_.held_ + bytes_ <= kMaxHeld || w_.order_.front().get() == &job_;
  });
  if (!w_.dropping_ && !w_.stop_) {
    job_.calls.insert(job_.calls.end(), std::make_move_iterator(batch_.begin()),
                      std::make_move_iterator(batch_.end()));
    job_.held += bytes_;
    w_.held_ += bytes_;
  }
  batch_.clear();
  bytes_ = 0;
  lock.unlock();
  w_.changed_.notify_all();
}

void LeafWorkers::run() {
  for (;;) {
    Job* job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || next_ < order_.size(); });
      if (stop_) return;
      job = order_[next_].get();
      job->started = true;
      while (next_ < order_.size() && order_[next_]->started) ++next_;  // past done ones too
    }
    Yield yield(*this, *job);
    try {
      job->work(yield);
      yield.flush();
    } catch (...) {
      job->error = std::current_exception();  // read once `done` is seen, under the mutex
      try {
        yield.flush();  // what came before the error is handed on before it
      } catch (...) {
      }
    }
    {
      std::lock_guard lock(mutex_);
      job->work = nullptr;  // what it captured (a reader, its buffers) goes now
      job->done = true;
    }
    changed_.notify_all();
  }
}

bool LeafWorkers::hand_on_one(bool wait) {
  std::vector<std::function<void()>> calls;
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (order_.empty()) return false;
      Job& front = *order_.front();
      if (!front.calls.empty()) {
        calls.swap(front.calls);
        held_ -= front.held;
        front.held = 0;
        break;
      }
      if (front.done) {
        error = front.error;
        if (front.counted) --working_;
        order_.pop_front();
        --next_;
        break;
      }
      if (!wait) return false;
      changed_.wait(lock);
    }
  }
  changed_.notify_all();  // room for held calls, or for a queued leaf
  if (error) std::rethrow_exception(error);
  for (auto& call : calls) {
    call();
    call = nullptr;  // what it holds goes as soon as it has run
  }
  return true;
}

void LeafWorkers::submit(Work work) {
  auto job = std::make_unique<Job>();
  job->work = std::move(work);
  push(std::move(job));
}

void LeafWorkers::submit_done(std::vector<std::function<void()>> calls, size_t bytes) {
  auto job = std::make_unique<Job>();
  job->calls = std::move(calls);
  job->held = bytes;
  job->started = job->done = true;
  push(std::move(job));
}

void LeafWorkers::push(std::unique_ptr<Job> job) {
  for (;;) {
    while (hand_on_one(false)) {
    }
    {
      std::lock_guard lock(mutex_);
      // Leaves to work on wait for a thread; leaves done already only for memory.
      if (job->work ? working_ < max_queued_ : order_.empty() || held_ + job->held <= kMaxHeld) {
        if (job->work) ++working_;
        job->counted = static_cast<bool>(job->work);
        held_ += job->held;
        order_.push_back(std::move(job));
        while (next_ < order_.size() && order_[next_]->started) ++next_;
        break;
      }
    }
    hand_on_one(true);
  }
  changed_.notify_all();
}

void LeafWorkers::drain() {
  while (hand_on_one(true)) {
  }
}

void LeafWorkers::discard() {
  std::unique_lock lock(mutex_);
  dropping_ = true;
  // Jobs not started are dropped unrun; those under way finish, their calls dropped.
  order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(next_), order_.end());
  changed_.notify_all();
  changed_.wait(lock, [&] {
    return std::all_of(order_.begin(), order_.end(), [](const auto& j) { return j->done; });
  });
  order_.clear();
  next_ = 0;
  held_ = 0;
  working_ = 0;
  dropping_ = false;
}

}  // namespace marsscan::cli
