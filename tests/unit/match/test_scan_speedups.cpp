// The shortcuts the scan takes for speed must not change a result: the
// {m,n} -> {m,} widening of prefilter expressions, and the on-disk cache of compiled prefilters.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <tuple>
#include <unistd.h>

#include "helpers.h"
#include "match/bytes.h"
#include "match/loader.h"
#include "match/prefilter.h"
#include "match/regex.h"

using namespace marsscan::match;

TEST_CASE("prefilter expressions widen bounded repeats only") {
  CHECK(prefilter_expression("a[^\\n]{0,300}b") == "a[^\\n]{0,}b");
  CHECK(prefilter_expression("x{2,5}?y") == "x{2,}?y");
  CHECK(prefilter_expression("\\d{8}") == "\\d{8}");           // exact count: kept
  CHECK(prefilter_expression("a{3,}") == "a{3,}");             // already open
  CHECK(prefilter_expression("\\{1,2\\}") == "\\{1,2\\}");     // escaped braces are literals
  CHECK(prefilter_expression("[{1,2}]") == "[{1,2}]");         // so are braces in a class
  CHECK(prefilter_expression("\\Q{1,2}\\E") == "\\Q{1,2}\\E"); // and in a quoted literal
}

namespace {

// Patterns without a literal of 5 bytes, so that they go through Vectorscan (and its cache)
// rather than the literal sieve.
PatternDb small_db() {
  PatternDb db;
  for (const char* re : {"(?i)fail\\s+[^\\n]{0,40}0x8007", "ID:\\s*3451\\d?\\b", "访问"}) {
    Pattern p;
    p.regex = re;
    std::string error;
    p.re = LazyRegex(compile_regex(re, 8 << 20, error));
    REQUIRE(p.re.get());
    db.patterns.push_back(std::move(p));
  }
  return db;
}

// (line begin, line end, pattern) of every candidate.
std::vector<std::tuple<uint32_t, uint32_t, int>> hits_of(const PatternDb& db, std::string_view text) {
  Prefilter pf(db, {0, 1, 2});
  auto scratch = pf.new_scratch();
  std::vector<Prefilter::Hit> hits;
  pf.scan(text, *scratch, hits);
  std::vector<std::tuple<uint32_t, uint32_t, int>> out;
  for (const auto& h : hits) out.emplace_back(h.begin, h.end, h.pattern);
  return out;
}

// Points $MARSSCAN_CACHE_DIR at a fresh directory for one test, and puts things back after.
struct CacheDir {
  std::filesystem::path path;
  std::optional<std::string> old;
  explicit CacheDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    if (const char* o = std::getenv("MARSSCAN_CACHE_DIR")) old = o;
    ::setenv("MARSSCAN_CACHE_DIR", path.c_str(), 1);
  }
  ~CacheDir() {
    if (old) ::setenv("MARSSCAN_CACHE_DIR", old->c_str(), 1); else ::unsetenv("MARSSCAN_CACHE_DIR");
    std::filesystem::remove_all(path);
  }
};

}  // namespace

TEST_CASE("a cached prefilter finds what a compiled one finds, a corrupt cache is ignored") {
  namespace fs = std::filesystem;
  CacheDir cache("marsscan-hscache");
  const fs::path& dir = cache.path;

  PatternDb db = small_db();
  const std::string text =
      "x\nBackup Failed on D: 0x80070005\nnothing\nID: 34513\nID: 345130\n拒绝 访问被拒绝。\n";
  auto compiled = hits_of(db, text);  // compiles, then stores
  REQUIRE(compiled.size() >= 3);
  REQUIRE(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  CHECK(hits_of(db, text) == compiled);  // loaded from the cache

  for (const auto& e : fs::directory_iterator(dir)) {  // flip a byte in the middle of every entry
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(e.path()) / 2));
    f.put('\x5a');
  }
  CHECK(hits_of(db, text) == compiled);  // checksum mismatch: compiled again

  ::setenv("MARSSCAN_CACHE_DIR", "off", 1);
  CHECK(hits_of(db, text) == compiled);
}

