// Damage counting while decoding: invalid UTF-8 and NUL bytes (scan_utf8, TextReader on
// UTF-8 leaves), unpaired surrogates and an odd byte (UTF-16 leaves), with the first line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "helpers.h"
#include "input/text.h"
#include "input/utf8_check.h"

using namespace marsscan::input;
using namespace marsscan::input::test;
using marsscan::input::detail::scan_utf8;
using marsscan::input::detail::Utf8Scan;

namespace {

TextProblems problems_of(const std::string& bytes, size_t step = SIZE_MAX,
                         size_t max_line = 1u << 20, std::string* text = nullptr) {
  StringReader r(bytes, step);
  TextReader t(r, "", max_line);
  const TextResult res = read_text(t);
  if (text) *text = res.text;
  return t.problems();
}

}  // namespace

TEST_CASE("scan_utf8: valid text of every sequence length is clean") {
  const Utf8Scan s = scan_utf8("Hello, wörld — 中文 😀 end \xF4\x8F\xBF\xBF \xEF\xBF\xBD\n");
  CHECK(s.invalid == 0);
  CHECK(s.nuls == 0);
  CHECK(s.first_invalid == Utf8Scan::npos);
  CHECK(s.first_nul == Utf8Scan::npos);
}

TEST_CASE("scan_utf8: one count per maximal invalid subpart, as the report writers replace") {
  struct Case { std::string in; uint64_t invalid; size_t first; };
  const Case cases[] = {
      {"\xC3\x28", 1, 0},                  // lead without continuation
      {"ab\xE2\x82 x", 1, 2},              // truncated 3-byte sequence: one subpart
      {"\xF0\x28\x8C\x28", 2, 0},          // bad second byte, then a stray continuation
      {"\xED\xA0\x80", 3, 0},              // encoded surrogate: three single bytes
      {"\xC0\xAF", 2, 0},                  // overlong
      {"\xF4\x90\x80\x80", 4, 0},          // above U+10FFFF
      {"\xFF\xFE\xFD", 3, 0},
      {"ok \xF0\x9F\x98", 1, 3},           // cut at the end of the data
  };
  for (const Case& c : cases) {
    INFO(c.in);
    const Utf8Scan s = scan_utf8(c.in);
    CHECK(s.invalid == c.invalid);
    CHECK(s.first_invalid == c.first);
    CHECK(s.nuls == 0);
  }
}

TEST_CASE("scan_utf8: a bad byte or a NUL is found at every offset around the fast path") {
  for (size_t len : {1, 15, 16, 17, 31, 32, 33, 64, 100}) {
    for (size_t at = 0; at < len; ++at) {
      std::string s(len, 'a');
      s[at] = '\x80';
      Utf8Scan bad = scan_utf8(s);
      CHECK(bad.invalid == 1);
      CHECK(bad.first_invalid == at);
      s[at] = '\0';
      Utf8Scan nul = scan_utf8(s);
      CHECK(nul.invalid == 0);
      CHECK(nul.nuls == 1);
      CHECK(nul.first_nul == at);
      // A valid 4-byte sequence there is not counted.
      if (at + 4 <= len) {
        s.replace(at, 4, "😀");
        CHECK(scan_utf8(s).invalid == 0);
      }
    }
  }
}

TEST_CASE("scan_utf8: newlines are counted in long ASCII runs, around bad bytes and at every length") {
  // Runs longer than 255 vector steps (of 16 or 32 bytes) flush the byte counters; a bad byte
  // sends the scan to the byte loop and back.
  std::mt19937 rng(7);
  std::string s(32 * 255 * 3 + 77, 'a');
  for (auto& c : s) c = rng() % 3 == 0 ? '\n' : 'a';
  for (size_t bad : {size_t{0}, size_t{5000}, s.size() - 1}) {
    std::string t = s;
    t[bad] = '\xC0';
    for (size_t len : {t.size(), t.size() - 1, size_t{8192}, size_t{8161}, size_t{33}}) {
      const std::string_view v = std::string_view(t).substr(0, len);
      const Utf8Scan scan = scan_utf8(v);
      CHECK(scan.newlines == static_cast<uint64_t>(std::count(v.begin(), v.end(), '\n')));
      CHECK(scan.invalid == (bad < len ? 1u : 0u));
      CHECK(scan.ascii == (bad >= len));
    }
  }
  const std::string all(32 * 255 * 2 + 5, '\n');
  CHECK(scan_utf8(all).newlines == all.size());
}

TEST_CASE("scan_utf8: random bytes agree with a byte-at-a-time count") {
  // The vector path may only skip bytes that are ASCII and not NUL: count those directly.
  std::mt19937 rng(42);
  std::string s(1u << 16, 'x');
  for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? rng() : 'a' + rng() % 26);
  uint64_t nuls = 0;
  for (char c : s) nuls += c == '\0';
  const Utf8Scan all = scan_utf8(s);
  CHECK(all.nuls == nuls);
  // Split at any point where a sequence cannot straddle (an ASCII byte): the sums agree.
  uint64_t invalid = 0;
  size_t start = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) < 0x80 && rng() % 50 == 0) {
      invalid += scan_utf8(std::string_view(s).substr(start, i - start)).invalid;
      start = i;
    }
  }
  invalid += scan_utf8(std::string_view(s).substr(start)).invalid;
  CHECK(all.invalid > 1000);
  CHECK(invalid == all.invalid);
}

