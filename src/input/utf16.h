// The UTF-16 -> UTF-8 hot loop behind utf16_to_utf8 and TextReader, writing into a raw
// buffer so the reader can decode straight into its line buffer without a second copy.
#pragma once
#include <cstddef>
#include <cstdint>

namespace marsscan::input::detail {

// Worst-case UTF-8 bytes for `n` bytes of UTF-16 input (3 per code unit, plus one U+FFFD).
inline size_t utf16_max_output(size_t n) { return n / 2 * 3 + 3; }

// Unpaired surrogates met by one utf16_decode call; `first` is the output offset (from
// `out`) of the U+FFFD written for the first. Counted on the scalar path only, so free.
struct Utf16Damage {
  size_t unpaired = 0;
  size_t first = SIZE_MAX;
};

// Decodes `n` bytes at `in` into `out` (which holds utf16_max_output(n) bytes). Stores the
// number of bytes written in `*written` and returns the input bytes consumed: a trailing odd
// byte or a trailing high surrogate is left unconsumed. Unpaired surrogates become U+FFFD
// and are counted in `*damage` when given.
size_t utf16_decode(const unsigned char* in, size_t n, bool big_endian, char* out,
                    size_t* written, Utf16Damage* damage = nullptr);

// U+FFFD in UTF-8, for the reader's end-of-stream leftovers.
inline constexpr char kReplacement[] = "\xEF\xBF\xBD";

}  // namespace marsscan::input::detail
