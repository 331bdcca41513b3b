#include "match/literals.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "match/regex.h"

#include <immintrin.h>

namespace marsscan::match {

namespace {

constexpr double kUnusable = -std::numeric_limits<double>::infinity();

// Words so frequent in agent and Windows logs that a literal made of one would send many
// lines to RE2 (they are in the ordinary lines of mars-formats.md: progress, heartbeat, VHD,
// catalog and provider chatter, class names): a cover prefers anything else.
constexpr std::array<std::string_view, 48> kCommonWords = {
    "error",    "fail",     "failed",   "failure",  "warning",  "backup",   "file",     "files",
    "service",  "services", "server",   "status",   "update",   "volume",   "windows",  "microsoft",
    "azure",    "unable",   "access",   "recovery", "system",   "could",    "cannot",   "return",
    "returned", "code",     "progress", "progress:", "management", "attach", "attached", "helper",
    "provider", "session",  "started",  "finished", "transfer", "data",     "source",   "mapped",
    "items",    "container", "catalog", "upload",   "uploading", "entries", "records",  "with"};

// Code points without case, so that RE2's lowercase atom and the sieve's byte fold agree.
bool caseless(char32_t c) {
  return (c >= 0x2000 && c <= 0x206F) ||   // general punctuation: quotes, dashes
         (c >= 0x2E80 && c <= 0x9FFF) ||   // CJK radicals, punctuation, kana, ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||   // Hangul syllables
         (c >= 0xF900 && c <= 0xFAFF) ||   // CJK compatibility ideographs
         (c >= 0xFF01 && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);     // full-width punctuation and digits, not letters
}

// Whether every code point of a (valid UTF-8) atom is ASCII or caseless.
bool foldable(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    if (i + len > s.size()) return false;
    char32_t c = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (!caseless(c)) return false;
    i += len;
  }
  return true;
}

}  // namespace

double rarity(std::string_view s) {
  static constexpr std::array<double, 26> kLetterPercent = {
      8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4,
      6.7, 7.5, 1.9, 0.095, 6.0, 6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074};
  double bits = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'a' && c <= 'z')
      bits += -std::log2(kLetterPercent[c - 'a'] / 100);
    else if (c >= 0x80)
      bits += 5;
    else if (c >= '0' && c <= '9')
      bits += 4.5;
    else if (c == ' ')
      bits += 2.5;
    else
      bits += 5;
  }
  if (std::find(kCommonWords.begin(), kCommonWords.end(), s) != kCommonWords.end()) bits /= 4;
  return bits;
}

double gram_rarity(std::string_view gram) {
  // A piece of a common word ("ckup" of "backup") is as common as the word. The sieve asks
  // about thousands of 4-byte grams at start-up: those pieces are listed once.
  static const std::vector<std::string_view> pieces = [] {
    std::vector<std::string_view> v;
    for (std::string_view word : kCommonWords)
      for (size_t i = 0; i + 4 <= word.size(); ++i) v.push_back(word.substr(i, 4));
    std::sort(v.begin(), v.end());
    return v;
  }();
  const bool common = gram.size() == 4
                          ? std::binary_search(pieces.begin(), pieces.end(), gram)
                          : std::any_of(kCommonWords.begin(), kCommonWords.end(), [&](std::string_view w) {
                              return w.find(gram) != std::string_view::npos;
                            });
  return common ? rarity(gram) / 4 : rarity(gram);
}

std::string fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold_byte(c);
  return out;
}

