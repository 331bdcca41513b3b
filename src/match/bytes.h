// Byte scans the matcher runs over whole blocks; word-at-a-time so that they stay far
// cheaper than the prefilter itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace marsscan::match {

// Number of '\n' bytes in [begin, end).
uint64_t count_newlines(const char* begin, const char* end);

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace marsscan::match
