#include <catch2/catch.hpp>

#include <deque>
#include <random>

#include "helpers.h"
#include "input/text.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

namespace {
const std::string kMixed = "Hello, wörld — 中文 😀 end";  // 1-, 2-, 3- and 4-byte UTF-8
const std::string kFFFD = "\xEF\xBF\xBD";

std::string decode_all(const std::string& bytes, size_t step, size_t max_line = 1u << 20,
                       std::string head = "") {
  StringReader r(bytes, step);
  TextReader t(r, std::move(head), max_line);
  return read_text(t).text;
}
}  // namespace

TEST_CASE("sniff_encoding: byte order marks") {
  size_t bom = 99;
  CHECK(sniff_encoding("\xEF\xBB\xBFhi", &bom) == Encoding::Utf8);
  CHECK(bom == 3);
  CHECK(sniff_encoding(std::string("\xFF\xFEh\0", 4), &bom) == Encoding::Utf16LE);
  CHECK(bom == 2);
  CHECK(sniff_encoding(std::string("\xFE\xFF\0h", 4), &bom) == Encoding::Utf16BE);
  CHECK(bom == 2);
  CHECK(std::string(encoding_name(Encoding::Utf16LE)) == "UTF-16LE");
  CHECK(std::string(encoding_name(Encoding::Utf16BE)) == "UTF-16BE");
  CHECK(std::string(encoding_name(Encoding::Utf8)) == "UTF-8");
}

TEST_CASE("sniff_encoding: UTF-16 without BOM by NUL bytes, else UTF-8") {
  size_t bom = 99;
  const std::string line = "06/07 01:23:25.640 CBEngine failed\r\n";
  CHECK(sniff_encoding(to_utf16(line, false), &bom) == Encoding::Utf16LE);
  CHECK(bom == 0);
  CHECK(sniff_encoding(to_utf16(line, true), &bom) == Encoding::Utf16BE);
  CHECK(sniff_encoding(line, &bom) == Encoding::Utf8);
  CHECK(sniff_encoding(kMixed, &bom) == Encoding::Utf8);
  CHECK(sniff_encoding("", &bom) == Encoding::Utf8);
  CHECK(bom == 0);
}

TEST_CASE("utf16_to_utf8: ASCII runs, all code point sizes, both byte orders") {
  for (bool be : {false, true}) {
    // Long enough for the 16- and 8-unit vector paths, with non-ASCII at every offset.
    std::string text;
    for (int i = 0; i < 40; ++i) text += std::string(static_cast<size_t>(i), 'a') + kMixed + "\n";
    const std::string in = to_utf16(text, be);
    std::string out = "prefix:";
    CHECK(utf16_to_utf8(in, be, out) == in.size());
    CHECK(out == "prefix:" + text);
  }
}

TEST_CASE("utf16_to_utf8: random text matches the reference encoder") {
  std::mt19937 rng(12345);
  const std::vector<std::string> atoms = {"a", "Z", "\n", "\r", "é", "中", "😀", "\x7f", "ß"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 200);
    for (int i = 0; i < n; ++i)
      text += (rng() % 4 == 0) ? atoms[rng() % atoms.size()] : std::string(1, char('a' + rng() % 26));
    const bool be = round % 2;
    std::string out;
    const std::string in = to_utf16(text, be);
    REQUIRE(utf16_to_utf8(in, be, out) == in.size());
    REQUIRE(out == text);
  }
}

TEST_CASE("utf16_to_utf8: unpaired surrogates become U+FFFD") {
  std::string out;
  // high surrogate followed by 'A', then a lone low surrogate, then 'B'
  const std::string in("\x3D\xD8" "A\0" "\x00\xDC" "B\0", 8);
  CHECK(utf16_to_utf8(in, false, out) == 8);
  CHECK(out == kFFFD + "A" + kFFFD + "B");
}

