#include "match/bytes.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace marsscan::match {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;

uint64_t load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

template <bool kRejectFoldVariants>
bool check_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  auto cont = [&](size_t k) { return k < n && (p[k] & 0xC0) == 0x80; };
  while (i < n) {
#if defined(__SSE2__)
    // Logs are mostly ASCII: 64 bytes per step while no byte has its top bit set.
    if (n - i >= 64) {
      const auto* v = reinterpret_cast<const __m128i*>(p + i);
      __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                 _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
      if (_mm_movemask_epi8(any) == 0) {
        i += 64;
        continue;
      }
    }
#endif
    if (n - i >= 8 && (load(reinterpret_cast<const char*>(p + i)) & (kOnes * 0x80)) == 0) {
      i += 8;
      continue;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(i + 1)) return false;
      if (kRejectFoldVariants && c == 0xC5 && p[i + 1] == 0xBF) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 1 >= n) return false;
      unsigned char d = p[i + 1];
      if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F) || !cont(i + 1) || !cont(i + 2))
        return false;
      if (kRejectFoldVariants && c == 0xE2 && d == 0x84 && p[i + 2] == 0xAA) return false;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 1 >= n) return false;
      unsigned char d = p[i + 1];
      if ((c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F) || !cont(i + 1) || !cont(i + 2) ||
          !cont(i + 3))
        return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view s) { return check_utf8<false>(s); }
bool is_sievable_utf8(std::string_view s) { return check_utf8<true>(s); }

}  // namespace marsscan::match
