// is_valid_utf8: the 64-byte ASCII fast path must not skip over a non-ASCII byte at any
// offset, and the verdict must equal a plain code-point-by-code-point reference.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "match/bytes.h"

using marsscan::match::is_valid_utf8;

namespace {

// The reference: RFC 3629 well-formedness, one code point at a time.
bool reference_utf8(const std::string& s) {
  size_t i = 0, n = s.size();
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    unsigned c = at(i), len, cp;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return false;
    if (i + len > n) return false;
    for (unsigned k = 1; k < len; ++k) {
      if ((at(i + k) & 0xC0) != 0x80) return false;
      cp = cp << 6 | (at(i + k) & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace

TEST_CASE("is_valid_utf8 finds one bad or good multi-byte sequence at every offset of a long ASCII run") {
  const std::vector<std::pair<std::string, bool>> inserts = {
      {"\xC3\xA9", true},           {"\xE4\xBA\x91", true},     {"\xF0\x9F\x98\x80", true},
      {"\x80", false},              {"\xC3", false},            {"\xC0\xAF", false},
      {"\xED\xA0\x80", false},      {"\xF4\x90\x80\x80", false}, {"\xFF", false},
  };
  for (const auto& [bytes, valid] : inserts)
    for (size_t at = 0; at <= 200; ++at) {
      std::string s(200, 'a');
      s.insert(at, bytes);
      INFO("offset " << at << " bytes " << bytes.size());
      CHECK(is_valid_utf8(s) == valid);
      CHECK(reference_utf8(s) == valid);
    }
}

TEST_CASE("is_valid_utf8 agrees with the reference on random mostly-ASCII text") {
  std::mt19937 rng(5);
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 300, 'x');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
    int damage = static_cast<int>(rng() % 3);
    for (int d = 0; d < damage && !s.empty(); ++d) s[rng() % s.size()] = static_cast<char>(0x80 + rng() % 128);
    if (rng() % 2 && !s.empty()) s.insert(rng() % s.size(), "\xE6\x96\x87");
    INFO("round " << round);
    CHECK(is_valid_utf8(s) == reference_utf8(s));
  }
}
