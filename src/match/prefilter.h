// The prefilter: one pass over a block of lines yields the candidate (line, pattern) pairs.
// A regex with a cover of required literals (literals.h) is searched for through them: those
// of 5 bytes or more with the literal sieve (sieve.h), those of 4 as literals in the Vectorscan
// database (`klif`, `skew`: a literal search costs a third of the regex's prefilter). The other
// regexes are compiled into that database in prefilter mode. Both may report more than the
// regex matches, never less; RE2 confirms
// every candidate (matcher.cpp). A sieved candidate must also hold the other atoms its regex
// requires (AtomFormula). The caller must not hand over text RE2 case-folds onto ASCII
// beyond the sieve's fold (bytes.h: is_sievable_utf8) or invalid UTF-8.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"
#include "match/rule.h"
#include "match/sieve.h"

struct hs_database;
struct hs_scratch;

namespace marsscan::match {

// The form of an RE2 regex given to Vectorscan. The matcher of record sees a line without
// its CR/LF while Vectorscan sees the whole block, so `$` and `\z` become "before optional CRs
// and the end of the line", and `\A` becomes `^`.
std::string prefilter_expression(std::string_view re2_regex);

// The part of an RE2 regex worth prefiltering. A regex of the form `A[^\n]*B` (a top-level
// concatenation cut by `[^\n]*`, `[^\n]{m,n}` or `.*`) is narrowed to the one piece holding the
// longest run of literal digits (4 or more: error codes, the rarest text in a log), with the
// regex's leading flags: any line the whole regex matches contains a match of that piece, so
// the narrowed form is a superset, which is all a prefilter must be. The other pieces (`file`,
// `on`, `of` ...) hit nearly every line of a log and cost the scan most of its time. Returns
// the regex unchanged when there is no such piece (top-level `|`, inner flag groups, no digits).
std::string narrow_expression(std::string_view re2_regex);

class Prefilter {
 public:
  // Literals shorter than the sieve's minimum, down to this, go to Vectorscan.
  static constexpr size_t kShortLength = 4;
  // The cover the prefilter searches `re2_regex` by: its cover of sieve-length literals, else one
  // with literals of kShortLength bytes or more; empty when the regex has neither (then the
  // regex itself is compiled). Vectorscan finds a short literal as the sieve would: folded.
  static std::vector<Literal> cover(std::string_view re2_regex);

  // One candidate: a line [begin, end) of the block (no '\n') and a pattern (db index).
  struct Hit {
    uint32_t begin, end;
    int pattern;
  };
  // Per-thread state for scan(); get one from new_scratch().
  struct Scratch {
    ~Scratch();
    hs_scratch* hs = nullptr;
    // Per expression / per sieved pattern: begin of the line last reported (scan), or
    // whether reported at all (candidates).
    std::vector<uint32_t> last_line;
    std::vector<uint32_t> sieved_last_line;
    std::vector<LiteralSieve::Occurrence> occurrences;
  };

  // `patterns`: the db indices to compile. Those Vectorscan cannot take, or that match the
  // empty string, are left out and listed in unfiltered().
  Prefilter(const PatternDb& db, const std::vector<int>& patterns);
  ~Prefilter();
  Prefilter(const Prefilter&) = delete;
  Prefilter& operator=(const Prefilter&) = delete;

  const std::vector<UnfilteredPattern>& unfiltered() const { return unfiltered_; }
  // Patterns searched for by their literals, and the literal set (for patterns explain).
  const std::vector<int>& sieved() const { return sieved_; }
  std::unique_ptr<Scratch> new_scratch() const;
  // Appends one hit per (line, pattern) candidate to `hits`, in line order (the patterns
  // of one line in no particular order).
  // `data` must be shorter than 4 GiB.
  void scan(std::string_view data, Scratch& scratch, std::vector<Hit>& hits) const;
  // The patterns that may match `text` taken whole (an event's message, line ends and all),
  // appended to `patterns` sorted and once each: literals anywhere in it, formulas over all of it.
  void candidates(std::string_view text, Scratch& scratch, std::vector<int>& patterns) const;

 private:
  hs_database* db_ = nullptr;
  hs_scratch* proto_ = nullptr;
  // Expression id -> the patterns it stands for (identical expressions are compiled once):
  // members_[first_[id] .. first_[id + 1]).
  std::vector<uint32_t> first_;
  std::vector<int> members_;
  std::vector<UnfilteredPattern> unfiltered_;
  std::unique_ptr<LiteralSieve> sieve_;
  // Every cover literal: the sieve's (its indices), then the short ones, from short_base_ on,
  // which Vectorscan reports under the ids kShortId + (index - short_base_).
  std::vector<Literal> literals_;
  uint32_t short_base_ = 0;
  // Literal -> slots in sieved_ (db indices): sieved_[literal_members_[k]] for k in
  // [literal_first_[l], literal_first_[l + 1]).
  std::vector<uint32_t> literal_first_, literal_members_;
  // Parallel to literal_members_: the atoms of the slot's formula the literal holds
  // (AtomFormula::atoms_in), worked out on first use; kPresentUnknown until then.
  static constexpr uint64_t kPresentUnknown = uint64_t{1} << 63;
  std::unique_ptr<std::atomic<uint64_t>[]> present_;
  uint64_t present(uint32_t member, const AtomFormula& formula) const;
  std::vector<int> sieved_;
  // Per slot of sieved_: its regex's atom formula, which candidates must pass too (null: no
  // test). Made on the pattern's first candidate: it compiles the regex.
  struct LazyFormula {
    explicit LazyFormula(std::string r) : regex(std::move(r)) {}
    const AtomFormula* get() const;
    std::string regex;
    mutable std::once_flag once;
    mutable std::shared_ptr<const AtomFormula> formula;
  };
  std::vector<std::unique_ptr<LazyFormula>> formulas_;
};

}  // namespace marsscan::match
