#include "input/utf8_check.h"

#include "util/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace marsscan::input::detail {

Utf8Scan scan_utf8(std::string_view data) {
  Utf8Scan out;
  const auto* const begin = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* p = begin;
  const unsigned char* const end = begin + data.size();
  while (p < end) {
#if defined(__SSE2__)
    // Runs of ASCII without NUL (nearly all of a log): 16 bytes per step.
    const __m128i zero = _mm_setzero_si128();
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if ((_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero))) != 0) break;
      p += 16;
    }
#endif
    // Scalar step over the next 16 bytes (or to the end), then back to the vector loop.
    const unsigned char* const stop = end - p > 16 ? p + 16 : end;
    while (p < stop) {
      const unsigned char c = *p;
      if (c >= 0x80) {
        size_t bad = 0;
        if (const size_t n = utf8_sequence(p, end, &bad)) {
          p += n;
          continue;
        }
        if (out.invalid++ == 0) out.first_invalid = static_cast<size_t>(p - begin);
        p += bad;
        continue;
      }
      if (c == 0 && out.nuls++ == 0) out.first_nul = static_cast<size_t>(p - begin);
      ++p;
    }
  }
  return out;
}

}  // namespace marsscan::input::detail