namespace {

// The spots where `folded` is spelt as plain characters (outside classes, escapes and groups)
// in a regex without alternation, as [begin, end) offsets: every match goes through each of
// them. Empty for a regex with `|` or \Q...\E.
std::vector<std::pair<size_t, size_t>> plain_spots(std::string_view re, std::string_view folded) {
  static constexpr std::string_view kMeta = "\\[](){}|?*+.^$";
  std::vector<std::pair<size_t, size_t>> spots;
  size_t run = 0;  // start of the current run of plain characters
  int depth = 0;
  for (size_t i = 0; i <= re.size(); ++i) {
    bool plain = i < re.size() && kMeta.find(re[i]) == std::string_view::npos;
    if (plain) continue;
    if (depth == 0) {
      std::string run_folded = fold(re.substr(run, i - run));
      for (size_t at = run_folded.find(folded); at != std::string::npos;
           at = run_folded.find(folded, at + 1))
        spots.emplace_back(run + at, run + at + folded.size());
    }
    if (i == re.size()) break;
    if (re[i] == '|' || re.substr(i, 2) == "\\Q") return {};
    if (re[i] == '(') ++depth;
    if (re[i] == ')') --depth;
    i = atom_end(re, i) - 1;
    run = i + 1;
  }
  return spots;
}

// Sets word_start / word_end when a spot of the literal has `\b` on that side of it. A spot
// ending right before a quantifier is not one: "ab+" spells "ab" but matches "abb".
void mark_boundaries(std::string_view re, Literal& literal) {
  for (auto [begin, end] : plain_spots(re, literal.text)) {
    if (end < re.size() && std::string_view("?*+{").find(re[end]) != std::string_view::npos)
      continue;
    if (is_word_byte(literal.text.back()) && re.substr(end, 2) == "\\b") literal.word_end = true;
    if (is_word_byte(literal.text.front()) && begin >= 2 && re.substr(begin - 2, 2) == "\\b")
      literal.word_start = true;
  }
}

// The FilteredRE2 of one regex and its atoms (lowercase); null when RE2 rejects the regex.
std::unique_ptr<re2::FilteredRE2> filtered(std::string_view re2_regex, std::vector<std::string>& atoms) {
  auto filter = std::make_unique<re2::FilteredRE2>(1);
  int id = 0;
  if (filter->Add(re2::StringPiece(re2_regex.data(), re2_regex.size()), regex_options(8 << 20),
                  &id) != RE2::NoError)
    return nullptr;
  filter->Compile(&atoms);
  return filter;
}

// The positions [i, n - m] not yet tested, when fewer than W are left: the last W positions
// are tested again at once (W-wide loads ending at the last), the ones already seen masked off.
template <size_t W, class Test>
bool contains_rest(std::string_view hay, std::string_view needle, size_t i, Test test) {
  const size_t n = hay.size(), m = needle.size();
  if (i + m > n) return false;
  if (n - m + 1 >= W) {
    const size_t last = n - m + 1 - W;
    return test(last, i - last);
  }
  for (; i + m <= n; ++i)
    if (equals_folded(hay.data() + i, needle)) return true;
  return false;
}

__attribute__((target("avx2"))) bool contains_avx2(std::string_view hay, std::string_view needle) {
  const size_t n = hay.size(), m = needle.size();
  const __m256i fold = _mm256_set1_epi8(0x20);
  const __m256i first = _mm256_set1_epi8(needle[0]), last = _mm256_set1_epi8(needle[m - 1]);
  // Tests positions [at + skip, at + 32).
  auto test = [&](size_t at, size_t skip) __attribute__((target("avx2"))) {
    const __m256i a = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + at)), fold);
    const __m256i b = _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hay.data() + at + m - 1)), fold);
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
    mask &= skip >= 32 ? 0 : ~uint32_t{0} << skip;
    for (; mask; mask &= mask - 1)
      if (equals_folded(hay.data() + at + static_cast<size_t>(__builtin_ctz(mask)), needle)) return true;
    return false;
  };
  size_t i = 0;
  for (; i + m - 1 + 32 <= n; i += 32)
    if (test(i, 0)) return true;
  return contains_rest<32>(hay, needle, i, test);
}

bool contains_sse2(std::string_view hay, std::string_view needle) {
  const size_t n = hay.size(), m = needle.size();
  const __m128i fold = _mm_set1_epi8(0x20);
  const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[m - 1]);
  auto test = [&](size_t at, size_t skip) {
    const __m128i a = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + at)), fold);
    const __m128i b = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + at + m - 1)), fold);
    auto mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    mask &= skip >= 16 ? 0 : ~uint32_t{0} << skip;
    for (; mask; mask &= mask - 1)
      if (equals_folded(hay.data() + at + static_cast<size_t>(__builtin_ctz(mask)), needle)) return true;
    return false;
  };
  size_t i = 0;
  for (; i + m - 1 + 16 <= n; i += 16)
    if (test(i, 0)) return true;
  return contains_rest<16>(hay, needle, i, test);
}

// Whether folded `needle` occurs in `hay` once folded (fold_byte: | 0x20, which vector code
// does as cheaply as a load). Lines are short and atoms begin with common bytes ("id:", "0x"),
// where memchr + memcmp stops at nearly every byte: 16 or 32 positions at a time are first
// tested on the needle's first and last bytes, and only those where both agree compared.
bool contains_folded(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? contains_avx2(hay, needle) : contains_sse2(hay, needle);
}

}  // namespace

