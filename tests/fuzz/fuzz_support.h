// Shared pieces of the libFuzzer harnesses: an in-memory ByteReader that hands out the input
// in uneven chunks (so chunk-boundary code paths are reached), and a few invariant checks.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "input/source.h"

namespace marsscan::fuzz {

// Reads `data` in chunks of at most `chunk` bytes (at least 1), the way a pipe or a
// decompressor would deliver them.
class MemReader : public input::ByteReader {
 public:
  MemReader(std::string_view data, size_t chunk) : data_(data), chunk_(std::max<size_t>(chunk, 1)) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = std::min({n, chunk_, data_.size() - pos_});
    if (k) std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
 private:
  std::string_view data_;
  size_t chunk_;
  size_t pos_ = 0;
};

// A violated invariant is a finding like a crash: abort so libFuzzer saves the input.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::marsscan::fuzz::fail(#cond))

// True when `s` is well-formed UTF-8 (no surrogates, no overlongs).
inline bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace marsscan::fuzz
