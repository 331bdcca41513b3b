#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace marsscan::cli {

namespace {

namespace fs = std::filesystem;

// Bytes on disk of a file or folder; what cannot be read counts 0 (the scan reports it).
uint64_t size_on_disk(const std::string& path) {
  if (path == "-") return 0;
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec) return 0;
  if (fs::is_regular_file(st)) {
    auto n = fs::file_size(path, ec);
    return ec ? 0 : n;
  }
  uint64_t sum = 0;
  if (fs::is_directory(st)) {
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      std::error_code e2;
      if (it->is_regular_file(e2)) {
        auto n = it->file_size(e2);
        if (!e2) sum += n;
      }
    }
  }
  return sum;
}

std::string human(uint64_t b) {
  if (b < 1024) return fmt::format("{} B", b);
  if (b < (1u << 20)) return fmt::format("{:.1f} KiB", b / 1024.0);
  if (b < (1ull << 30)) return fmt::format("{:.1f} MiB", b / 1048576.0);
  return fmt::format("{:.2f} GiB", b / 1073741824.0);
}

// Terminal width, so the line never wraps (a wrapped line cannot be rewritten with '\r').
size_t columns() {
  if (const char* c = std::getenv("COLUMNS")) {
    int n = std::atoi(c);
    if (n > 10) return n;
  }
  return 80;
}

}  // namespace

bool Progress::stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
}

Progress::Progress(const std::vector<std::string>& inputs, bool enabled)
    : enabled_(enabled), inputs_(enabled ? inputs : std::vector<std::string>{}) {
  if (!enabled_) return;
  for (const auto& in : inputs_) {
    sizes_.push_back(size_on_disk(in));
    total_bytes_ += sizes_.back();
  }
}

Progress::~Progress() { finish(); }

void Progress::update(size_t i, std::string_view leaf, bool done) {
  if (!enabled_ || i >= inputs_.size()) return;
  std::lock_guard lock(mutex_);
  if (done) {
    ++done_;
    done_bytes_ += sizes_[i];
  } else {
    current_ = i;
    leaf_ = leaf;
    if (!leaf.empty()) ++leaves_;
  }
  draw(done && done_ == inputs_.size());
}

std::string Progress::line() const {
  std::string s = fmt::format("[{}/{} inputs, {} files, {} of {}] {}", done_, inputs_.size(), leaves_,
                              human(done_bytes_), human(total_bytes_),
                              current_ < inputs_.size() ? inputs_[current_] : "");
  if (!leaf_.empty() && leaf_ != inputs_[current_]) s += ": " + leaf_;
  // Control bytes in a file name must not move the cursor.
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

void Progress::draw(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::string s = line();
  size_t width = columns() - 1;
  if (s.size() > width) s = s.substr(0, width);  // may split a UTF-8 character: cosmetic only
  std::string out = "\r" + s;
  if (s.size() < drawn_width_) out.append(drawn_width_ - s.size(), ' ');
  drawn_width_ = s.size();
  (void)!write(STDERR_FILENO, out.data(), out.size());
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (drawn_width_) {
    std::string out = "\r" + std::string(drawn_width_, ' ') + "\r";
    (void)!write(STDERR_FILENO, out.data(), out.size());
    drawn_width_ = 0;
  }
  enabled_ = false;
}

}  // namespace marsscan::cli
