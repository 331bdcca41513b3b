#include "match/sieve.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <tuple>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace marsscan::match {

namespace {

// A gram is its bytes loaded as a little-endian word, so that `& 0xFFFFFF` keeps the first 3.
static_assert(std::endian::native == std::endian::little, "the sieve reads grams little-endian");

constexpr uint64_t kFold = 0x2020202020202020u;  // fold_byte on every byte of a word

constexpr uint32_t kBits = 20;  // 128 KiB, in L2: fewer of a log's common grams share a bit
                                // with a filed one than at 32 KiB, which measured 4% slower
// Fibonacci hashing: one multiply, the top bits. 32-bit, so that SIMD lanes compute it too.
constexpr uint32_t kMultiplier = 0x9E3779B1u;
uint32_t hash(uint32_t gram) { return (gram * kMultiplier) >> (32 - kBits); }

uint32_t load_gram(const unsigned char* p) {
  uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w | static_cast<uint32_t>(kFold);
}

// std::popcount without -mpopcnt is a call into libgcc (2% of a grep run); this is its body.
int popcount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555u;
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
  return static_cast<int>((x * 0x0101010101010101u) >> 56);
}

}  // namespace

void LiteralSieve::file(uint32_t gram, uint32_t literal, uint32_t offset) {
  entries_.push_back({gram, literal, offset});
}

LiteralSieve::LiteralSieve(std::vector<Literal> literals)
    : literals_(std::move(literals)), bits_((size_t{1} << kBits) / 64) {
  for (uint32_t l = 0; l < literals_.size(); ++l) {
    const Literal& lit = literals_[l];
    const std::string& text = lit.text;
    if (text.size() < kMinLength || text.size() >= (1u << 16))
      throw std::invalid_argument("LiteralSieve: literal length out of range: " + text);
    for (uint32_t cls = 0; cls < kStride; ++cls) {
      if (text.size() < cls + 4) {
        // Bytes cls .. cls + 2 end the literal: file them with each folded byte that can
        // follow (one that ends a word when word_end; end of data reads as a space).
        uint32_t gram = 0;
        std::memcpy(&gram, text.data() + cls, 3);
        for (unsigned b = 0; b < 256; ++b)
          if (!lit.word_end || !is_word_byte(static_cast<char>(b)))
            file((gram | b << 24) | static_cast<uint32_t>(kFold), l, cls);
        continue;
      }
      size_t best = cls;
      double best_bits = -1;
      for (size_t j = cls; j + 4 <= text.size(); j += kStride) {
        double b = gram_rarity(std::string_view(text).substr(j, 4));
        if (b > best_bits) best_bits = b, best = j;
      }
      uint32_t gram = 0;
      std::memcpy(&gram, text.data() + best, 4);
      file(gram, l, static_cast<uint32_t>(best));
    }
  }
  // Group the entries by hash, in the order of the bits, for check()'s rank lookup.
  auto key = [](const Entry& e) { return std::tuple(hash(e.gram), e.gram, e.literal, e.offset); };
  // Sorted on (hash, gram) packed into one integer, then each run of equal keys (a few entries)
  // by the rest: the same order, without a hash and a tuple per comparison (start-up).
  std::vector<std::pair<uint64_t, uint32_t>> order(entries_.size());
  for (size_t e = 0; e < entries_.size(); ++e)
    order[e] = {uint64_t{hash(entries_[e].gram)} << 32 | entries_[e].gram, static_cast<uint32_t>(e)};
  std::sort(order.begin(), order.end());
  std::vector<Entry> sorted;
  sorted.reserve(entries_.size());
  for (const auto& [k, e] : order) sorted.push_back(entries_[e]);
  for (size_t b = 0; b < sorted.size();) {
    size_t e = b + 1;
    while (e < sorted.size() && sorted[e].gram == sorted[b].gram) ++e;
    std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(b), sorted.begin() + static_cast<std::ptrdiff_t>(e),
              [&](const Entry& x, const Entry& y) { return key(x) < key(y); });
    b = e;
  }
  entries_ = std::move(sorted);
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [&](const Entry& a, const Entry& b) { return key(a) == key(b); }),
                 entries_.end());
  for (size_t e = 0; e < entries_.size(); ++e) {
    uint32_t h = hash(entries_[e].gram);
    if (e == 0 || h != hash(entries_[e - 1].gram)) group_.push_back(static_cast<uint32_t>(e));
    bits_[h >> 6] |= uint64_t{1} << (h & 63);
  }
  group_.push_back(static_cast<uint32_t>(entries_.size()));
  rank_.resize(bits_.size());
  uint32_t count = 0;
  for (size_t w = 0; w < bits_.size(); ++w) rank_[w] = count, count += static_cast<uint32_t>(popcount(bits_[w]));
}

