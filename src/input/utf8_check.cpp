#include "input/utf8_check.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace marsscan::input::detail {
namespace {

// Bytes of the sequence at p[0] when it is valid UTF-8 (Unicode table 3-7: no overlongs,
// no surrogates, nothing above U+10FFFF); else 0 and `*bad` gets the length of the maximal
// invalid subpart, the unit the report writers replace with one U+FFFD.
size_t sequence(const unsigned char* p, const unsigned char* end, size_t* bad) {
  const unsigned char c = p[0];
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) { n = 3; lo = 0xA0; }
  else if (c == 0xED) { n = 3; hi = 0x9F; }
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) { n = 4; lo = 0x90; }
  else if (c == 0xF4) { n = 4; hi = 0x8F; }
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else {
    *bad = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < n && p + k < end; ++k) {
    const unsigned char d = p[k];
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) break;
  }
  if (k == n) return n;
  *bad = k;
  return 0;
}

}  // namespace

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
        if (const size_t n = sequence(p, end, &bad)) {
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