TEST_CASE("utf16_to_utf8: an odd byte or a final high surrogate is left for the next call") {
  std::string out;
  CHECK(utf16_to_utf8(std::string("A\0B", 3), false, out) == 2);
  CHECK(out == "A");
  out.clear();
  const std::string pair = to_utf16("x😀", false);  // x, high, low
  CHECK(utf16_to_utf8(pair.substr(0, 4), false, out) == 2);
  CHECK(out == "x");
  out.clear();
  CHECK(utf16_to_utf8(pair.substr(0, 5), false, out) == 2);  // high + one byte of low
  CHECK(utf16_to_utf8(pair.substr(2), false, out) == 4);
  CHECK(out == "x😀");
}

TEST_CASE("TextReader: every encoding with and without BOM gives the same UTF-8 lines") {
  const std::string text = "line one\r\n" + kMixed + "\nlast";
  const std::string expect = "line one\r\n" + kMixed + "\nlast\n";
  struct Case { std::string bytes; Encoding enc; };
  const std::vector<Case> cases = {
      {text, Encoding::Utf8},
      {"\xEF\xBB\xBF" + text, Encoding::Utf8},
      {to_utf16(text, false), Encoding::Utf16LE},
      {"\xFF\xFE" + to_utf16(text, false), Encoding::Utf16LE},
      {to_utf16(text, true), Encoding::Utf16BE},
      {"\xFE\xFF" + to_utf16(text, true), Encoding::Utf16BE},
  };
  for (const auto& c : cases) {
    for (size_t step : {size_t(1), size_t(3), size_t(1) << 20}) {
      StringReader r(c.bytes, step);
      TextReader t(r, "");
      const TextResult res = read_text(t, true);
      CHECK(t.encoding() == c.enc);
      CHECK(res.text == expect);
      CHECK(res.lines == 3);
      CHECK(t.bytes_read() == c.bytes.size());
      REQUIRE(res.numbered.size() == 3);
      CHECK(res.numbered[0] == std::make_pair(uint64_t(1), std::string("line one\r")));  // CR kept
      CHECK(res.numbered[2] == std::make_pair(uint64_t(3), std::string("last")));
    }
  }
}

