// Legacy code pages: telling GB18030 from windows-1252 from damage, decoding both, and
// TextReader decoding a leaf that turns out to be in one of them.
#include <catch2/catch.hpp>

#include <vector>

#include "helpers.h"
#include "input/legacy.h"
#include "input/text.h"

using namespace marsscan::input;
using namespace marsscan::input::test;

namespace {

// "需要代理身份验证" (proxy authentication required) and "：" in GBK, as Notepad saves them as ANSI
// on a Chinese system.
const std::string kGbProxy = "\xD0\xE8\xD2\xAA\xB4\xFA\xC0\xED\xC9\xED\xB7\xDD\xD1\xE9\xD6\xA4";
const std::string kGbColon = "\xA3\xBA";

std::string decode(Legacy cp, const std::string& in) {
  auto d = LegacyDecoder::open(cp);
  REQUIRE(d);
  std::string out = "<";
  d->decode(in, out);
  return out;
}

struct Read {
  std::vector<TextBlock> blocks;  // held, owners included, until the end
  std::string text;
  Legacy legacy;
  TextProblems problems;
};

Read read_all(const std::string& bytes, size_t step = SIZE_MAX) {
  StringReader r(bytes, step);
  TextReader t(r, "");
  Read out;
  for (TextBlock b; t.next(b);) out.blocks.push_back(b);
  for (const TextBlock& b : out.blocks) out.text += b.data;  // after the reader moved on
  out.legacy = t.legacy();
  out.problems = t.problems();
  return out;
}

}  // namespace

TEST_CASE("guess_legacy: Chinese ANSI text is GB18030, Western is windows-1252") {
  CHECK(guess_legacy("(407) " + kGbProxy + "\n") == Legacy::gb18030);
  CHECK(guess_legacy("ID" + kGbColon + "403\n") == Legacy::gb18030);  // one pair, between ASCII
  // A rarer character whose second byte is ASCII (GBK 0x8140), and a four-byte one.
  CHECK(guess_legacy("x \x81\x40 \x81\x30\x81\x30 y") == Legacy::gb18030);
  CHECK(guess_legacy("\xC9" "chec de la sauvegarde : acc\xE8s refus\xE9") == Legacy::windows1252);
  CHECK(guess_legacy("Stra\xDF" "e, \x93quoted\x94 \x80 5") == Legacy::windows1252);
  // A lone lead byte before a newline is no GB18030; it is windows-1252's "Ã".
  CHECK(guess_legacy("ok \xC3\n") == Legacy::windows1252);
}

TEST_CASE("guess_legacy: bytes that read as neither are none") {
  CHECK(guess_legacy("plain ASCII") == Legacy::none);
  CHECK(guess_legacy("") == Legacy::none);
  // Three high bytes in a row with 0xFF: no GB18030 lead, too long a run for windows-1252.
  CHECK(guess_legacy("\xFF\xFE\xFD bad \xC3\x28") == Legacy::none);
  // windows-1252 has no character for 0x81; 0x81 0x20 is no GB18030 either.
  CHECK(guess_legacy("a \x81 b") == Legacy::none);
  // 0x80 and 0xFF start no GB18030 character; a run of three is no windows-1252.
  CHECK(guess_legacy("\x80\x80\x80") == Legacy::none);
}

