#include "match/sieve.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace marsscan::match {

namespace {

// A gram is its bytes loaded as a little-endian word, so that `& 0xFFFFFF` keeps the first 3.
static_assert(std::endian::native == std::endian::little, "the sieve reads grams little-endian");

constexpr uint32_t kWide = 4u << 24, kNarrow = 3u << 24;  // Entry::key kinds
constexpr uint32_t kFold = 0x20202020u;

constexpr uint32_t kBits = 18;  // per bitmap: 32 KiB, so that a gram common in every line of
                                // a log (its fixed prefix) seldom shares a bit with a filed one
// 32-bit arithmetic only, so that the AVX2 path computes eight at once.
uint32_t hash(uint32_t gram) {
  uint32_t x = gram * 0x9E3779B1u;
  x ^= x >> 16;
  return (x * 0x85EBCA6Bu) >> (32 - kBits);
}

uint32_t load_gram(const unsigned char* p) {
  uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w | kFold;
}

}  // namespace

LiteralSieve::LiteralSieve(std::vector<Literal> literals)
    : literals_(std::move(literals)), bits_(2 * (size_t{1} << kBits) / 64) {
  for (uint32_t l = 0; l < literals_.size(); ++l) {
    const std::string& lit = literals_[l].text;
    if (lit.size() < kMinLength || lit.size() >= (1u << 16))
      throw std::invalid_argument("LiteralSieve: literal length out of range: " + lit);
    const auto* bytes = reinterpret_cast<const unsigned char*>(lit.data());
    for (size_t cls = 0; cls < kStride; ++cls) {
      // The rarest gram at an offset of this class: a 4-byte one where the literal has room.
      size_t width = lit.size() >= cls + 4 ? 4 : 3;
      size_t best = cls;
      double best_bits = -1;
      for (size_t j = cls; j + width <= lit.size(); j += kStride) {
        double b = gram_rarity(std::string_view(lit).substr(j, width));
        if (b > best_bits) best_bits = b, best = j;
      }
      uint32_t gram = 0;
      std::memcpy(&gram, bytes + best, width);
      gram |= width == 4 ? kFold : (kFold & 0xFFFFFF);
      uint32_t h = hash(gram), bit = h + (width == 4 ? 0 : 1u << kBits);
      bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
      narrow_ |= width == 3;
      entries_.push_back({(width == 4 ? kWide : kNarrow) | h, l, static_cast<uint32_t>(best)});
    }
  }
  auto tie = [](const Entry& e) { return std::tuple(e.key, e.literal, e.offset); };
  std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) { return tie(a) < tie(b); });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [&](const Entry& a, const Entry& b) { return tie(a) == tie(b); }),
                 entries_.end());
}

void LiteralSieve::check(const unsigned char* data, size_t n, size_t at, uint32_t key,
                         std::vector<Occurrence>& out) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Entry& e, uint32_t k) { return e.key < k; });
  for (; it != entries_.end() && it->key == key; ++it) {
    if (at < it->offset) continue;
    size_t begin = at - it->offset;
    const Literal& lit = literals_[it->literal];
    size_t end = begin + lit.text.size();
    if (end > n) continue;
    size_t k = 0;
    while (k < lit.text.size() && fold_byte(static_cast<char>(data[begin + k])) == lit.text[k]) ++k;
    if (k != lit.text.size()) continue;
    if (lit.word_start && begin > 0 && is_word_byte(static_cast<char>(data[begin - 1]))) continue;
    if (lit.word_end && end < n && is_word_byte(static_cast<char>(data[end]))) continue;
    out.push_back({it->literal, static_cast<uint32_t>(begin)});
  }
}