TEST_CASE("TextReader: surrogate pairs and lines across 1 MiB chunk boundaries") {
  // ~3 MiB of UTF-16LE; odd read sizes put chunk edges inside pairs, units and lines.
  std::string text;
  for (int i = 0; text.size() < (3u << 20) / 2; ++i) text += "row " + std::to_string(i) + " 😀中é\n";
  const std::string bytes = "\xFF\xFE" + to_utf16(text, false);
  for (size_t step : {size_t(4097), size_t(65537), size_t(1) << 21}) {
    StringReader r(bytes, step);
    TextReader t(r, "");
    const TextResult res = read_text(t);
    CHECK(res.text == text);
    CHECK(res.lines == static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')));
    CHECK(res.blocks > 1);
  }
  // The same in UTF-8, where every chunk edge falls mid-line.
  CHECK(decode_all(text, 65537) == text);
}

TEST_CASE("TextReader: a pair split exactly at the raw chunk edge") {
  // 1 MiB of raw bytes = the reader's chunk; the pair straddles it.
  std::string text(((1u << 20) - 2) / 2, 'a');  // units; then the pair starts at byte 1 MiB - 2
  text += "😀\n";
  const std::string bytes = to_utf16(text, false);
  CHECK(decode_all(bytes, SIZE_MAX) == text);
}

TEST_CASE("TextReader: dangling odd byte and trailing high surrogate become U+FFFD") {
  CHECK(decode_all("\xFF\xFE" + to_utf16("ab", false) + "X", 1) == "ab" + kFFFD + "\n");
  CHECK(decode_all("\xFF\xFE" + to_utf16("ab", false) + std::string("\x3D\xD8", 2), 1) ==
        "ab" + kFFFD + "\n");
  CHECK(decode_all("\xFE\xFF" + to_utf16("ab", true) + std::string("\xD8\x3D", 2) + "Q", 2) ==
        "ab" + kFFFD + kFFFD + "\n");
}

TEST_CASE("TextReader: invalid UTF-8 that reads as no code page passes through as bytes") {
  // FF FE mid-stream is not a BOM; three bytes >= 0x80 in a row are no windows-1252 text,
  // and C3 28 no GB18030.
  const std::string bad = "ok \xC3\x28 \xFF\xFE\xFD? no\n";
  CHECK(decode_all(bad, 5) == bad);
  // With a BOM, or with more good UTF-8 than bad, windows-1252 text is damaged UTF-8 too.
  const std::string cafe = "caf\xE9 \xE0 la carte\n";
  CHECK(decode_all("\xEF\xBB\xBF" + cafe, 5) == cafe);
  CHECK(decode_all("ünd ö\n" + cafe, 5) == "ünd ö\n" + cafe);
}

TEST_CASE("TextReader: empty input, BOM-only input, final line gets a newline") {
  for (const std::string& in : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\xFF\xFE")}) {
    StringReader r(in);
    TextReader t(r, "");
    TextBlock b;
    CHECK_FALSE(t.next(b));
    CHECK(t.bytes_read() == in.size());
  }
  CHECK(decode_all("a\nb", 1) == "a\nb\n");
  CHECK(decode_all("\n\n", 1) == "\n\n");
}

TEST_CASE("TextReader: the head given by the caller comes first") {
  const std::string all = to_utf16("abc\ndef\n", false);
  StringReader r(all.substr(6));
  TextReader t(r, all.substr(0, 6));
  CHECK(t.encoding() == Encoding::Utf16LE);
  CHECK(read_text(t).text == "abc\ndef\n");
  CHECK(t.bytes_read() == all.size());
}

TEST_CASE("TextReader: long lines are cut into max_line pieces, never dropped") {
  const std::string long_line = std::string(10, 'A') + std::string(10, 'B') + "CCCCC";
  const std::string in = "short\n" + long_line + "\nafter\n" + std::string(20, 'x') + "\nend";
  for (size_t step : {size_t(1), size_t(7), SIZE_MAX}) {
    StringReader r(in, step);
    TextReader t(r, "", 10);
    const TextResult res = read_text(t, true);
    CHECK(res.text == "short\nAAAAAAAAAA\nBBBBBBBBBB\nCCCCC\nafter\nxxxxxxxxxx\nxxxxxxxxxx\nend\n");
    CHECK(t.split_lines() == 2);
    // Pieces keep the number of the line they came from; later lines keep theirs.
    REQUIRE(res.numbered.size() == 8);
    CHECK(res.numbered[1].first == 2);
    CHECK(res.numbered[3].first == 2);
    CHECK(res.numbered[4] == std::make_pair(uint64_t(3), std::string("after")));
    CHECK(res.numbered[7] == std::make_pair(uint64_t(5), std::string("end")));
  }
  // A line of exactly max_line bytes is not cut.
  StringReader r2("0123456789\n");
  TextReader t2(r2, "", 10);
  CHECK(read_text(t2).text == "0123456789\n");
  CHECK(t2.split_lines() == 0);
}

TEST_CASE("TextReader: a cut does not split a UTF-8 sequence") {
  StringReader r("aaaaaaaaa中b\n");  // the 3-byte character spans bytes 9..11
  TextReader t(r, "", 10);
  CHECK(read_text(t).text == "aaaaaaaaa\n中b\n");
  CHECK(t.split_lines() == 1);
}

TEST_CASE("TextReader: a huge line without newline stays within max_line per piece") {
  const std::string in(5u << 20, 'z');  // 5 MiB, no newline at all
  StringReader r(in, 1u << 16);
  TextReader t(r, "", 1u << 20);
  TextBlock b;
  uint64_t pieces = 0, total = 0;
  while (t.next(b)) {
    CHECK(b.data.size() <= (1u << 20) + 1);
    total += b.data.size() - 1;
    ++pieces;
  }
  CHECK(pieces == 5);
  CHECK(total == in.size());
  CHECK(t.split_lines() == 1);
}

TEST_CASE("TextReader: a block's owner keeps its bytes while the reader goes on") {
  // Block workers keep a block's owner instead of copying it: the bytes must stay as they were
  // however far the reader has moved on (it then reads into another storage).
  std::string text;
  for (int i = 0; text.size() < (5u << 20); ++i) text += "line " + std::to_string(i) + " of a kept block\n";
  for (bool utf16 : {false, true}) {
    StringReader r(utf16 ? "\xFF\xFE" + to_utf16(text, false) : text, 300001);
    TextReader t(r, "");
    std::vector<TextBlock> kept;
    for (TextBlock b; t.next(b);) {
      REQUIRE(b.owner);
      kept.push_back(b);
    }
    REQUIRE(kept.size() > 4);
    std::string joined;
    for (const auto& b : kept) joined.append(b.data);
    CHECK(joined == text);
    // Without owners kept, the reader reuses its storage: the same bytes come back.
    StringReader again(text, 300001);
    TextReader u(again, "");
    std::string plain;
    for (TextBlock b; u.next(b);) plain.append(b.data);
    CHECK(plain == text);
  }
}

TEST_CASE("TextReader: storage stays bounded while the last blocks are held") {
  // Block workers hold a block or two while the reader goes on, so each refill leaves the old
  // storage to them; the new one must be as big as it was, not grow with every refill (which
  // over 64 MiB ends in bad_alloc).
  std::string text;
  for (int i = 0; text.size() < (64u << 20); ++i) text += "held row " + std::to_string(i) + "\n";
  for (bool utf16 : {false, true}) {
    StringReader r(utf16 ? "\xFF\xFE" + to_utf16(text, false) : text, 700001);
    TextReader t(r, "");
    std::deque<TextBlock> held;
    uint64_t bytes = 0, lines = 0;
    for (TextBlock b; t.next(b);) {
      bytes += b.data.size();
      lines += b.lines;
      held.push_back(b);
      if (held.size() > 2) held.pop_front();
    }
    CHECK(bytes == text.size());
    CHECK(lines == static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')));
  }
}

namespace {
// A StringReader that notes where each read lands and which stream offset it carries.
class PlacementReader : public ByteReader {
 public:
  PlacementReader(std::string s, size_t step) : inner_(std::move(s), step) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = inner_.read(buf, n);
    if (k) reads.push_back({reinterpret_cast<uintptr_t>(buf), pos_});
    pos_ += k;
    return k;
  }
  std::vector<std::pair<uintptr_t, size_t>> reads;  // (destination, offset in the reader)
 private:
  StringReader inner_;
  size_t pos_ = 0;
};
}  // namespace

TEST_CASE("TextReader: reads land at their stream offset's page position") {
  // The kernel's page-cache copy is slow on some CPUs when the destination sits a few bytes
  // past the source modulo a page; the reader places each read at the same page position.
  std::string text;
  for (uint64_t i = 0; text.size() < (6u << 20); ++i) text += "placed row " + std::to_string(i * 7919) + "\n";
  for (bool utf16 : {false, true}) {
    for (size_t head_size : {size_t(0), size_t(1234)}) {
      const std::string bytes = utf16 ? "\xFF\xFE" + to_utf16(text, false) : text;
      PlacementReader r(bytes.substr(head_size), 300007);
      TextReader t(r, bytes.substr(0, head_size));
      const size_t sniffed = r.reads.size();  // the encoding sniff reads into a small head
      std::string out;
      for (TextBlock b; t.next(b);) out.append(b.data);
      CHECK(out == text);
      REQUIRE(r.reads.size() > sniffed + 10);
      size_t misplaced = 0;
      for (size_t i = sniffed; i < r.reads.size(); ++i) {
        const auto [dst, off] = r.reads[i];
        if ((dst - (off + head_size)) % 4096 != 0) ++misplaced;
      }
      CHECK(misplaced == 0);
    }
  }
}
