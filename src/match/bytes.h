// Byte scans the matcher runs over whole blocks; word-at-a-time so that they stay far
// cheaper than the prefilter itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/bytes.h"  // count_newlines

namespace marsscan::match {

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Whether `s` is well-formed UTF-8 without U+017F LONG S and U+212A KELVIN SIGN: the only
// characters RE2's (?i) matches for an ASCII letter ('s', 'k'), which a byte fold cannot see.
// Text that fails goes to RE2 on every line instead of the literal sieve.
bool is_sievable_utf8(std::string_view s);

}  // namespace marsscan::match