void LiteralSieve::check(const unsigned char* data, size_t n, size_t at, uint32_t gram,
                         uint32_t h, std::vector<Occurrence>& out) const {
  uint64_t below = bits_[h >> 6] & ((uint64_t{1} << (h & 63)) - 1);
  uint32_t group = rank_[h >> 6] + static_cast<uint32_t>(popcount(below));
  for (uint32_t e = group_[group]; e < group_[group + 1]; ++e) {
    const Entry& entry = entries_[e];
    if (entry.gram != gram || at < entry.offset) continue;
    size_t begin = at - entry.offset;
    const Literal& lit = literals_[entry.literal];
    size_t end = begin + lit.text.size();
    if (end > n || !equals_folded(reinterpret_cast<const char*>(data) + begin, lit.text)) continue;
    if (lit.word_start && begin > 0 && is_word_byte(static_cast<char>(data[begin - 1]))) continue;
    if (lit.word_end && end < n && is_word_byte(static_cast<char>(data[end]))) continue;
    out.push_back({entry.literal, static_cast<uint32_t>(begin)});
  }
}

#if defined(__x86_64__)
// GCC 12 warns about the undefined vectors inside its own AVX-512 intrinsics.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Sixteen sampled positions per step: one byte permutation turns 64 loaded bytes into the
// grams at i, i+3, ..., i+45, and one gather tests their bits. Zen 4 gathers slowly, so this
// gains only ~10% over the scalar loop, whose work per position is already small.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) size_t LiteralSieve::scan_avx512(
    const unsigned char* p, size_t n, std::vector<Occurrence>& out) const {
  static_assert(kStride == 3, "the permutation takes every third byte");
  alignas(64) uint8_t index[64];
  for (int lane = 0; lane < 16; ++lane)
    for (int b = 0; b < 4; ++b) index[4 * lane + b] = static_cast<uint8_t>(3 * lane + b);
  const __m512i permutation = _mm512_load_si512(index);
  const __m512i fold = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(kFold)));
  const __m512i multiplier = _mm512_set1_epi32(static_cast<int>(kMultiplier));
  const __m512i low5 = _mm512_set1_epi32(31), one = _mm512_set1_epi32(1);
  const auto* words = reinterpret_cast<const int*>(bits_.data());
  size_t i = 0;
  for (; i + 64 <= n; i += 16 * kStride) {
    __m512i grams = _mm512_or_si512(_mm512_permutexvar_epi8(permutation, _mm512_loadu_si512(p + i)), fold);
    __m512i h = _mm512_srli_epi32(_mm512_mullo_epi32(grams, multiplier), 32 - kBits);
    __m512i word = _mm512_i32gather_epi32(_mm512_srli_epi32(h, 5), words, 4);
    __mmask16 hits = _mm512_test_epi32_mask(_mm512_srlv_epi32(word, _mm512_and_si512(h, low5)), one);
    while (hits) [[unlikely]] {
      size_t at = i + kStride * static_cast<size_t>(std::countr_zero(hits));
      hits &= hits - 1;
      uint32_t gram = load_gram(p + at);
      check(p, n, at, gram, hash(gram), out);
    }
  }
  return i;
}
#pragma GCC diagnostic pop

