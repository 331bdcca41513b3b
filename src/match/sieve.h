// The literal sieve: finds occurrences of a set of literals (case folded, literals.h) in a
// block of text while looking at only one position in kStride.
//
// Every occurrence of a literal of length >= kMinLength spans kStride consecutive positions,
// so one of them is a sampled position, at an offset within the literal that depends only on
// where the occurrence starts modulo kStride. For each of those kStride offsets the sieve
// files one gram of the literal (4 bytes, or 3 in a literal of 5) in a bitmap;
// a sampled position whose gram is in a bitmap is checked against the literals filed under
// it. The grams filed are the rarest of each offset class, so that common text seldom gets
// past the bitmaps. Far cheaper than a pass over every byte, and exact: every occurrence is
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
  static constexpr size_t kMinLength = kStride + 2;  // a 3-byte gram at every offset class

  struct Occurrence {
    uint32_t literal;  // index into the constructor's list
    uint32_t begin;    // offset in the data
  };

  // Each literal at least kMinLength bytes long. An occurrence is one only when its word
  // boundaries (Literal::word_start / word_end) hold.
  explicit LiteralSieve(std::vector<Literal> literals);

  const std::vector<Literal>& literals() const { return literals_; }
  // Appends every occurrence in `data` (shorter than 4 GiB), in no particular order; one
  // occurrence may be appended more than once. `simd`: use AVX2 where the CPU has it (tests
  // compare both paths).
  void scan(std::string_view data, std::vector<Occurrence>& out, bool simd = true) const;

 private:
  struct Entry {
    uint32_t key;     // kind (4 or 3 byte gram) << 24 | hash of the gram
    uint32_t literal;
    uint32_t offset;  // of the gram in the literal
  };
  void check(const unsigned char* data, size_t n, size_t at, uint32_t key,
             std::vector<Occurrence>& out) const;
  // Tests the sampled position i, whose gram (folded) is w.
  void visit(const unsigned char* data, size_t n, size_t i, uint32_t w,
             std::vector<Occurrence>& out) const;
  // Returns the position where the scalar loop takes over.
  size_t scan_avx2(const unsigned char* data, size_t n, std::vector<Occurrence>& out) const;

  std::vector<Literal> literals_;
  std::vector<uint64_t> bits_;  // two bitmaps: hashes of 4-byte grams, then of 3-byte ones
  bool narrow_ = false;         // any 3-byte grams
  std::vector<Entry> entries_;  // sorted by key
};

}  // namespace marsscan::match
