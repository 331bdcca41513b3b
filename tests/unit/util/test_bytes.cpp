// The vectorised newline count must agree with the plain one everywhere.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>

#include "util/bytes.h"

using marsscan::count_newlines;

TEST_CASE("count_newlines agrees with std::count at every length and alignment") {
  std::mt19937 rnd(3);
  std::string buf(5000, 'x');
  for (auto& c : buf) c = "ab\n\r\xff"[rnd() % 5];
  for (size_t from = 0; from < 40; ++from)
    for (size_t len = 0; len + from <= buf.size(); len += (len < 300 ? 1 : 97)) {
      const char* b = buf.data() + from;
      REQUIRE(count_newlines(b, b + len) == static_cast<uint64_t>(std::count(b, b + len, '\n')));
    }
  // Past 255 vector steps (of 16 or 32 bytes) the byte counters are flushed: all newlines.
  std::string all(32 * 255 * 3 + 7, '\n');
  CHECK(count_newlines(all.data(), all.data() + all.size()) == all.size());
}
