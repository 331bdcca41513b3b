#include "match/prefilter.h"

#include <hs.h>

#include "match/hs_cache.h"
#include "match/literals.h"
#include "match/regex.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace marsscan::match {

namespace {

constexpr unsigned kFlags = HS_FLAG_PREFILTER | HS_FLAG_MULTILINE | HS_FLAG_ALLOWEMPTY | HS_FLAG_UTF8;
constexpr unsigned kLiteralFlags = HS_FLAG_CASELESS;
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
// Vectorscan ids from here on are short literals; below, prefilter expressions.
constexpr unsigned kShortId = 1u << 30;

// A short literal (folded, literals.h) as a Vectorscan expression that matches what the sieve
// would: every byte string that folds onto it. Letters through the caseless flag; any other
// byte b also stands for b without 0x20 ('\x7f' for '_', ' ' for NUL), hence a class of two.
std::string literal_expression(std::string_view folded) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string e;
  auto escaped = [&](unsigned char c) {
    const char x[] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    e.append(x, sizeof x);
  };
  for (unsigned char c : folded) {
    if (c >= 'a' && c <= 'z') {
      e.push_back(static_cast<char>(c));
    } else if (c & 0x20) {
      e.push_back('[');
      escaped(c);
      escaped(static_cast<unsigned char>(c & ~0x20u));
      e.push_back(']');
    } else {
      escaped(c);
    }
  }
  return e;
}

// Appends the occurrence of short literal `lit` (index `index`) that ends at `end` in `data`,
// unless a word boundary it needs is missing.
void add_short(const Literal& lit, uint32_t index, std::string_view data, uint64_t end,
               std::vector<LiteralSieve::Occurrence>& out) {
  const size_t begin = end - lit.text.size();
  if (lit.word_start && begin > 0 && is_word_byte(data[begin - 1])) return;
  if (lit.word_end && end < data.size() && is_word_byte(data[end])) return;
  out.push_back({index, static_cast<uint32_t>(begin)});
}

struct ScanContext {
  const char* data;
  uint32_t size;
  uint32_t begin = kNone, end = 0;  // the line of the last match, cached: matches come in order
  const uint32_t* first;  // expression id -> its patterns: members[first[id] .. first[id + 1])
  const int* members;
  uint32_t* last_line;
  std::vector<Prefilter::Hit>* hits;
  const Literal* short_literals;  // index 0: the one of id kShortId
  uint32_t short_base;
  std::vector<LiteralSieve::Occurrence>* occurrences;

  // Sets [begin, end) to the line holding data[at] (its '\n' counts as part of it).
  void locate(uint32_t at) {
    if (begin != kNone && at >= begin && at <= end) return;
    const void* nl = std::memchr(data + at, '\n', size - at);
    end = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - data) : size;
    const void* prev = at ? memrchr(data, '\n', at) : nullptr;
    begin = prev ? static_cast<uint32_t>(static_cast<const char*>(prev) - data) + 1 : 0;
  }
};

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* p) {
  auto& c = *static_cast<ScanContext*>(p);
  if (id >= kShortId) {
    add_short(c.short_literals[id - kShortId], c.short_base + (id - kShortId),
              std::string_view(c.data, c.size), to, *c.occurrences);
    return 0;
  }
  // Patterns that match the empty string are not compiled, so to >= 1. The match's last
  // byte decides its line; a match that ends on a '\n' belongs to the line that '\n' ends.
  c.locate(static_cast<uint32_t>(to - 1));
  if (c.last_line[id] == c.begin) return 0;  // this pattern already has this line
  c.last_line[id] = c.begin;
  for (uint32_t k = c.first[id]; k < c.first[id + 1]; ++k)
    c.hits->push_back({c.begin, c.end, c.members[k]});
  return 0;
}

