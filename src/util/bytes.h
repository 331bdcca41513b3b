// Byte counting over whole blocks, vectorised so that it costs far less than the work it serves.
#pragma once
#include <cstdint>

namespace marsscan {

// Number of '\n' bytes in [begin, end).
uint64_t count_newlines(const char* begin, const char* end);

}  // namespace marsscan