// Eight sampled positions per step, for CPUs without AVX-512: each 128-bit lane takes 16 bytes
// (at i and at i + 12) and one in-lane shuffle makes the grams at i, i+3, ..., i+21, whose
// hashes are computed together.
__attribute__((target("avx2"))) size_t LiteralSieve::scan_avx2(const unsigned char* p, size_t n,
                                                               std::vector<Occurrence>& out) const {
  static_assert(kStride == 3, "the shuffle takes every third byte");
  const __m256i shuffle = _mm256_setr_epi8(0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12,  //
                                           0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12);
  const __m256i fold = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(kFold)));
  const __m256i multiplier = _mm256_set1_epi32(static_cast<int>(kMultiplier));
  size_t i = 0;
  for (; i + 28 <= n; i += 8 * kStride) {
    const __m256i bytes = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(p + i + 12),
                                              reinterpret_cast<const __m128i*>(p + i));
    const __m256i grams = _mm256_or_si256(_mm256_shuffle_epi8(bytes, shuffle), fold);
    const __m256i h = _mm256_srli_epi32(_mm256_mullo_epi32(grams, multiplier), 32 - kBits);
    alignas(32) uint32_t hs[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(hs), h);
    // The bit tests are scalar: Zen 3's gather made this loop slower than the scalar one.
    unsigned hits = 0;
    for (unsigned k = 0; k < 8; ++k) hits |= static_cast<unsigned>(filed(hs[k])) << k;
    while (hits) [[unlikely]] {
      const size_t k = static_cast<size_t>(std::countr_zero(hits));
      hits &= hits - 1;
      check(p, n, i + k * kStride, load_gram(p + i + k * kStride), hs[k], out);
    }
  }
  return i;
}
#endif

void LiteralSieve::scan(std::string_view text, std::vector<Occurrence>& out, Path path) const {
  if (text.size() >= (uint64_t{1} << 32)) throw std::length_error("LiteralSieve::scan: 4 GiB or more");
  if (entries_.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
#if defined(__x86_64__)
  static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512vbmi");
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (path == Path::best && avx512)
    i = scan_avx512(p, n, out);
  else if (path != Path::scalar && avx2)
    i = scan_avx2(p, n, out);
#else
  (void)path;
#endif
  auto visit = [&](size_t at, uint32_t gram) {
    uint32_t h = hash(gram);
    if (filed(h)) [[unlikely]]
      check(p, n, at, gram, h, out);
  };
  // Four positions per step from two 8-byte loads; the bit tests are independent.
  for (; i + 14 <= n; i += 4 * kStride) {
    uint64_t a, b;
    std::memcpy(&a, p + i, 8);
    std::memcpy(&b, p + i + 6, 8);
    a |= kFold, b |= kFold;
    const uint32_t g[4] = {static_cast<uint32_t>(a), static_cast<uint32_t>(a >> 24),
                           static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 24)};
    if (filed(hash(g[0])) | filed(hash(g[1])) | filed(hash(g[2])) | filed(hash(g[3]))) [[unlikely]]
      for (size_t k = 0; k < 4; ++k) visit(i + k * kStride, g[k]);
  }
  for (; i + 4 <= n; i += kStride) visit(i, load_gram(p + i));
  // The last positions have fewer than 4 bytes left: pad them with spaces, the byte a literal
  // of 5 is filed with for the end of the data (check() measures against the real end).
  for (; i + 3 <= n; i += kStride) {
    unsigned char tail[4] = {' ', ' ', ' ', ' '};
    std::memcpy(tail, p + i, n - i);
    visit(i, load_gram(tail));
  }
}

}  // namespace marsscan::match
