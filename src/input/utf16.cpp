#include "input/utf16.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace marsscan::input::detail {
namespace {

inline uint32_t unit_at(const unsigned char* p, bool be) {
  return be ? (uint32_t(p[0]) << 8 | p[1]) : (uint32_t(p[1]) << 8 | p[0]);
}

inline char* put_replacement(char* o, const char* out, Utf16Damage* damage) {
  if (damage && damage->unpaired++ == 0) damage->first = static_cast<size_t>(o - out);
  std::memcpy(o, kReplacement, 3);
  return o + 3;
}

#if defined(__SSE2__)
// Loads 8 code units as native little-endian 16-bit lanes.
inline __m128i load_units(const unsigned char* p, bool be) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  if (be) v = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
  return v;
}
inline bool all_ascii(__m128i v) {
  // Any bit at or above 0x80 in a unit means it is not ASCII.
  const __m128i high = _mm_and_si128(v, _mm_set1_epi16(static_cast<short>(0xFF80)));
  return _mm_movemask_epi8(_mm_cmpeq_epi16(high, _mm_setzero_si128())) == 0xFFFF;
}
#endif

}  // namespace

size_t utf16_decode(const unsigned char* in, size_t n, bool be, char* out, size_t* written,
                    Utf16Damage* damage) {
  const unsigned char* p = in;
  const unsigned char* const end = in + (n & ~size_t(1));
  char* o = out;
  while (p < end) {
#if defined(__SSE2__)
    // ASCII runs (nearly all of a MARS log): 16 units per step, packed to bytes.
    while (end - p >= 32) {
      const __m128i a = load_units(p, be);
      const __m128i b = load_units(p + 16, be);
      if (!all_ascii(_mm_or_si128(a, b))) break;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), _mm_packus_epi16(a, b));
      p += 32;
      o += 16;
    }
    if (end - p >= 16) {
      const __m128i a = load_units(p, be);
      if (all_ascii(a)) {
        _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_packus_epi16(a, a));
        p += 16;
        o += 8;
        continue;
      }
    }
#endif
    // Scalar step: up to 8 units (or to the end), then back to the vector loop.
    const unsigned char* stop = (end - p > 16) ? p + 16 : end;
    while (p < stop) {
      const uint32_t u = unit_at(p, be);
      if (u < 0x80) {
        *o++ = static_cast<char>(u);
        p += 2;
      } else if (u < 0x800) {
        o[0] = static_cast<char>(0xC0 | (u >> 6));
        o[1] = static_cast<char>(0x80 | (u & 0x3F));
        o += 2;
        p += 2;
      } else if (u < 0xD800 || u > 0xDFFF) {
        o[0] = static_cast<char>(0xE0 | (u >> 12));
        o[1] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        o[2] = static_cast<char>(0x80 | (u & 0x3F));
        o += 3;
        p += 2;
      } else if (u <= 0xDBFF) {  // high surrogate: needs its partner
        if (end - p < 4) {
          // The partner may be in the next chunk: leave this unit unconsumed.
          *written = static_cast<size_t>(o - out);
          return static_cast<size_t>(p - in);
        }
        const uint32_t lo = unit_at(p + 2, be);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          const uint32_t cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          o[0] = static_cast<char>(0xF0 | (cp >> 18));
          o[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          o[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          o[3] = static_cast<char>(0x80 | (cp & 0x3F));
          o += 4;
          p += 4;
        } else {
          o = put_replacement(o, out, damage);  // high surrogate without a low one
          p += 2;
        }
      } else {
        o = put_replacement(o, out, damage);  // low surrogate without a high one
        p += 2;
      }
    }
  }
  *written = static_cast<size_t>(o - out);
  return static_cast<size_t>(p - in);
}

}  // namespace marsscan::input::detail
