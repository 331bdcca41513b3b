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
    // Runs of ASCII without NUL (nearly all of a log): 16 bytes per step, the newlines
    // counted in byte lanes (subtracting the 0xFF of a match) summed before they can overflow.
    const __m128i zero = _mm_setzero_si128(), nl = _mm_set1_epi8('\n');
    while (end - p >= 16) {
      __m128i lanes = zero;
      int steps = 0;
      for (; steps < 255 && end - p >= 16; ++steps, p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        if ((_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero))) != 0) break;
        lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nl));
      }
      const __m128i sums = _mm_sad_epu8(lanes, zero);
      out.newlines += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) +
                      static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
      if (steps < 255) break;
    }
#endif
    // Scalar step over the next 16 bytes (or to the end), then back to the vector loop.
    const unsigned char* const stop = end - p > 16 ? p + 16 : end;
    while (p < stop) {
      const unsigned char c = *p;
      if (c >= 0x80) {
        out.ascii = false;
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
      out.newlines += c == '\n';
      ++p;
    }
  }
  return out;
}

}  // namespace marsscan::input::detail
