#include "match/sieve.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <tuple>
#include <type_traits>

namespace marsscan::match {

namespace {

constexpr uint32_t kWide = 4u << 24, kNarrow = 3u << 24;  // Entry::key kinds
constexpr uint32_t kFold = 0x20202020u;

constexpr uint32_t kBits = 18;  // per bitmap: 32 KiB, so that a gram common in every line of
                                // a log (its fixed prefix) seldom shares a bit with a filed one
uint32_t hash(uint32_t gram) {
  return static_cast<uint32_t>((uint64_t{gram} * 0x9E3779B97F4A7C15ull) >> (64 - kBits));
}

uint32_t load_gram(const unsigned char* p) {
  uint32_t w;
  std::memcpy(&w, p, sizeof w);
  return w | kFold;
}

bool word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
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
    while (k < lit.text.size() && static_cast<char>(data[begin + k] | 0x20) == lit.text[k]) ++k;
    if (k != lit.text.size()) continue;
    if (lit.word_start && begin > 0 && word_byte(data[begin - 1])) continue;
    if (lit.word_end && end < n && word_byte(data[end])) continue;
    out.push_back({it->literal, static_cast<uint32_t>(begin)});
  }
}

void LiteralSieve::scan(std::string_view text, std::vector<Occurrence>& out) const {
  if (text.size() >= (uint64_t{1} << 32)) throw std::length_error("LiteralSieve::scan: 4 GiB or more");
  if (entries_.empty()) return;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const uint64_t* wide = bits_.data();
  const uint64_t* narrow = bits_.data() + (size_t{1} << kBits) / 64;
  auto visit = [&](size_t i, uint32_t w, auto with_narrow) {
    uint32_t h4 = hash(w);
    bool hit4 = (wide[h4 >> 6] >> (h4 & 63)) & 1;
    if constexpr (decltype(with_narrow)::value) {
      uint32_t h3 = hash(w & 0xFFFFFF);
      bool hit3 = (narrow[h3 >> 6] >> (h3 & 63)) & 1;
      if (hit3) [[unlikely]] check(p, n, i, kNarrow | h3, out);
    }
    if (hit4) [[unlikely]] check(p, n, i, kWide | h4, out);
  };
  auto run = [&](auto with_narrow) {
    size_t i = 0;
    for (; i + 4 <= n; i += kStride) visit(i, load_gram(p + i), with_narrow);
    // The last positions have fewer than 4 bytes left: pad them (check() measures a
    // literal against the real end, so padding cannot make an occurrence).
    for (; i + 3 <= n; i += kStride) {
      unsigned char tail[4] = {0, 0, 0, 0};
      std::memcpy(tail, p + i, n - i);
      visit(i, load_gram(tail), with_narrow);
    }
  };
  if (narrow_)
    run(std::true_type{});
  else
    run(std::false_type{});
}

}  // namespace marsscan::match
