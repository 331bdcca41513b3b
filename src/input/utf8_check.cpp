#include "input/utf8_check.h"

#include "util/utf8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace marsscan::input::detail {

namespace {

#if defined(__x86_64__)
// The run of ASCII without NUL (nearly all of a log) at p, W bytes per step: returns where it
// stops, at the first step that holds another byte or with fewer than W bytes left. Its newlines
// are counted in byte lanes (subtracting the 0xFF of a match) summed before they can overflow.
// v | (v == 0) has its top bit set exactly at a byte >= 0x80 or a NUL: one movemask tests both.
const unsigned char* ascii_run_sse2(const unsigned char* p, const unsigned char* end, uint64_t* newlines) {
  const __m128i zero = _mm_setzero_si128(), nl = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i lanes = zero;
    int steps = 0;
    for (; steps < 255 && end - p >= 16; ++steps, p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))) != 0) break;
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nl));
    }
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    *newlines += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) +
                 static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    if (steps < 255) break;
  }
  return p;
}

__attribute__((target("avx2")))
const unsigned char* ascii_run_avx2(const unsigned char* p, const unsigned char* end, uint64_t* newlines) {
  const __m256i zero = _mm256_setzero_si256(), nl = _mm256_set1_epi8('\n');
  while (end - p >= 32) {
    __m256i lanes = zero;
    int steps = 0;
    for (; steps < 255 && end - p >= 32; ++steps, p += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      if (_mm256_movemask_epi8(_mm256_or_si256(v, _mm256_cmpeq_epi8(v, zero))) != 0) break;
      lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(v, nl));
    }
    const __m256i sums = _mm256_sad_epu8(lanes, zero);
    *newlines += static_cast<uint64_t>(_mm256_extract_epi64(sums, 0)) +
                 static_cast<uint64_t>(_mm256_extract_epi64(sums, 1)) +
                 static_cast<uint64_t>(_mm256_extract_epi64(sums, 2)) +
                 static_cast<uint64_t>(_mm256_extract_epi64(sums, 3));
    if (steps < 255) break;
  }
  return p;
}

// 64 bytes a step, the tests and the count as mask bits: a third of the AVX2 loop's work per
// byte. This pass runs under the reader's lock, so it is also the serial part of -j.
__attribute__((target("avx512f,avx512bw,popcnt")))
const unsigned char* ascii_run_avx512(const unsigned char* p, const unsigned char* end, uint64_t* newlines) {
  const __m512i zero = _mm512_setzero_si512(), nl = _mm512_set1_epi8('\n');
  uint64_t n = 0;
  for (; end - p >= 64; p += 64) {
    const __m512i v = _mm512_loadu_si512(p);
    if (_mm512_movepi8_mask(v) | _mm512_cmpeq_epi8_mask(v, zero)) break;
    n += static_cast<uint64_t>(_mm_popcnt_u64(_mm512_cmpeq_epi8_mask(v, nl)));
  }
  *newlines += n;
  return p;
}
#endif

}  // namespace

Utf8Scan scan_utf8(std::string_view data) {
  Utf8Scan out;
  const auto* const begin = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* p = begin;
  const unsigned char* const end = begin + data.size();
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("popcnt");
#endif
  while (p < end) {
#if defined(__x86_64__)
    if (avx512) p = ascii_run_avx512(p, end, &out.newlines);
    if (avx2) p = ascii_run_avx2(p, end, &out.newlines);
    p = ascii_run_sse2(p, end, &out.newlines);  // what is left under 32 bytes, or up to 16 more
#endif
    // Scalar step over the next 16 bytes (or to the end), then back to the vector loop.
    const unsigned char* const stop = end - p > 16 ? p + 16 : end;
    while (p < stop) {
      const unsigned char c = *p;
      if (c >= 0x80) {
        out.ascii = false;
        size_t bad = 0;
        if (const size_t n = utf8_sequence(p, end, &bad)) {
          ++out.multibyte;
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
