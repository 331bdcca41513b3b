// Required literals: for a regex, a small set of strings at least one of which occurs in every
// line the regex matches. The literal sieve (sieve.h) searches for them instead of the regexes.
#pragma once
#include <atomic>
#include <compare>
#include <cstring>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 { class FilteredRE2; }

namespace marsscan::match {

// Folds a byte the way the sieve compares text: ORs in 0x20, so ASCII letters compare without
// case. It folds some other bytes together too ('[' with '{', '\n' with '*'), which only
// costs a candidate that RE2 then rejects.
inline char fold_byte(char c) { return static_cast<char>(c | 0x20); }
std::string fold(std::string_view s);
// Whether the bytes at `data`, folded, equal `folded` (already folded); eight at a time.
inline bool equals_folded(const char* data, std::string_view folded) {
  constexpr uint64_t kFold8 = 0x2020202020202020u;
  size_t k = 0;
  for (; k + 8 <= folded.size(); k += 8) {
    uint64_t a, b;
    std::memcpy(&a, data + k, 8);
    std::memcpy(&b, folded.data() + k, 8);
    if ((a | kFold8) != b) return false;
  }
  for (; k < folded.size(); ++k)
    if (fold_byte(data[k]) != folded[k]) return false;
  return true;
}

// An ASCII word byte, as RE2's \b sees it: [0-9A-Za-z_].
inline bool is_word_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// How rare a folded string is likely to be in a log, in bits (letters by their frequency in
// English, digits, punctuation and multibyte characters as rarer), so that the rarest of
// several choices can be taken.
double rarity(std::string_view folded);
// The same for a piece of a literal, which is as common as any common word holding it.
double gram_rarity(std::string_view folded);

// A required literal, folded. word_start / word_end: in every match the regex makes through
// this literal, the byte before / after it is not an ASCII word byte (or there is none), as
// a `\b` written next to it demands. Near misses such as 0x1FC070 for 0x1FC07 stop there.
struct Literal {
  std::string text;
  bool word_start = false, word_end = false;
  auto operator<=>(const Literal&) const = default;
};

// A cover of `re2_regex` (compiled with match::regex_options): folded literals, each at
// least `min_length` bytes, such that any text the regex matches contains one of them once
// both are folded. Empty when there is none: the regex can match without a literal of that
// length (`\d+`), or its only literals contain letters whose case RE2 folds beyond ASCII.
// With (?i), RE2 also matches U+212A KELVIN SIGN for `k` and U+017F LONG S for `s`; such text
// must not be sieved (is_sievable_utf8 in bytes.h).
// Among the possible covers it prefers long, rare literals (error codes over common words).
std::vector<Literal> literal_cover(std::string_view re2_regex, size_t min_length);

// A regex's monotone and/or formula over its atoms (RE2's FilteredRE2), evaluated on a line.
// The sieve finds a candidate line through one literal of a cover; the formula then turns
// away, before RE2, the lines that lack the regex's other required atoms ("34513" without
// "id:"), which in a log dense with near misses are most candidates. Thread-safe.
class AtomFormula {
 public:
  AtomFormula(std::unique_ptr<re2::FilteredRE2> filter, const std::vector<std::string>& atoms);
  ~AtomFormula();
  // False only when the regex cannot match `line` (subject to the same condition on the text
  // as the sieve: is_sievable_utf8). An atom the byte fold cannot find (letters with
  // case beyond ASCII) counts as present, and so does one within `present` (folded text known
  // to be in the line: the literal the sieve found).
  bool may_match(std::string_view line, std::string_view present = {}) const {
    return may_match(line, atoms_in(present));
  }
  // The same with the atoms known present given as a set: bit i for atom i (atoms_in).
  bool may_match(std::string_view line, uint64_t present) const;
  // The set of atoms (the first 63) that occur in `folded`, for may_match: a caller that meets
  // one literal many times works it out once.
  uint64_t atoms_in(std::string_view folded) const;

 private:
  static constexpr size_t kMemoAtoms = 12;
  std::unique_ptr<re2::FilteredRE2> filter_;
  std::vector<std::string> atoms_;  // folded; empty when unsearchable (always present)
  bool all_needed_ = false;         // the formula is the AND of every atom
  // With few atoms: the answer per set of atoms found (bit i: atom i), filled in as met.
  std::unique_ptr<std::atomic<uint8_t>[]> memo_;
  // With the memo: the order atoms are searched in. Multi-byte atoms first, single bytes (the
  // \s of `\s+`, present in nearly every line, absent ones costing a pass over all of it) last;
  // the test stops once the atoms found decide the formula either way.
  std::vector<uint8_t> order_;
  bool passes(size_t found) const;  // the formula when exactly the atoms in `found` are there
};

// The formula of `re2_regex`; null when it has fewer than two atoms (nothing to test beyond
// the cover literal the sieve found) or RE2 rejects it.
std::shared_ptr<const AtomFormula> atom_formula(std::string_view re2_regex);

}  // namespace marsscan::match