TEST_CASE("the built-in selections' Vectorscan databases come compiled with the binary") {
  // Observed through the directory cache: a prefilter that compiles stores its database there;
  // one whose database comes from the binary stores nothing.
  namespace fs = std::filesystem;
  CacheDir cache("marsscan-hsbuiltin");
  const fs::path& dir = cache.path;
  auto stored = [&] { return fs::exists(dir) ? std::distance(fs::directory_iterator(dir), fs::directory_iterator()) : 0; };

  PatternDb db = test::builtin_db();
  std::vector<int> all, triggers, some;
  for (size_t i = 0; i < db.patterns.size(); ++i) {
    all.push_back(static_cast<int>(i));
    if (db.patterns[i].owner.kind == PatternOwner::Trigger) triggers.push_back(static_cast<int>(i));
  }
  {
    Prefilter report(db, all), grep(db, triggers);
    CHECK(report.sieved().size() < all.size());  // some go to Vectorscan: the cache is in play
  }
  CHECK(stored() == 0);
  // The same database compiled here finds what the built-in one finds.
  const std::string text = "x\n(ID: 403)\nHTTP/1.1 407 Proxy\nWdFilter 1 2\nnothing\n";
  auto hits = [&](const std::vector<int>& which) {
    Prefilter pf(db, which);
    auto scratch = pf.new_scratch();
    std::vector<Prefilter::Hit> h;
    pf.scan(text, *scratch, h);
    std::vector<std::pair<uint32_t, int>> out;
    for (const auto& x : h) out.emplace_back(x.begin, x.pattern);
    return out;
  };
  const auto builtin = hits(all);
  REQUIRE(builtin.size() >= 3);
  CHECK(stored() == 0);
  // Another selection is not built in: compiled, and stored.
  for (size_t i = 0; i + 1 < all.size(); i += 2) some.push_back(all[i]);
  hits(some);
  CHECK(stored() == 1);
}

TEST_CASE("covers of 4-byte literals: searched as literals by Vectorscan, with their word boundaries") {
  // The sieve takes 5 bytes or more; shorter literals would otherwise leave the whole regex
  // to Vectorscan's prefilter mode, which costs about three times a literal search.
  auto names = Prefilter::cover("(?i)^\\s*(?:WdFilter|klif|epfw)\\s+\\d+");
  REQUIRE(names.size() == 3);
  CHECK(names[0].text == "epfw");
  CHECK(names[1].text == "klif");
  CHECK(names[2].text == "wdfilter");
  CHECK(Prefilter::cover("(?i)critical\\s+inconsistency") == literal_cover("(?i)critical\\s+inconsistency", 5));
  CHECK(Prefilter::cover("(?i)ID:\\s*403\\b").empty());  // 3 bytes: still Vectorscan's regex

  PatternDb db;
  for (const char* re : {"(?i)^\\s*(?:WdFilter|klif|epfw)\\s+\\d+", "(?i)\\bskew\\b\\s+\\d", "ID:\\s*403\\b", "(?i)_\\[b\\]\\s*\\d"}) {
    Pattern p;
    p.regex = re;
    std::string error;
    p.re = LazyRegex(compile_regex(re, 8 << 20, error));
    REQUIRE(p.re.get());
    db.patterns.push_back(std::move(p));
  }
  Prefilter pf(db, {0, 1, 2, 3});
  CHECK(pf.unfiltered().empty());
  std::vector<int> sieved = pf.sieved();
  std::sort(sieved.begin(), sieved.end());
  CHECK(sieved == std::vector<int>{0, 1, 3});  // the third stays a Vectorscan expression
  const std::string text =
      "KLIF 12\n"        // 0: pattern 0
      "  epfw 3\n"       // 8: pattern 0
      "xklif 4\n"        // 17: a candidate (the literal is there), RE2 says no
      "skewed 1\n"       // 25: skew without its word end: no candidate
      "Skew 5\n"         // 34: pattern 1
      "ID: 403\n"        // 41: pattern 2
      "WDFILTER 7 8\n"   // 49: pattern 0, through the sieve
      "nothing\n"        // 62
      "eoskew 9 _[b]\n"   // 70: skew without its word start; '_' and '[' fold to DEL and '{'
      "x_[B]7 epfw";     // 84: pattern 3, and epfw at the very end
  auto scratch = pf.new_scratch();
  std::vector<Prefilter::Hit> hits;
  pf.scan(text, *scratch, hits);
  std::vector<std::pair<uint32_t, int>> got;
  for (const auto& h : hits) got.emplace_back(h.begin, h.pattern);
  for (const auto& [b, p] : got) UNSCOPED_INFO(b << ":" << p);
  CHECK(got == std::vector<std::pair<uint32_t, int>>{{0, 0}, {8, 0}, {17, 0}, {34, 1}, {41, 2}, {49, 0}, {70, 3}, {84, 0}, {84, 3}});
  // Every line RE2 matches is a candidate.
  for (size_t begin = 0; begin < text.size();) {
    size_t end = std::min(text.find('\n', begin), text.size());
    for (int p = 0; p < 4; ++p)
      if (RE2::PartialMatch(text.substr(begin, end - begin), *db.patterns[static_cast<size_t>(p)].re.get()))
        CHECK(std::find(got.begin(), got.end(), std::pair{static_cast<uint32_t>(begin), p}) != got.end());
    begin = end + 1;
  }
  // A whole text (an event's message): the same literals.
  std::vector<int> candidates;
  pf.candidates("Filter list:\n  Klif   2   3\n", *scratch, candidates);
  CHECK(candidates == std::vector<int>{0});
  candidates.clear();
  pf.candidates("the clocks skewing, kliff", *scratch, candidates);
  CHECK(candidates.empty());
}
