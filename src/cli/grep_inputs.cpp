#include "cli/grep_inputs.h"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

namespace marsscan::cli {

namespace {

// One input's search and what it printed, until its turn to be written out.
struct Slot {
  std::ostringstream out, err;
  GrepStats stats;
  bool had_error = false;
  bool printed_lines = false;
  bool done = false;
};

}  // namespace

GrepRun grep_inputs(const std::vector<std::string>& inputs, const input::WalkOptions& walk,
                    const match::Matcher& matcher, const SearchSettings& settings,
                    const records::ReadOptions& read, const PrinterFactory& make_printer,
                    GrepPrinter& printer, std::ostream& out, unsigned threads) {
  std::vector<Slot> slots(inputs.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  std::condition_variable finished;
  const bool quiet = settings.mode == SearchSettings::Mode::Quiet;

  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      Slot& slot = slots[i];
      if (!cancel.load()) {
        SearchSettings s = settings;
        s.out = nullptr;  // the buffer never fails; `cancel` says when `out` did
        s.cancel = &cancel;
        s.err = &slot.err;
        auto own = make_printer(slot.out);
        GrepSearch search(matcher, *own, s, read);
        try {
          input::walk(inputs[i], walk, search);
        } catch (const std::exception& e) {
          slot.err << "marsscan: " << inputs[i] << ": " << e.what() << '\n';
          slot.had_error = true;
        }
        slot.stats = search.stats();
        slot.had_error = slot.had_error || search.had_error();
        slot.printed_lines = search.printed_lines();
        if (quiet && slot.stats.matched_lines) cancel.store(true);
      }
      {
        std::lock_guard lock(mutex);
        slot.done = true;
      }
      finished.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::min<size_t>(threads, inputs.size()); ++t) pool.emplace_back(work);

  GrepRun run;
  bool printed = false;  // a line was printed: with context, the next input's lines follow a "--"
  for (Slot& slot : slots) {
    {
      std::unique_lock lock(mutex);
      finished.wait(lock, [&] { return slot.done; });
    }
    if (settings.context && printed && slot.printed_lines && out) printer.separator();
    printed = printed || slot.printed_lines;
    if (out) out << slot.out.str();
    std::cerr << slot.err.str();
    slot.out.str({});
    run.stats += slot.stats;
    run.had_error = run.had_error || slot.had_error;
    if (!out) cancel.store(true);
  }
  for (auto& t : pool) t.join();
  return run;
}

}  // namespace marsscan::cli