TEST_CASE("TextReader problems: clean UTF-8 and UTF-16 leaves have none") {
  const std::string text = "06/07 01:23:25.640 CBEngine 中文 😀 failed\r\nsecond\n";
  for (const std::string& bytes :
       {text, "\xEF\xBB\xBF" + text, "\xFF\xFE" + to_utf16(text, false),
        "\xFE\xFF" + to_utf16(text, true), to_utf16(text, false), std::string()}) {
    const TextProblems p = problems_of(bytes, 3);
    CHECK_FALSE(p.any());
    CHECK(p.invalid_utf8_line == 0);
  }
}

TEST_CASE("TextReader problems: invalid UTF-8 counted with its first line, text unchanged") {
  // Four good sequences on line 1 against three bad ones: damaged UTF-8, not a code page.
  const std::string bad = "line1 éüöß\nline2\nok \xC3\x28 and \xE2\x82 x\n\xFF\nlast";
  std::string out;
  const TextProblems p = problems_of(bad, 5, 1u << 20, &out);
  CHECK(out == bad + "\n");
  CHECK(p.invalid_utf8 == 3);
  CHECK(p.invalid_utf8_line == 3);
  CHECK(p.nul_bytes == 0);
  CHECK_FALSE(p.odd_byte);
  CHECK(p.unpaired_surrogates == 0);
}

TEST_CASE("TextReader problems: NUL bytes in a UTF-8 leaf are binary content") {
  std::string bin = "a\nb\nc";
  bin += std::string("\0\0x\0", 4);
  bin += "\n";
  const TextProblems p = problems_of(bin);
  CHECK(p.nul_bytes == 3);
  CHECK(p.nul_line == 3);
  CHECK(p.invalid_utf8 == 0);
}

TEST_CASE("TextReader problems: lines are counted across 1 MiB chunks and blocks") {
  // 200000 lines of 10 bytes (2 MB, several chunks), the damage on line 150001.
  std::string s;
  for (int i = 0; i < 200000; ++i) s += i == 150000 ? "bad \xFF\xFE\xFD!!!!\n" : "123456789\n";
  TextProblems p = problems_of(s);
  CHECK(p.invalid_utf8 == 3);
  CHECK(p.invalid_utf8_line == 150001);
  // The same in UTF-16LE with a lone low surrogate instead of the bad byte.
  std::string u = "\xFF\xFE";
  for (int i = 0; i < 200000; ++i) {
    if (i == 150000) u += to_utf16("bad ", false) + std::string("\x00\xDC", 2) + to_utf16("!!!!\n", false);
    else u += to_utf16("123456789\n", false);
  }
  p = problems_of(u, 70001);
  CHECK(p.unpaired_surrogates == 1);
  CHECK(p.surrogate_line == 150001);
  CHECK(p.invalid_utf8 == 0);  // U+FFFD written by the decoder is valid UTF-8
}

TEST_CASE("TextReader problems: damage in a piece of an over-long line has the line's number") {
  std::string s = "first\n" + std::string(100, 'a') + "\xFF\xFE\xFD" + std::string(50, 'b') + "\nlast\n";
  std::string out;
  const TextProblems p = problems_of(s, 7, 32, &out);
  CHECK(p.invalid_utf8 == 3);
  CHECK(p.invalid_utf8_line == 2);
}

TEST_CASE("TextReader problems: unpaired UTF-16 surrogates, each with U+FFFD") {
  const std::string kFFFD = "\xEF\xBF\xBD";
  // Line 1 clean; line 2 has a lone high and a lone low surrogate; a valid pair on line 3.
  const std::string bytes = "\xFF\xFE" + to_utf16("one\n", false) + to_utf16("x", false) +
                            std::string("\x00\xD8", 2) + to_utf16("y", false) +
                            std::string("\x00\xDC", 2) + to_utf16("\n😀\n", false);
  for (size_t step : {size_t(1), size_t(3), SIZE_MAX}) {
    std::string out;
    const TextProblems p = problems_of(bytes, step, 1u << 20, &out);
    CHECK(out == "one\nx" + kFFFD + "y" + kFFFD + "\n😀\n");
    CHECK(p.unpaired_surrogates == 2);
    CHECK(p.surrogate_line == 2);
    CHECK_FALSE(p.odd_byte);
    CHECK(p.invalid_utf8 == 0);
    CHECK(p.nul_bytes == 0);
  }
}

TEST_CASE("TextReader problems: odd byte and trailing high surrogate at the end") {
  TextProblems p = problems_of("\xFF\xFE" + to_utf16("a\nb\nc", false) + "X", 2);
  CHECK(p.odd_byte);
  CHECK(p.unpaired_surrogates == 0);
  p = problems_of("\xFF\xFE" + to_utf16("a\nb\nc", false) + std::string("\x3D\xD8", 2), 2);
  CHECK_FALSE(p.odd_byte);
  CHECK(p.unpaired_surrogates == 1);
  CHECK(p.surrogate_line == 3);
  p = problems_of("\xFE\xFF" + to_utf16("a\n", true) + std::string("\xD8\x3D", 2) + "Q", 1);
  CHECK(p.odd_byte);
  CHECK(p.unpaired_surrogates == 1);
  CHECK(p.surrogate_line == 2);
}
