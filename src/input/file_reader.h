// Byte readers over the things a walk meets: an open file descriptor, and a reader whose
// first bytes were already taken for sniffing and are replayed before the rest.
#pragma once
#include <string>
#include <string_view>

#include "input/source.h"

namespace marsscan::input {

// Reads an open descriptor; owns it and closes it (unless it is standard input).
class FdReader : public ByteReader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  ~FdReader() override;
  FdReader(const FdReader&) = delete;
  FdReader& operator=(const FdReader&) = delete;
  size_t read(char* buf, size_t n) override;
  int fd() const { return fd_; }
 private:
  int fd_;
};

// Wraps a reader; peek() takes its first bytes, read() then starts again from byte 0, so a
// consumer sees the stream whole however much the walk looked at.
class ReplayReader : public ByteReader {
 public:
  explicit ReplayReader(ByteReader& inner) : inner_(inner) {}
  // Reads until `n` bytes are buffered or the stream ends; returns what is buffered.
  std::string_view peek(size_t n);
  size_t read(char* buf, size_t n) override;
 private:
  ByteReader& inner_;
  std::string head_;
  size_t pos_ = 0;
};

// strerror_r in a std::string.
std::string errno_text(int err);

}  // namespace marsscan::input
