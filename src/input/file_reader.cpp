#include "input/file_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace marsscan::input {

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message, which may or may not be buf.
  const char* s = strerror_r(err, buf, sizeof buf);
  return s;
}

FdReader::~FdReader() {
  if (fd_ > 2) ::close(fd_);
}

size_t FdReader::read(char* buf, size_t n) {
  for (;;) {
    const ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno != EINTR) throw InputError{"", errno_text(errno)};
  }
}

std::string_view ReplayReader::peek(size_t n) {
  while (head_.size() < n) {
    const size_t old = head_.size();
    head_.resize(n);
    const size_t got = inner_.read(head_.data() + old, n - old);
    head_.resize(old + got);
    if (got == 0) break;
  }
  return std::string_view(head_).substr(0, std::min(n, head_.size()));
}

size_t ReplayReader::read(char* buf, size_t n) {
  if (pos_ < head_.size()) {
    const size_t k = std::min(n, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, k);
    pos_ += k;
    if (pos_ == head_.size()) {  // the head is replayed: let it go
      std::string().swap(head_);
      pos_ = 0;
    }
    return k;
  }
  return inner_.read(buf, n);
}

}  // namespace marsscan::input
