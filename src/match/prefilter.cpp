#include "match/prefilter.h"

#include <hs.h>

#include "match/hs_cache.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace marsscan::match {

namespace {

constexpr unsigned kFlags = HS_FLAG_PREFILTER | HS_FLAG_MULTILINE | HS_FLAG_ALLOWEMPTY | HS_FLAG_UTF8;
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

struct ScanContext {
  const char* data;
  uint32_t size;
  uint32_t begin = kNone, end = 0;  // the line of the last match, cached: matches come in order
  const int* ids;
  uint32_t* last_line;
  std::vector<Prefilter::Hit>* hits;
};

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* p) {
  auto& c = *static_cast<ScanContext*>(p);
  // Patterns that match the empty string are not compiled, so to >= 1. The match's last
  // byte decides its line; a match that ends on a '\n' belongs to the line that '\n' ends.
  auto last = static_cast<uint32_t>(to - 1);
  if (c.begin == kNone || last < c.begin || last > c.end) {
    const void* nl = std::memchr(c.data + last, '\n', c.size - last);
    c.end = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - c.data) : c.size;
    const void* prev = last ? memrchr(c.data, '\n', last) : nullptr;
    c.begin = prev ? static_cast<uint32_t>(static_cast<const char*>(prev) - c.data) + 1 : 0;
  }
  if (c.last_line[id] == c.begin) return 0;  // this pattern already has this line
  c.last_line[id] = c.begin;
  c.hits->push_back({c.begin, c.end, c.ids[id]});
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

}  // namespace

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
      size_t j = i + 1;
      if (j < n && s[j] == '^') ++j;
      if (j < n && s[j] == ']') ++j;
      while (j < n && s[j] != ']') {
        if (s[j] == '\\') {
          j += 2;
        } else if (s[j] == '[' && j + 1 < n && s[j + 1] == ':') {
          size_t e = s.find(":]", j + 2);
          j = e == std::string_view::npos ? j + 1 : e + 2;
        } else {
          ++j;
        }
      }
      size_t stop = std::min(j + 1, n);
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

Prefilter::Prefilter(const PatternDb& db, const std::vector<int>& patterns) {
  std::vector<std::string> exprs;
  for (int p : patterns) {
    std::string e = prefilter_expression(db.patterns[static_cast<size_t>(p)].regex);
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(e.c_str(), kFlags, &info, &err) != HS_SUCCESS) {
      unfiltered_.push_back({p, "Vectorscan cannot compile it: " + hs_message(err)});
      continue;
    }
    bool empty = info->min_width == 0;
    free(info);
    if (empty) {  // RE2 matches such a regex on every line anyway
      unfiltered_.push_back({p, "it matches the empty string"});
      continue;
    }
    exprs.push_back(std::move(e));
    ids_.push_back(p);
  }
  // Compile all at once; an expression that fails only in the full compile (too large, ...)
  // moves to the unfiltered list and the rest is compiled again.
  // The first, usual, attempt is looked up in and added to the on-disk cache (hs_cache.h).
  std::string key = "flags=" + std::to_string(kFlags);
  for (const auto& e : exprs) {
    key += '\n';
    key += e;
  }
  bool first = true;
  while (!exprs.empty()) {
    if (first && (db_ = hs_cache_load(key))) break;
    std::vector<const char*> ptrs;
    std::vector<unsigned> flags(exprs.size(), kFlags), ids;
    for (size_t i = 0; i < exprs.size(); ++i) {
      ptrs.push_back(exprs[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                         HS_MODE_BLOCK, nullptr, &db_, &err) == HS_SUCCESS) {
      if (first) hs_cache_store(key, db_);
      break;
    }
    first = false;
    int bad = err ? err->expression : -1;
    std::string why = hs_message(err);
    if (bad < 0 || static_cast<size_t>(bad) >= exprs.size()) {
      // Not one expression's fault: nothing can be prefiltered.
      for (int p : ids_) unfiltered_.push_back({p, "Vectorscan database failed: " + why});
      ids_.clear();
      exprs.clear();
      break;
    }
    unfiltered_.push_back({ids_[static_cast<size_t>(bad)], "Vectorscan cannot compile it: " + why});
    ids_.erase(ids_.begin() + bad);
    exprs.erase(exprs.begin() + bad);
  }
  db_ = exprs.empty() ? nullptr : db_;
  if (db_ && hs_alloc_scratch(db_, &proto_) != HS_SUCCESS) {
    hs_free_database(db_);
    throw std::runtime_error("Vectorscan: cannot allocate scratch space");
  }
  std::sort(unfiltered_.begin(), unfiltered_.end(),
            [](const auto& a, const auto& b) { return a.pattern < b.pattern; });
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
  s->last_line.resize(ids_.size());
  return s;
}

void Prefilter::scan(std::string_view data, Scratch& scratch, std::vector<Hit>& hits) const {
  if (!db_ || data.empty()) return;
  if (data.size() >= kNone) throw std::length_error("Prefilter::scan: block of 4 GiB or more");
  std::fill(scratch.last_line.begin(), scratch.last_line.end(), kNone);
  size_t first = hits.size();
  ScanContext ctx{data.data(), static_cast<uint32_t>(data.size()), kNone, 0, ids_.data(),
                  scratch.last_line.data(), &hits};
  hs_error_t r = hs_scan(db_, data.data(), static_cast<unsigned>(data.size()), 0, scratch.hs,
                         on_match, &ctx);
  if (r != HS_SUCCESS) throw std::runtime_error("Vectorscan scan failed: error " + std::to_string(r));
  // Block mode reports in end-offset order, so hits come in line order and each (line,
  // pattern) once; should the order ever differ, sorting restores both.
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

}  // namespace marsscan::match
