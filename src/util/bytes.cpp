#include "util/bytes.h"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace marsscan {

namespace {

#if defined(__x86_64__)
// W bytes per step: a matching byte compares to 0xFF (-1), subtracted from byte counters that
// are summed before they can overflow (255 steps). No popcount, which x86-64 baseline lacks
// (GCC calls libgcc's __popcountdi2 for it: 3% of a whole grep run). Leaves p at the last
// fewer than W bytes.
uint64_t count_sse2(const char*& p, const char* end) {
  uint64_t n = 0;
  const __m128i nl = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i acc = _mm_setzero_si128();
    const long steps = std::min<long>((end - p) / 16, 255);
    for (long k = 0; k < steps; ++k, p += 16)
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), nl));
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    n += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
  return n;
}

__attribute__((target("avx2"))) uint64_t count_avx2(const char*& p, const char* end) {
  uint64_t n = 0;
  const __m256i nl = _mm256_set1_epi8('\n');
  while (end - p >= 32) {
    __m256i acc = _mm256_setzero_si256();
    const long steps = std::min<long>((end - p) / 32, 255);
    for (long k = 0; k < steps; ++k, p += 32)
      acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), nl));
    const __m256i sums = _mm256_sad_epu8(acc, _mm256_setzero_si256());
    n += static_cast<uint64_t>(_mm256_extract_epi64(sums, 0)) + static_cast<uint64_t>(_mm256_extract_epi64(sums, 1)) +
         static_cast<uint64_t>(_mm256_extract_epi64(sums, 2)) + static_cast<uint64_t>(_mm256_extract_epi64(sums, 3));
  }
  return n;
}

// 64 bytes a step: a compare into a mask and its popcount.
__attribute__((target("avx512f,avx512bw,popcnt"))) uint64_t count_avx512(const char*& p, const char* end) {
  uint64_t n = 0;
  const __m512i nl = _mm512_set1_epi8('\n');
  for (; end - p >= 64; p += 64)
    n += static_cast<uint64_t>(_mm_popcnt_u64(_mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), nl)));
  return n;
}
#endif

}  // namespace

uint64_t count_newlines(const char* p, const char* end) {
  uint64_t n = 0;
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("popcnt");
  if (avx512) n += count_avx512(p, end);
  if (avx2) n += count_avx2(p, end);
  n += count_sse2(p, end);
#endif
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

}  // namespace marsscan
