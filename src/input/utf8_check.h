// Damage counting for decoded UTF-8 text: invalid sequences and NUL bytes. Behind
// TextReader::problems(); one pass over each block with an ASCII fast path, so clean logs
// pay a few cycles per 32 bytes (16 without AVX2). The same pass counts the lines, which the
// block needs too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace marsscan::input::detail {

struct Utf8Scan {
  static constexpr size_t npos = SIZE_MAX;
  uint64_t invalid = 0;        // maximal invalid subparts (what a viewer shows as one U+FFFD each)
  size_t first_invalid = npos; // offset of the first one in the scanned data
  uint64_t nuls = 0;           // NUL bytes: no log text has them, binary content does
  size_t first_nul = npos;
  uint64_t multibyte = 0;       // valid sequences of 2-4 bytes
  uint64_t newlines = 0;
  bool ascii = true;           // no byte >= 0x80
};

// Counts the damage in `data`. A sequence cut by the end of `data` counts as invalid:
// callers scan whole lines, which never cut one.
Utf8Scan scan_utf8(std::string_view data);

}  // namespace marsscan::input::detail