// Whether s[i] == '{' opens a repeat with both bounds, "{m,n}".
bool bounded_repeat(std::string_view s, size_t i) {
  size_t j = i + 1, n = s.size();
  auto digits = [&] {
    size_t from = j;
    while (j < n && s[j] >= '0' && s[j] <= '9') ++j;
    return j > from;
  };
  if (!digits() || j >= n || s[j] != ',') return false;
  ++j;
  return digits() && j < n && s[j] == '}';
}

std::string hs_message(hs_compile_error_t* e) {
  std::string m = e && e->message ? e->message : "unknown Vectorscan error";
  hs_free_compile_error(e);
  return m;
}

// The longest run of literal digits in s (digits inside escapes, classes and {m,n} do not count).
size_t longest_digits(std::string_view s) {
  size_t best = 0, run = 0;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      best = std::max(best, ++run);
      ++i;
      continue;
    }
    bool group_syntax = c == '(' || c == ')' || (c == '?' && i > 0 && s[i - 1] == '(') ||
                        (c == ':' && i > 1 && s[i - 1] == '?' && s[i - 2] == '(');
    if (group_syntax) {
      ++i;  // group syntax does not break a run: (?:80070570)
      continue;
    }
    run = 0;
    if (c == '{') {
      size_t e = s.find('}', i);
      i = e == std::string_view::npos ? s.size() : e + 1;
    } else {
      i = atom_end(s, i);
    }
  }
  return best;
}

// The length of a "match anything on the line" cut at s[i] (`[^\n]*`, `[^\n]{m,n}`, `.*`, with
// an optional lazy `?`), or 0.
size_t cut_length(std::string_view s, size_t i) {
  size_t j;
  if (s.substr(i, 5) == "[^\\n]") {
    j = i + 5;
  } else if (s[i] == '.') {
    j = i + 1;
  } else {
    return 0;
  }
  if (j < s.size() && (s[j] == '*')) {
    ++j;
  } else if (j < s.size() && s[j] == '{' && s[i] != '.') {
    size_t e = s.find('}', j);
    if (e == std::string_view::npos) return 0;
    j = e + 1;
  } else {
    return 0;
  }
  if (j < s.size() && s[j] == '?') ++j;
  return j - i;
}

}  // namespace

std::string narrow_expression(std::string_view s) {
  // Leading flags, e.g. (?i), apply to every piece.
  size_t start = 0;
  if (s.substr(0, 2) == "(?") {
    size_t j = 2;
    while (j < s.size() && s[j] != '\0' && std::strchr("imsU-", s[j])) ++j;
    if (j > 2 && j < s.size() && s[j] == ')') start = j + 1;
  }
  std::vector<std::pair<size_t, size_t>> pieces;  // [begin, end) at depth 0
  size_t depth = 0, from = start;
  for (size_t i = start; i < s.size();) {
    char c = s[i];
    if (c == '(') {
      // An inner flag group, (?i) or (?i:...), might change how later pieces read: leave as is.
      if (i + 2 < s.size() && s[i + 1] == '?' && s[i + 2] != ':' && s[i + 2] != 'P' && depth == 0)
        return std::string(s);
      ++depth;
      ++i;
    } else if (c == ')') {
      if (depth == 0) return std::string(s);
      --depth;
      ++i;
    } else if (c == '|' && depth == 0) {
      return std::string(s);
    } else if (size_t cut = depth == 0 ? cut_length(s, i) : 0) {
      pieces.emplace_back(from, i);
      i += cut;
      from = i;
    } else {
      i = atom_end(s, i);
    }
  }
  if (pieces.empty()) return std::string(s);
  pieces.emplace_back(from, s.size());
  size_t best = 0, best_digits = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    size_t d = longest_digits(s.substr(pieces[k].first, pieces[k].second - pieces[k].first));
    if (d > best_digits) best = k, best_digits = d;
  }
  if (best_digits < 4) return std::string(s);
  std::string out(s.substr(0, start));
  out.append(s.substr(pieces[best].first, pieces[best].second - pieces[best].first));
  return out;
}