std::vector<Literal> literal_cover(std::string_view re2_regex, size_t min_length) {
  // FilteredRE2 reduces a regex to a monotone and/or formula over lowercase atoms and lets one
  // evaluate it for a set of atoms found. A set C of atoms is a cover exactly when the formula
  // is false for "every atom but those in C": text without any atom of C cannot match.
  std::vector<std::string> atoms;
  auto filter = filtered(re2_regex, atoms);
  if (!filter || atoms.empty()) return {};
  std::vector<bool> in(atoms.size(), true);
  auto is_cover = [&] {
    std::vector<int> others, passing;
    for (size_t i = 0; i < atoms.size(); ++i)
      if (!in[i]) others.push_back(static_cast<int>(i));
    filter->AllPotentials(others, &passing);
    return passing.empty();
  };
  if (!is_cover()) return {};  // matches without any atom

  std::vector<double> score(atoms.size());
  for (size_t i = 0; i < atoms.size(); ++i)
    score[i] = atoms[i].size() < min_length || !foldable(atoms[i]) ? kUnusable : rarity(atoms[i]);
  // Drop atoms from the cover, least useful first, as long as what is left still covers.
  std::vector<size_t> order(atoms.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  for (size_t a : order) {
    in[a] = false;
    if (!is_cover()) in[a] = true;
  }
  std::vector<Literal> cover;
  for (size_t i = 0; i < atoms.size(); ++i) {
    if (!in[i]) continue;
    if (score[i] == kUnusable) return {};
    cover.push_back({fold(atoms[i])});
    mark_boundaries(re2_regex, cover.back());
  }
  std::sort(cover.begin(), cover.end());
  cover.erase(std::unique(cover.begin(), cover.end()), cover.end());
  return cover;
}

std::shared_ptr<const AtomFormula> atom_formula(std::string_view re2_regex) {
  std::vector<std::string> atoms;
  auto filter = filtered(re2_regex, atoms);
  if (!filter || atoms.size() < 2) return nullptr;
  return std::make_shared<AtomFormula>(std::move(filter), atoms);
}

AtomFormula::AtomFormula(std::unique_ptr<re2::FilteredRE2> filter, const std::vector<std::string>& atoms)
    : filter_(std::move(filter)) {
  for (const std::string& a : atoms) atoms_.push_back(foldable(a) ? fold(a) : std::string());
  // Most regexes need every atom (a concatenation): then the answer is "all found", and the
  // first atom missing ends the test. Monotone, so it is that exactly when no atom can go.
  std::vector<int> ids(atoms_.size()), passing;
  std::iota(ids.begin(), ids.end(), 0);
  filter_->AllPotentials(ids, &passing);
  all_needed_ = !passing.empty();
  for (size_t i = 0; i < ids.size() && all_needed_; ++i) {
    std::vector<int> others;
    for (int k : ids)
      if (static_cast<size_t>(k) != i) others.push_back(k);
    passing.clear();
    filter_->AllPotentials(others, &passing);
    all_needed_ = passing.empty();
  }
  if (!all_needed_ && atoms_.size() <= kMemoAtoms) {
    memo_ = std::make_unique<std::atomic<uint8_t>[]>(size_t{1} << atoms_.size());
    for (size_t i = 0; i < atoms_.size(); ++i) order_.push_back(static_cast<uint8_t>(i));
    std::stable_sort(order_.begin(), order_.end(),
                     [&](uint8_t a, uint8_t b) { return atoms_[a].size() > atoms_[b].size(); });
  }
}

bool AtomFormula::passes(size_t found) const {
  // AllPotentials allocates on every call; the answer for a set of atoms never changes.
  enum : uint8_t { kUnknown, kNo, kYes };
  if (uint8_t known = memo_[found].load(std::memory_order_relaxed); known != kUnknown) return known == kYes;
  thread_local std::vector<int> ids, passing;
  ids.clear();
  passing.clear();
  for (size_t i = 0; i < atoms_.size(); ++i)
    if ((found >> i) & 1) ids.push_back(static_cast<int>(i));
  filter_->AllPotentials(ids, &passing);
  const bool yes = !passing.empty();
  memo_[found].store(yes ? kYes : kNo, std::memory_order_relaxed);
  return yes;
}

AtomFormula::~AtomFormula() = default;

uint64_t AtomFormula::atoms_in(std::string_view folded) const {
  uint64_t set = 0;
  for (size_t i = 0; i < atoms_.size() && i < 63; ++i)
    if (!folded.empty() && !atoms_[i].empty() && folded.find(atoms_[i]) != std::string_view::npos)
      set |= uint64_t{1} << i;
  return set;
}

bool AtomFormula::may_match(std::string_view line, uint64_t present) const {
  auto found = [&](size_t i) {
    const std::string& atom = atoms_[i];
    return atom.empty() || (i < 63 && (present >> i) & 1) || contains_folded(line, atom);
  };
  if (all_needed_) {
    for (size_t i = 0; i < atoms_.size(); ++i)
      if (!found(i)) return false;
    return true;
  }
  if (memo_) {
    // Monotone: the atoms found so far passing is enough; failing even with every atom not yet
    // searched for is too.
    size_t have = 0, open = (size_t{1} << atoms_.size()) - 1;
    for (uint8_t i : order_) {
      open &= ~(size_t{1} << i);
      if (found(i)) {
        have |= size_t{1} << i;
        if (passes(have)) return true;
      } else if (!passes(have | open)) {
        return false;
      }
    }
    return passes(have);
  }
  thread_local std::vector<int> ids, passing;
  ids.clear();
  for (size_t i = 0; i < atoms_.size(); ++i)
    if (found(i)) ids.push_back(static_cast<int>(i));
  passing.clear();
  filter_->AllPotentials(ids, &passing);
  return !passing.empty();
}

}  // namespace marsscan::match
