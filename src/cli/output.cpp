#include "cli/output.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace marsscan::cli {

Output::Output(const std::string& path) : path_(path) {
  if (path_.empty()) return;
  file_.open(path_, std::ios::binary | std::ios::trunc);
  if (!file_) throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
}

bool Output::close() {
  std::ostream& s = stream();
  s.flush();
  if (s) return true;
  if (path_.empty()) {
    if (errno == EPIPE) return true;  // the reader (head, grep -q) has what it wanted
    std::cerr << "marsscan: error writing to standard output: " << std::strerror(errno) << '\n';
  } else {
    std::cerr << "marsscan: error writing " << path_ << ": " << std::strerror(errno) << '\n';
  }
  return false;
}

}  // namespace marsscan::cli