TEST_CASE("LegacyDecoder: windows-1252 as the WHATWG standard maps it") {
  CHECK(decode(Legacy::windows1252, "caf\xE9 \x80 \x93q\x94 \xFF\n") == "<café € “q” ÿ\n");
  // The five bytes without a character keep their C1 code points: nothing is lost.
  CHECK(decode(Legacy::windows1252, "\x81\x8D\x8F\x90\x9D") == "<\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string out = decode(Legacy::windows1252, all);
  CHECK(out.substr(1, 128) == all.substr(0, 128));                // ASCII unchanged
  CHECK(out.size() == 1 + 401);  // 128 ASCII, 0x80-0x9F in 2 or 3 bytes, 0xA0-0xFF in 2
  CHECK(out.find("Š") != std::string::npos);
  CHECK(out.find("Ÿ") != std::string::npos);
}

TEST_CASE("LegacyDecoder: GB18030 through iconv, a bad byte as U+FFFD, lines kept") {
  CHECK(decode(Legacy::gb18030, "(407) " + kGbProxy + "\n") == "<(407) 需要代理身份验证\n");
  CHECK(decode(Legacy::gb18030, "ID" + kGbColon + "403") == "<ID：403");
  CHECK(decode(Legacy::gb18030, "\x81\x30\x81\x30") == "<\xC2\x80");  // four bytes: U+0080
  // A lead byte before the newline, 0x80 and 0xFF: one U+FFFD each, the newline stays.
  CHECK(decode(Legacy::gb18030, "a\xD0\nb\x80\xFF" "c") == "<a\xEF\xBF\xBD\nb\xEF\xBF\xBD\xEF\xBF\xBD" "c");
  CHECK(decode(Legacy::gb18030, "end \xD0") == "<end \xEF\xBF\xBD");  // cut at the end
  // Output larger than the first guess of its size, and the decoder reused.
  auto d = LegacyDecoder::open(Legacy::gb18030);
  std::string big;
  for (int i = 0; i < 20000; ++i) big += kGbProxy;
  std::string out;
  d->decode(big, out);
  CHECK(out.size() == 20000u * 24);
  out.clear();
  d->decode("\xD0\xE8", out);
  CHECK(out == "需");
}

TEST_CASE("TextReader: a GBK leaf is decoded from GB18030, lines and numbers as in the file") {
  const std::string bytes = "0AB0\t06/07 01:23:25.640\tNORMAL\t(407) " + kGbProxy + "\r\n" +
                            "note: ID" + kGbColon + "403\n" + "last";
  for (size_t step : {size_t(1), size_t(7), SIZE_MAX}) {
    const Read r = read_all(bytes, step);
    CHECK(r.text == "0AB0\t06/07 01:23:25.640\tNORMAL\t(407) 需要代理身份验证\r\nnote: ID：403\nlast\n");
    CHECK(r.legacy == Legacy::gb18030);
    CHECK_FALSE(r.problems.any());
    uint64_t lines = 0;
    for (const TextBlock& b : r.blocks) {
      CHECK(b.first_line == lines + 1);
      lines += b.lines;
    }
    CHECK(lines == 3);
  }
}

TEST_CASE("TextReader: a leaf in windows-1252 is decoded from the first block with such bytes") {
  // Over a megabyte of ASCII first, so the accented lines come in a later block.
  std::string bytes;
  for (int i = 0; i < 30000; ++i) bytes += "plain ascii line number " + std::to_string(i) + " of the log\n";
  const size_t ascii = bytes.size();
  bytes += "Sauvegarde : acc\xE8s refus\xE9 (ID: 34513)\nStra\xDF" "e\n";
  const Read r = read_all(bytes, 4096);
  REQUIRE(r.blocks.size() >= 2);
  CHECK(r.text.substr(0, ascii) == bytes.substr(0, ascii));
  CHECK(r.text.substr(ascii) == "Sauvegarde : accès refusé (ID: 34513)\nStraße\n");
  CHECK(r.legacy == Legacy::windows1252);
  CHECK_FALSE(r.problems.any());
}

TEST_CASE("TextReader: in a leaf decoded from a code page, a line that is UTF-8 stays as it is") {
  // "—" (E2 80 94) before a space would be no GB18030: the lines that are not UTF-8 decide.
  const std::string bytes = "Größe — x\n(407) " + kGbProxy + "\n" + kGbProxy + kGbColon + "\n";
  const Read r = read_all(bytes);
  CHECK(r.legacy == Legacy::gb18030);
  CHECK(r.text == "Größe — x\n(407) 需要代理身份验证\n需要代理身份验证：\n");
  CHECK_FALSE(r.problems.any());
}

TEST_CASE("TextReader: max_line counts the bytes read in a leaf decoded from a code page") {
  // Found by fuzz_text: a piece of max_line bytes of windows-1252 decodes to more.
  StringReader r("x\x80y\x80z\x80w\x80 and more of the line\nnext\n", 3);
  TextReader t(r, "", 8);
  std::string text;
  for (TextBlock b; t.next(b);) {
    for (std::string_view rest = b.data; !rest.empty();) {
      const size_t nl = rest.find('\n');
      CHECK(nl <= 3 * 8);
      rest.remove_prefix(nl + 1);
    }
    text += b.data;
  }
  CHECK(t.legacy() == Legacy::windows1252);
  CHECK(text.substr(0, 17) == "x€y€z€w€\n");  // the first piece: 8 bytes read, 16 written
  CHECK(t.split_lines() == 1);
}

TEST_CASE("TextReader: damaged UTF-8 is not taken for a code page") {
  // A BOM says UTF-8: windows-1252 bytes after it are damage, passed through and counted.
  Read r = read_all("\xEF\xBB\xBF" "caf\xE9\n");
  CHECK(r.text == "caf\xE9\n");
  CHECK(r.legacy == Legacy::none);
  CHECK(r.problems.invalid_utf8 == 1);
  // More good UTF-8 sequences than bad ones, in this block or the ones before.
  r = read_all("Größe: 中文 ok\ncaf\xE9\n");
  CHECK(r.legacy == Legacy::none);
  CHECK(r.problems.invalid_utf8 == 1);
  CHECK(r.text == "Größe: 中文 ok\ncaf\xE9\n");
  // NUL bytes: binary content, as it was.
  r = read_all(std::string("caf\xE9\0\0\n", 7));
  CHECK(r.legacy == Legacy::none);
  CHECK(r.problems.nul_bytes == 2);
  CHECK(r.problems.invalid_utf8 == 1);
  // Bytes that read as no code page.
  r = read_all("x \xFF\xFE\xFD y\n");
  CHECK(r.legacy == Legacy::none);
  CHECK(r.problems.invalid_utf8 == 3);
}