std::string prefilter_expression(std::string_view s) {
  static const char kEnd[] = "(?:\\r*$)";
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0, n = s.size();
  while (i < n) {
    char c = s[i];
    if (c == '\\' && i + 1 < n) {
      char d = s[i + 1];
      if (d == 'Q') {  // quoted literal up to \E: copied as is
        size_t e = s.find("\\E", i + 2);
        size_t stop = e == std::string_view::npos ? n : e + 2;
        out.append(s.substr(i, stop - i));
        i = stop;
      } else if (d == 'z') {
        out += kEnd;
        i += 2;
      } else if (d == 'A') {
        out += '^';
        i += 2;
      } else {
        out += c;
        out += d;
        i += 2;
      }
    } else if (c == '[') {  // a character class, where '$' is a literal
      size_t stop = atom_end(s, i);
      out.append(s.substr(i, stop - i));
      i = stop;
    } else if (c == '$') {
      out += kEnd;
      ++i;
    } else if (c == '{' && bounded_repeat(s, i)) {
      // {m,n} -> {m,}: a superset, which is all a prefilter needs. Vectorscan unrolls a bounded
      // repeat in UTF-8 mode into a large automaton: `[^\n]{0,300}` alone took 40 s to compile.
      size_t comma = s.find(',', i);
      out.append(s.substr(i, comma + 1 - i));
      out += '}';
      i = s.find('}', i) + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::vector<Literal> Prefilter::cover(std::string_view re2_regex) {
  std::vector<Literal> c = literal_cover(re2_regex, LiteralSieve::kMinLength);
  if (!c.empty()) return c;
  return literal_cover(re2_regex, kShortLength);
}

Prefilter::Prefilter(const PatternDb& db, const std::vector<int>& patterns) {
  std::vector<std::string> exprs;
  std::vector<std::vector<int>> groups;  // per expression: the patterns it stands for
  std::unordered_map<std::string, size_t> seen;
  std::map<Literal, std::vector<uint32_t>> by_literal;  // -> slots in sieved_
  auto sieve = [&](int p, const std::vector<Literal>& cover) {
    for (auto& literal : cover) by_literal[literal].push_back(static_cast<uint32_t>(sieved_.size()));
    sieved_.push_back(p);
    formulas_.push_back(std::make_unique<LazyFormula>(db.patterns[static_cast<size_t>(p)].regex));
  };
  // Patterns with short literals in their cover: sieved once Vectorscan took those literals.
  std::vector<std::pair<int, std::vector<Literal>>> short_covered;
  std::vector<Literal> shorts;  // sorted, once each: Vectorscan id kShortId + index
  for (int p : patterns) {
    const Pattern& pattern = db.patterns[static_cast<size_t>(p)];
    const std::string& regex = pattern.regex;
    std::vector<Literal> cover = pattern.cover ? *pattern.cover : Prefilter::cover(regex);
    auto is_short = [](const Literal& l) { return l.text.size() < LiteralSieve::kMinLength; };
    if (std::any_of(cover.begin(), cover.end(), is_short)) {
      for (const Literal& l : cover)
        if (is_short(l)) shorts.push_back(l);
      short_covered.emplace_back(p, std::move(cover));
      continue;
    }
    if (!cover.empty()) {
      sieve(p, cover);
      continue;
    }
    std::string e = prefilter_expression(narrow_expression(regex));
    // A regex used by several rules (or one that narrows to a piece another has) is compiled
    // once: less to compile, and one fewer literal set to scan for.
    if (auto it = seen.find(e); it != seen.end()) {
      groups[it->second].push_back(p);
      continue;
    }
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    bool ok = hs_expression_info(e.c_str(), kFlags, &info, &err) == HS_SUCCESS;
    if (!ok || info->min_width == 0) {  // the narrowed piece is no use: the whole regex then
      if (ok) free(info); else hs_free_compile_error(err);
      info = nullptr;
      err = nullptr;
      e = prefilter_expression(regex);
      ok = hs_expression_info(e.c_str(), kFlags, &info, &err) == HS_SUCCESS;
    }
    if (!ok) {
      unfiltered_.push_back({p, "Vectorscan cannot compile it: " + hs_message(err)});
      continue;
    }
    bool empty = info->min_width == 0;
    free(info);
    if (empty) {  // RE2 matches such a regex on every line anyway
      unfiltered_.push_back({p, "it matches the empty string"});
      continue;
    }
    seen.emplace(e, exprs.size());
    exprs.push_back(std::move(e));
    groups.push_back({p});
  }
  std::sort(shorts.begin(), shorts.end());
  shorts.erase(std::unique(shorts.begin(), shorts.end()), shorts.end());
  // Compile all at once; an expression that fails only in the full compile (too large, ...)
  // moves to the unfiltered list and the rest is compiled again (short literals, all together).
  // The first, usual, attempt is looked up in and added to the on-disk cache (hs_cache.h).
  auto unfilter_shorts = [&](const std::string& why) {
    for (const auto& [p, cover] : short_covered) unfiltered_.push_back({p, why});
    short_covered.clear();
    shorts.clear();
  };
  std::string key = "flags=" + std::to_string(kFlags);
  for (const auto& e : exprs) {
    key += '\n';
    key += e;
  }
  key += "\nliterals flags=" + std::to_string(kLiteralFlags) + " from " + std::to_string(kShortId);
  for (const auto& l : shorts) {
    key += '\n';
    key += literal_expression(l.text);
  }
  bool first = true;
  while (!exprs.empty() || !shorts.empty()) {
    if (first && (db_ = hs_cache_load(key))) break;
    std::vector<std::string> literal_exprs;
    for (const auto& l : shorts) literal_exprs.push_back(literal_expression(l.text));
    std::vector<const char*> ptrs;
    std::vector<unsigned> flags(exprs.size(), kFlags), ids;
    for (size_t i = 0; i < exprs.size(); ++i) {
      ptrs.push_back(exprs[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    for (size_t i = 0; i < literal_exprs.size(); ++i) {
      ptrs.push_back(literal_exprs[i].c_str());
      flags.push_back(kLiteralFlags);
      ids.push_back(kShortId + static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()),
                         HS_MODE_BLOCK, nullptr, &db_, &err) == HS_SUCCESS) {
      if (first) hs_cache_store(key, db_);
      break;
    }
    first = false;
    int bad = err ? err->expression : -1;
    std::string why = hs_message(err);
    if (bad < 0 || static_cast<size_t>(bad) >= ptrs.size()) {
      // Not one expression's fault: nothing can be prefiltered.
      for (const auto& g : groups)
        for (int p : g) unfiltered_.push_back({p, "Vectorscan database failed: " + why});
      unfilter_shorts("Vectorscan database failed: " + why);
      groups.clear();
      exprs.clear();
      break;
    }
    if (static_cast<size_t>(bad) >= exprs.size()) {
      unfilter_shorts("Vectorscan cannot compile its literals: " + why);
      continue;
    }
    for (int p : groups[static_cast<size_t>(bad)])
      unfiltered_.push_back({p, "Vectorscan cannot compile it: " + why});
    groups.erase(groups.begin() + bad);
    exprs.erase(exprs.begin() + bad);
  }
  for (const auto& [p, cover] : short_covered) sieve(p, cover);
  if (!by_literal.empty()) {
    // The map's order puts the short literals in the order of `shorts`; the sieve's go first.
    std::vector<Literal> sieved_literals;
    literal_first_.assign(1, 0);
    auto add = [&](const Literal& literal, const std::vector<uint32_t>& slots) {
      literals_.push_back(literal);
      literal_members_.insert(literal_members_.end(), slots.begin(), slots.end());
      literal_first_.push_back(static_cast<uint32_t>(literal_members_.size()));
    };
    for (auto& [literal, slots] : by_literal)
      if (literal.text.size() >= LiteralSieve::kMinLength) {
        add(literal, slots);
        sieved_literals.push_back(literal);
      }
    short_base_ = static_cast<uint32_t>(literals_.size());
    for (auto& [literal, slots] : by_literal)
      if (literal.text.size() < LiteralSieve::kMinLength) add(literal, slots);
    if (!sieved_literals.empty()) sieve_ = std::make_unique<LiteralSieve>(std::move(sieved_literals));
    present_ = std::make_unique<std::atomic<uint64_t>[]>(literal_members_.size());
    for (size_t k = 0; k < literal_members_.size(); ++k) present_[k].store(kPresentUnknown, std::memory_order_relaxed);
  }
  first_.assign(1, 0);
  for (const auto& g : groups) {
    members_.insert(members_.end(), g.begin(), g.end());
    first_.push_back(static_cast<uint32_t>(members_.size()));
  }
  db_ = exprs.empty() && shorts.empty() ? nullptr : db_;
  if (db_ && hs_alloc_scratch(db_, &proto_) != HS_SUCCESS) {
    hs_free_database(db_);
    throw std::runtime_error("Vectorscan: cannot allocate scratch space");
  }
  std::sort(unfiltered_.begin(), unfiltered_.end(),
            [](const auto& a, const auto& b) { return a.pattern < b.pattern; });
}

uint64_t Prefilter::present(uint32_t member, const AtomFormula& formula) const {
  // Racing threads work out the same value: relaxed stores suffice.
  uint64_t set = present_[member].load(std::memory_order_relaxed);
  if (set == kPresentUnknown) {
    const uint32_t literal = static_cast<uint32_t>(
        std::upper_bound(literal_first_.begin(), literal_first_.end(), member) - literal_first_.begin() - 1);
    set = formula.atoms_in(literals_[literal].text);
    present_[member].store(set, std::memory_order_relaxed);
  }
  return set;
}

const AtomFormula* Prefilter::LazyFormula::get() const {
  std::call_once(once, [this] { formula = atom_formula(regex); });
  return formula.get();
}

Prefilter::~Prefilter() {
  if (proto_) hs_free_scratch(proto_);
  if (db_) hs_free_database(db_);
}

Prefilter::Scratch::~Scratch() {
  if (hs) hs_free_scratch(hs);
}

std::unique_ptr<Prefilter::Scratch> Prefilter::new_scratch() const {
  auto s = std::make_unique<Scratch>();
  if (proto_ && hs_clone_scratch(proto_, &s->hs) != HS_SUCCESS)
    throw std::runtime_error("Vectorscan: cannot allocate scratch space");
  s->last_line.resize(first_.size() - 1);
  s->sieved_last_line.resize(sieved_.size());
  return s;
}

void Prefilter::scan(std::string_view data, Scratch& scratch, std::vector<Hit>& hits) const {
  if (data.empty()) return;
  if (data.size() >= kNone) throw std::length_error("Prefilter::scan: block of 4 GiB or more");
  size_t first = hits.size();
  scratch.occurrences.clear();
  ScanContext ctx{data.data(), static_cast<uint32_t>(data.size()), kNone, 0, first_.data(),
                  members_.data(), scratch.last_line.data(), &hits,
                  literals_.data() + short_base_, short_base_, &scratch.occurrences};
  if (db_) {  // its expressions' hits, and the short literals' occurrences
    std::fill(scratch.last_line.begin(), scratch.last_line.end(), kNone);
    hs_error_t r = hs_scan(db_, data.data(), static_cast<unsigned>(data.size()), 0, scratch.hs,
                           on_match, &ctx);
    if (r != HS_SUCCESS) throw std::runtime_error("Vectorscan scan failed: error " + std::to_string(r));
  }
  if (sieve_) sieve_->scan(data, scratch.occurrences);
  if (!scratch.occurrences.empty()) {
    std::fill(scratch.sieved_last_line.begin(), scratch.sieved_last_line.end(), kNone);
    for (const auto& o : scratch.occurrences) {
      ctx.locate(o.begin);
      // The literal found is in the line: its atoms need no search.
      const bool within = o.begin + literals_[o.literal].text.size() <= ctx.end;
      for (uint32_t k = literal_first_[o.literal]; k < literal_first_[o.literal + 1]; ++k) {
        uint32_t slot = literal_members_[k];
        if (scratch.sieved_last_line[slot] == ctx.begin) continue;
        scratch.sieved_last_line[slot] = ctx.begin;
        const AtomFormula* formula = formulas_[slot]->get();
        if (formula && !formula->may_match(std::string_view(data.data() + ctx.begin, ctx.end - ctx.begin),
                                           within ? present(k, *formula) : 0))
          continue;
        hits.push_back({ctx.begin, ctx.end, sieved_[slot]});
      }
    }
  }
  // Block mode reports in end-offset order, so Vectorscan's hits come in line order and each
  // (line, pattern) once; the sieve's and the two together need sorting, which also removes
  // the repeats.
  auto by_line = [](const Hit& a, const Hit& b) { return a.begin < b.begin; };
  auto begin = hits.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, hits.end(), by_line)) {
    std::sort(begin, hits.end(), [](const Hit& a, const Hit& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.pattern < b.pattern;
    });
    hits.erase(std::unique(begin, hits.end(),
                           [](const Hit& a, const Hit& b) {
                             return a.begin == b.begin && a.pattern == b.pattern;
                           }),
               hits.end());
  }
}

void Prefilter::candidates(std::string_view text, Scratch& scratch, std::vector<int>& patterns) const {
  if (text.empty()) return;
  if (text.size() >= kNone) throw std::length_error("Prefilter::candidates: text of 4 GiB or more");
  const size_t first = patterns.size();
  scratch.occurrences.clear();
  if (db_) {
    // Each expression's patterns once: the scratch's per-expression marks say which are in.
    std::fill(scratch.last_line.begin(), scratch.last_line.end(), kNone);
    struct Found {
      const Prefilter& p;
      std::string_view text;
      uint32_t* seen;
      std::vector<int>& patterns;
      std::vector<LiteralSieve::Occurrence>& occurrences;
    } found{*this, text, scratch.last_line.data(), patterns, scratch.occurrences};
    auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
      auto& f = *static_cast<Found*>(ctx);
      if (id >= kShortId) {
        const uint32_t index = f.p.short_base_ + (id - kShortId);
        add_short(f.p.literals_[index], index, f.text, to, f.occurrences);
        return 0;
      }
      if (f.seen[id] != kNone) return 0;
      f.seen[id] = 0;
      for (uint32_t k = f.p.first_[id]; k < f.p.first_[id + 1]; ++k) f.patterns.push_back(f.p.members_[k]);
      return 0;
    };
    hs_error_t r = hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch.hs, on_match, &found);
    if (r != HS_SUCCESS) throw std::runtime_error("Vectorscan scan failed: error " + std::to_string(r));
  }
  if (sieve_) sieve_->scan(text, scratch.occurrences);
  if (!scratch.occurrences.empty()) {
    std::fill(scratch.sieved_last_line.begin(), scratch.sieved_last_line.end(), kNone);
    for (const auto& o : scratch.occurrences)
      for (uint32_t k = literal_first_[o.literal]; k < literal_first_[o.literal + 1]; ++k) {
        uint32_t slot = literal_members_[k];
        if (scratch.sieved_last_line[slot] == 0) continue;  // decided already
        scratch.sieved_last_line[slot] = 0;
        const AtomFormula* formula = formulas_[slot]->get();
        if (!formula || formula->may_match(text, present(k, *formula)))
          patterns.push_back(sieved_[slot]);
      }
  }
  auto begin = patterns.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, patterns.end());
  patterns.erase(std::unique(begin, patterns.end()), patterns.end());
}

}  // namespace marsscan::match
