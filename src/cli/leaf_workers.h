// Whole leaves read and matched on threads of their own while the walk goes on to the next
// one (input::Leaf::reopen: the members of a zip on disk). Inflating is most of the cost of
// reading a zipped bundle and one stream inflates on one core only, so this is what spreads a
// bundle over the cores. What a leaf yields (grep: its output, errors and totals) is a list of
// calls that run on the calling thread in leaf order, so the result is that of one thread.
// Memory: at most (threads + 1) leaves to work on are queued, and once the calls held by all
// leaves come to kMaxHeld bytes, only the first leaf in line may yield more: the others wait.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace marsscan::cli {

class LeafWorkers {
  struct Job;

 public:
  // What the leaves may hold before those behind the first wait. grep's output of a member
  // is most often far less; printing every line of one (-C 1000), it bounds the memory.
  static constexpr size_t kMaxHeld = 16u << 20;

  explicit LeafWorkers(unsigned threads);
  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }
  ~LeafWorkers();
  LeafWorkers(const LeafWorkers&) = delete;
  LeafWorkers& operator=(const LeafWorkers&) = delete;

  // Where a leaf's work puts its calls (on the worker's thread). They are handed over in
  // batches: a lock and a wake-up per call would cost more than most calls (a match).
  class Yield {
   public:
    // Queues `call`, which holds about `bytes`, to run after the calls yielded before it.
    void operator()(std::function<void()> call, size_t bytes);
   private:
    friend class LeafWorkers;
    static constexpr size_t kBatch = 64u << 10;
    Yield(LeafWorkers& w, Job& job) : w_(w), job_(job) {}
    void flush();
    LeafWorkers& w_;
    Job& job_;
    std::vector<std::function<void()>> batch_;
    size_t bytes_ = 0;
  };
  using Work = std::function<void(Yield&)>;

  // Queues a leaf's work. Meanwhile, and while (threads + 1) such leaves are queued, hands on
  // the calls that are ready. What `work` throws is rethrown here or by drain() in its turn, after
  // the calls it yielded before.
  void submit(Work work);
  // Queues the calls of a leaf worked on already (on this thread), to run after those of the
  // leaves queued before. Waits (handing on) only while the calls held are too many.
  void submit_done(std::vector<std::function<void()>> calls, size_t bytes);
  // Hands on every call of every queued leaf, in order, waiting for the workers.
  void drain();
  // Waits for the work under way and drops every queued call (after an error).
  void discard();

 private:
  struct Job {
    Work work;
    std::vector<std::function<void()>> calls;
    size_t held = 0;                 // bytes of `calls`, also counted in held_
    bool started = false, done = false;
    bool counted = false;            // in working_: submitted with work to do
    std::exception_ptr error;
  };
  void run();
  void push(std::unique_ptr<Job> job);  // waits for room; hands on meanwhile
  // Runs the first job's calls yielded so far, or retires it once it is done. False when
  // there was nothing to do (with `wait`: only when no job is queued).
  bool hand_on_one(bool wait);

  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Job>> order_;   // not handed on yet, in leaf order
  size_t next_ = 0;                          // order_[next_] is the first job not started
  size_t held_ = 0;                          // bytes of every job's calls
  size_t working_ = 0;                       // jobs in order_ submitted with work to do
  bool dropping_ = false;                    // discard(): yielded calls are dropped
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace marsscan::cli
