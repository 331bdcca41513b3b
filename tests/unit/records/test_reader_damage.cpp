// read_leaf on damaged text leaves: one error per kind of damage naming the leaf, after
// every line was still handed to the sink; clean leaves stay error-free.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "records/reader.h"

using namespace marsscan;
using namespace marsscan::records;

namespace {

class BytesReader : public input::ByteReader {
 public:
  explicit BytesReader(std::string data) : data_(std::move(data)) {}
  size_t read(char* buf, size_t n) override {
    const size_t k = std::min({n, size_t(5), data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

struct Result {
  std::vector<std::string> lines;
  std::vector<input::InputError> errors;
};

class Sink : public RecordSink {
 public:
  Result res;
  void on_text(std::string_view, const input::TextBlock& block, YearResolver&) override {
    std::string_view d = block.data;
    for (size_t nl; (nl = d.find('\n')) != std::string_view::npos; d.remove_prefix(nl + 1))
      res.lines.emplace_back(d.substr(0, nl));
  }
  void on_event(const Record&) override {}
  void on_error(const input::InputError& e) override { res.errors.push_back(e); }
};

Result read(const std::string& bytes, const std::string& name = "bundle.zip!Temp/x.errlog") {
  BytesReader r(bytes);
  input::Leaf leaf;
  leaf.name = name;
  leaf.reader = &r;
  Sink sink;
  read_leaf(leaf, ReadOptions{}, sink);
  return sink.res;
}

std::string utf16le(std::string_view ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) out += c, out += '\0';
  return out;
}

}  // namespace

TEST_CASE("read_leaf damage: an empty file is an error naming it") {
  const Result r = read("", "a.zip!empty.errlog");
  CHECK(r.lines.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].source == "a.zip!empty.errlog");
  CHECK(r.errors[0].message == "empty file");
  // A BOM alone is not empty: it is a file with no lines.
  CHECK(read("\xEF\xBB\xBF").errors.empty());
}

TEST_CASE("read_leaf damage: invalid UTF-8 is reported once, with count and first line") {
  const Result r = read("fine\nx \xC3\x28 y\n\xFF\xFE\xFD (ID: 34513)\n");
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[2] == "\xFF\xFE\xFD (ID: 34513)");  // still scanned, bytes as they were
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].source == "bundle.zip!Temp/x.errlog");
  CHECK(r.errors[0].message ==
        "invalid UTF-8: 4 sequences shown as U+FFFD (first at line 2); the lines are still scanned");
  CHECK(read("\xEF\xBB\xBFok \xC3\n").errors.at(0).message.find("1 sequence shown") != std::string::npos);
}

TEST_CASE("read_leaf damage: NUL bytes make it binary content, one error for all of it") {
  // Enough text first that the few NULs do not look like UTF-16 to the sniffer.
  std::string bin;
  for (int i = 0; i < 20; ++i) bin += "text line\n";
  bin += std::string("\x01\x00\xFF\x00\x9A", 5);
  bin += "\n";
  const Result r = read(bin);
  CHECK(r.lines.size() == 21);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message ==
        "binary content (2 NUL bytes, first at line 21, 2 invalid UTF-8 sequences): scanned as text");
}

TEST_CASE("read_leaf damage: UTF-16 unpaired surrogates and an odd byte, each its own error") {
  std::string bytes = utf16le("one\r\ntwo ");
  bytes += std::string("\x00\xDC", 2);        // lone low surrogate on line 2
  bytes += utf16le("\r\nthree (ID: 34513)\r\n").substr(2);
  bytes += std::string("\x00\xD8", 2) + "A";  // high surrogate without partner, then an odd byte
  const Result r = read(bytes, "odd.errlog");
  REQUIRE(r.lines.size() == 4);
  CHECK(r.lines[1] == "two \xEF\xBF\xBD\r");
  CHECK(r.lines[2] == "three (ID: 34513)\r");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].source == "odd.errlog");
  CHECK(r.errors[0].message == "UTF-16: 2 unpaired surrogates replaced by U+FFFD (first at line 2)");
  CHECK(r.errors[1].source == "odd.errlog");
  CHECK(r.errors[1].message == "UTF-16: odd number of bytes, the last byte replaced by U+FFFD");
}

TEST_CASE("read_leaf damage: clean UTF-8 and UTF-16 text, with any characters, has no errors") {
  const std::string text = "06/07 01:23:25.640 备份失败 😀 (ID: 34513)\r\nnext\r\n";
  CHECK(read(text).errors.empty());
  CHECK(read("\xEF\xBB\xBF" + text).errors.empty());
  // UTF-16LE of the same text (through the ASCII-only helper for the ASCII part).
  CHECK(read(utf16le("plain ascii line\r\n")).errors.empty());
}
