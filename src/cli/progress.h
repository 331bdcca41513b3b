// Progress of a batch run on stderr: "[3/500 inputs, 1.2 MiB of 40.0 MiB] bundles/c.zip: Temp/x.errlog",
// one line rewritten in place with '\r' and cleared at the end. Only when stderr is a terminal
// and not --quiet, so redirected output and CI logs never contain it. Thread-safe: with -j N the
// inputs report from several threads; redraws are limited to about ten a second.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace marsscan::cli {

class Progress {
 public:
  // `enabled` false: every call does nothing. Sizes are the inputs' bytes on disk (folders summed).
  Progress(const std::vector<std::string>& inputs, bool enabled);
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Input `i` started (leaf empty), read a leaf, or finished (done).
  void update(size_t i, std::string_view leaf, bool done);
  void finish();

  // The line as it would be drawn now (for tests).
  std::string line() const;
  // stderr is a terminal, and TERM is not "dumb".
  static bool stderr_is_terminal();

 private:
  void draw(bool force);
  bool enabled_;
  std::vector<std::string> inputs_;
  std::vector<uint64_t> sizes_;
  uint64_t total_bytes_ = 0, done_bytes_ = 0;
  size_t done_ = 0, current_ = 0;
  uint64_t leaves_ = 0;
  std::string leaf_;
  size_t drawn_width_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
  mutable std::mutex mutex_;
};

}  // namespace marsscan::cli
