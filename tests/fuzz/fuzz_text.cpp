// Text decoding, TextReader and errlog lines: encoding sniffing, UTF-16 -> UTF-8, the line
// splitter (tiny max_line so over-long lines are cut often) and the errlog column parser.
#include <string>

#include "fuzz_support.h"
#include "input/text.h"
#include "records/errlog.h"

using namespace marsscan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 2) return 0;
  // Byte 0 picks max_line, byte 1 the reader's chunk size; the rest is the leaf.
  const size_t max_line = 4 + bytes[0] * 3;
  const size_t chunk = 1 + bytes[1] * 17;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 2, size - 2);

  size_t bom = 0;
  input::sniff_encoding(data, &bom);
  FUZZ_CHECK(bom <= 3 && bom <= data.size());
  for (bool be : {false, true}) {
    std::string out;
    const size_t used = input::utf16_to_utf8(data, be, out);
    FUZZ_CHECK(used <= data.size() && data.size() - used <= 3);
    FUZZ_CHECK(fuzz::valid_utf8(out));
  }

  fuzz::MemReader reader(data, chunk);
  // Half of the runs pass part of the stream as an already-read head, as read_leaf does.
  std::string head;
  if (bytes[1] & 1) {
    head.resize(std::min<size_t>(data.size(), bytes[0]));
    reader.read(head.data(), head.size());
  }
  input::TextReader text(reader, std::move(head), max_line);
  records::YearResolver years(records::TimeContext{2021, std::nullopt, 480});
  input::TextBlock block;
  uint64_t expected_line = 1;
  while (text.next(block)) {
    FUZZ_CHECK(!block.data.empty() && block.data.back() == '\n');
    FUZZ_CHECK(block.lines >= 1);
    FUZZ_CHECK(block.first_line <= expected_line);
    uint64_t lines = 0;
    std::string_view rest = block.data;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      FUZZ_CHECK(nl != std::string_view::npos);
      const std::string_view line = rest.substr(0, nl);
      // A code page's byte decodes to at most 3 bytes of UTF-8 (input/text.h).
      FUZZ_CHECK(line.size() <= std::max<size_t>(max_line, 4) * (text.legacy() == input::Legacy::none ? 1 : 3));
      rest.remove_prefix(nl + 1);
      records::Record r = records::make_line_record("fuzz", block.first_line + lines, line, years);
      FUZZ_CHECK(r.text.size() <= line.size());
      ++lines;
    }
    FUZZ_CHECK(lines == block.lines);
    expected_line = block.first_line + block.lines;
  }
  return 0;
}