#if defined(__x86_64__)
namespace {

__attribute__((target("avx2"))) inline __m256i hashes(__m256i x) {  // hash() on 8 lanes
  x = _mm256_mullo_epi32(x, _mm256_set1_epi32(static_cast<int>(0x9E3779B1u)));
  x = _mm256_xor_si256(x, _mm256_srli_epi32(x, 16));
  x = _mm256_mullo_epi32(x, _mm256_set1_epi32(static_cast<int>(0x85EBCA6Bu)));
  return _mm256_srli_epi32(x, 32 - kBits);
}

// 1 in the lanes whose hash has its bit set in `bitmap`.
__attribute__((target("avx2"))) inline __m256i bitmap_hits(const int* bitmap, __m256i h) {
  __m256i words = _mm256_i32gather_epi32(bitmap, _mm256_srli_epi32(h, 5), 4);
  __m256i bit = _mm256_and_si256(h, _mm256_set1_epi32(31));
  return _mm256_and_si256(_mm256_srlv_epi32(words, bit), _mm256_set1_epi32(1));
}

}  // namespace

// Eight sampled positions per step: two 16-byte loads give the eight 4-byte grams at
// i, i+3, ..., i+21; their hashes index both bitmaps through gathers. Positions that hit are
// handed to visit(), which repeats the test in scalar code and checks the literals.
__attribute__((target("avx2"))) size_t LiteralSieve::scan_avx2(const unsigned char* p, size_t n,
                                                               std::vector<Occurrence>& out) const {
  static_assert(kStride == 3, "the shuffle below takes every third byte");
  const __m256i shuffle = _mm256_setr_epi8(0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12,
                                           0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12);
  const __m256i fold = _mm256_set1_epi32(static_cast<int>(kFold));
  const __m256i three = _mm256_set1_epi32(0xFFFFFF);
  const auto* wide = reinterpret_cast<const int*>(bits_.data());
  const auto* narrow = wide + (size_t{1} << kBits) / 32;
  size_t i = 0;
  for (; i + 28 <= n; i += 8 * kStride) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 12));
    __m256i grams = _mm256_or_si256(_mm256_shuffle_epi8(_mm256_set_m128i(b, a), shuffle), fold);
    __m256i any = bitmap_hits(wide, hashes(grams));
    if (narrow_) any = _mm256_or_si256(any, bitmap_hits(narrow, hashes(_mm256_and_si256(grams, three))));
    if (!_mm256_testz_si256(any, any)) [[unlikely]] {
      for (size_t k = 0; k < 8; ++k) visit(p, n, i + k * kStride, load_gram(p + i + k * kStride), out);
    }
  }
  return i;
}
#endif

void LiteralSieve::visit(const unsigned char* p, size_t n, size_t i, uint32_t w,
                         std::vector<Occurrence>& out) const {
  const uint64_t* wide = bits_.data();
  const uint64_t* narrow = bits_.data() + (size_t{1} << kBits) / 64;
  uint32_t h4 = hash(w);
  if ((wide[h4 >> 6] >> (h4 & 63)) & 1) [[unlikely]]
    check(p, n, i, kWide | h4, out);
  if (narrow_) {
    uint32_t h3 = hash(w & 0xFFFFFF);
    if ((narrow[h3 >> 6] >> (h3 & 63)) & 1) [[unlikely]]
      check(p, n, i, kNarrow | h3, out);
  }
}

void LiteralSieve::scan(std::string_view text, std::vector<Occurrence>& out, bool simd) const {
  if (text.size() >= (uint64_t{1} << 32)) throw std::length_error("LiteralSieve::scan: 4 GiB or more");
  if (entries_.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (simd && avx2) i = scan_avx2(p, n, out);
#else
  (void)simd;
#endif
  for (; i + 4 <= n; i += kStride) visit(p, n, i, load_gram(p + i), out);
  // The last positions have fewer than 4 bytes left: pad them (check() measures a
  // literal against the real end, so padding cannot make an occurrence).
  for (; i + 3 <= n; i += kStride) {
    unsigned char tail[4] = {0, 0, 0, 0};
    std::memcpy(tail, p + i, n - i);
    visit(p, n, i, load_gram(tail), out);
  }
}

}  // namespace marsscan::match
