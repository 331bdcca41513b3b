// The literal sieve: finds occurrences of a set of literals (case folded, literals.h) in a
// block of text while looking at only one position in kStride.
//
// Every occurrence of a literal of length >= kMinLength spans kStride consecutive positions,
// so one of them is a sampled position, at an offset within the literal that depends only on
// where the occurrence starts modulo kStride. For each of those kStride offsets the sieve
// files one 4-byte gram of the literal in a bitmap: the rarest one of that offset class, so
// that common text seldom gets past the bitmap. (In a literal of 5 the last class has only 3
// bytes; it is filed with every byte that can follow it.) A sampled position whose gram is
// filed is checked against the literals filed under it. One multiply and one bit test per
// sampled position: far cheaper than a pass over every byte, and exact: every occurrence is
// reported, perhaps more than once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/literals.h"

namespace marsscan::match {

class LiteralSieve {
 public:
  static constexpr size_t kStride = 3;
  static constexpr size_t kMinLength = kStride + 2;

  struct Occurrence {
    uint32_t literal;  // index into the constructor's list
    uint32_t begin;    // offset in the data
  };

  // Each literal at least kMinLength bytes long. An occurrence is one only when its word
  // boundaries (Literal::word_start / word_end) hold.
  explicit LiteralSieve(std::vector<Literal> literals);

  const std::vector<Literal>& literals() const { return literals_; }
  // The loop scan() runs. Best: AVX-512, else AVX2, else scalar, as the CPU allows; a path the
  // CPU lacks falls back to the next one down (tests compare every path with brute force).
  enum class Path { best, avx2, scalar };
  // Appends every occurrence in `data` (shorter than 4 GiB), in no particular order; one
  // occurrence may be appended more than once.
  void scan(std::string_view data, std::vector<Occurrence>& out, Path path = Path::best) const;

 private:
  struct Entry {
    uint32_t gram;     // folded, little-endian
    uint32_t literal;
    uint32_t offset;   // of the gram in the literal
  };
  void file(uint32_t gram, uint32_t literal, uint32_t offset);
  bool filed(uint32_t hash) const { return (bits_[hash >> 6] >> (hash & 63)) & 1; }
  // Checks the literals filed under the gram at `at`; its hash is filed.
  void check(const unsigned char* data, size_t n, size_t at, uint32_t gram, uint32_t hash,
             std::vector<Occurrence>& out) const;
  // Returns the position where the scalar loop takes over.
  size_t scan_avx512(const unsigned char* data, size_t n, std::vector<Occurrence>& out) const;
  size_t scan_avx2(const unsigned char* data, size_t n, std::vector<Occurrence>& out) const;

  std::vector<Literal> literals_;
  std::vector<uint64_t> bits_;    // the bitmap, by hash of the gram
  // The entries of the k-th set bit of bits_ are entries_[group_[k] .. group_[k + 1]);
  // rank_[w]: the set bits in the words before bits_[w].
  std::vector<uint32_t> rank_, group_;
  std::vector<Entry> entries_;
};

}  // namespace marsscan::match
