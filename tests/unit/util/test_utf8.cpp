#include <catch2/catch.hpp>

#include <string_view>

#include "util/utf8.h"

using namespace marsscan;

namespace {
size_t seq(std::string_view s, size_t* bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return utf8_sequence(p, p + s.size(), bad);
}
}  // namespace

TEST_CASE("utf8_sequence: valid sequences of every length") {
  size_t bad = 99;
  CHECK(seq("a", &bad) == 1);
  CHECK(seq("\xC3\xA9", &bad) == 2);          // é
  CHECK(seq("\xEF\xBC\x9A", &bad) == 3);      // full-width colon
  CHECK(seq("\xF0\x9F\x98\x80", &bad) == 4);  // U+1F600
  CHECK(bad == 99);
}

TEST_CASE("utf8_sequence: invalid input reports the maximal invalid subpart") {
  size_t bad = 0;
  CHECK(seq("\xE2\x82x", &bad) == 0);
  CHECK(bad == 2);                            // lead + one good continuation: one U+FFFD
  CHECK(seq("\xC0\xAF", &bad) == 0);          // overlong lead
  CHECK(bad == 1);
  CHECK(seq("\xED\xA0\x80", &bad) == 0);      // a surrogate
  CHECK(bad == 1);
  CHECK(seq("\xF4\x90\x80\x80", &bad) == 0);  // above U+10FFFF
  CHECK(bad == 1);
  CHECK(seq("\xE2\x82", &bad) == 0);          // cut off by the end
  CHECK(bad == 2);
}
