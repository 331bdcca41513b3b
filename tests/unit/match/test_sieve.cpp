// The literal sieve and the covers it searches for. A cover must hold for every line its regex
// matches, and the sieve must find every occurrence of a literal wherever it starts (each
// offset modulo the stride, the block's first and last bytes), whatever its case.
#include <catch2/catch.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <random>
#include <set>

#include "helpers.h"
#include "match/literals.h"
#include "match/loader.h"
#include "match/sieve.h"

using namespace marsscan;
using namespace marsscan::match;

namespace {

std::vector<std::string> texts(const std::vector<Literal>& cover) {
  std::vector<std::string> out;
  for (const auto& l : cover) out.push_back(l.text);
  return out;
}

// Every occurrence by brute force, boundaries applied: (literal, begin).
std::set<std::pair<uint32_t, uint32_t>> brute(const std::vector<Literal>& lits, std::string_view s) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t l = 0; l < lits.size(); ++l) {
    const auto& t = lits[l].text;
    for (size_t i = 0; i + t.size() <= s.size(); ++i) {
      if (fold(s.substr(i, t.size())) != t) continue;
      if (lits[l].word_start && i > 0 && word(s[i - 1])) continue;
      if (lits[l].word_end && i + t.size() < s.size() && word(s[i + t.size()])) continue;
      out.emplace(l, static_cast<uint32_t>(i));
    }
  }
  return out;
}

std::set<std::pair<uint32_t, uint32_t>> sieved(const LiteralSieve& sieve, std::string_view s,
                                               LiteralSieve::Path path = LiteralSieve::Path::best) {
  std::vector<LiteralSieve::Occurrence> occ;
  sieve.scan(s, occ, path);
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (const auto& o : occ) out.emplace(o.literal, o.begin);
  return out;
}

bool line_has_cover(const std::vector<Literal>& cover, const std::string& line) {
  LiteralSieve sieve(cover);
  return !sieved(sieve, line).empty();
}

}  // namespace

TEST_CASE("literal_cover: one rare word of a phrase, error codes, alternatives") {
  auto phrase = literal_cover("(?i)critical\\s+inconsistency\\s+was\\s+detected", 5);
  REQUIRE(phrase.size() == 1);
  CHECK(phrase[0].text == "inconsistency");  // rarer than "critical", "detected"

  // Every branch of an alternation needs its own literal.
  auto codes = literal_cover("(?i)(?:^|[^\\w])(?:0x)?(?:80070002|80070003)(?:$|[^\\w])", 5);
  CHECK(texts(codes) == std::vector<std::string>{"80070002", "80070003"});

  // A common log word is the last choice: "offline" rather than "progress:" or "failed".
  auto offline = literal_cover("(?i)Offline\\s+Backup\\s+Progress:\\s*Failed", 5);
  REQUIRE(offline.size() == 1);
  CHECK(offline[0].text == "offline");

  // Chinese text is caseless: its bytes can be folded like ASCII.
  auto zh = literal_cover("激活未成功完成", 5);
  CHECK(texts(zh) == std::vector<std::string>{fold("激活未成功完成")});
}

TEST_CASE("literal_cover: none without a long enough literal or with letters RE2 folds beyond ASCII") {
  CHECK(literal_cover("\\d+", 5).empty());
  CHECK(literal_cover("(?i)ID:\\s*403\\b", 5).empty());        // only short literals
  CHECK(literal_cover("(?:ab|cdefgh)", 5).empty());            // one branch is too short
  CHECK(literal_cover("(?i)ΣΦΑΛΜΑ\\s+δίσκου", 5).empty());    // Greek has case
  CHECK(literal_cover("x*", 5).empty());
}

TEST_CASE("literal_cover: word boundaries only where a boundary assertion stands next to a spot every match passes") {
  auto code = literal_cover("(?i)\\b0x0*1FC07\\b", 5);
  REQUIRE(code.size() == 1);
  CHECK(code[0].text == "1fc07");
  CHECK(code[0].word_end);
  CHECK_FALSE(code[0].word_start);  // "0x" stands before it, not \b

  auto whole = literal_cover("(?i)\\bSalLowDiskSpace\\b", 5);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].word_start);
  CHECK(whole[0].word_end);

  // Not in a regex with alternation (the spot may be in a branch not taken), not before a
  // quantifier, not inside a group.
  for (const char* re : {"(?i)\\b1FC07\\b|\\bother1FC07x", "1FC077*\\b", "(?:x1FC07)\\b",
                         "\\b1FC07[0-9]", "1FC07\\B"}) {
    INFO(re);
    for (const auto& l : literal_cover(re, 5)) {
      CHECK_FALSE(l.word_end);
    }
  }
}

TEST_CASE("every built-in regex's cover occurs in every line the regex matches") {
  PatternDb db = test::builtin_db();
  const std::vector<std::string> lines = test::sample_lines(db);
  size_t covered = 0, checked = 0;
  for (const Pattern& p : db.patterns) {
    auto cover = literal_cover(p.regex, LiteralSieve::kMinLength);
    if (cover.empty()) continue;
    ++covered;
    RE2 re(p.regex);
    for (const auto& line : lines) {
      if (!RE2::PartialMatch(line, re)) continue;
      ++checked;
      INFO(p.regex << "\n  line " << line);
      CHECK(line_has_cover(cover, line));
    }
  }
  // Nearly every pattern has a cover; the rest (`ID: 403`) goes through Vectorscan.
  CHECK(covered * 10 >= db.patterns.size() * 9);
  CHECK(checked >= covered);
}

TEST_CASE("atom formula: a candidate without the regex's other required atoms is turned away") {
  auto cover = literal_cover("(?i)\\bID:\\s*34513\\b", LiteralSieve::kMinLength);
  REQUIRE(cover.size() == 1);
  CHECK(cover[0].text == "34513");
  auto formula = atom_formula("(?i)\\bID:\\s*34513\\b");
  REQUIRE(formula);
  const AtomFormula& f = *formula;
  CHECK(f.may_match("Backup failed (ID: 34513)"));
  CHECK(f.may_match("BACKUP FAILED (id:34513)"));
  CHECK_FALSE(f.may_match("Enumerated 34513 USN records for volume D:"));
  CHECK_FALSE(f.may_match("Uploading 34513 RO entries"));
  // Asked again (the answer per set of atoms found is remembered): the same.
  CHECK_FALSE(f.may_match("Enumerated 34513 USN records for volume D:"));
  CHECK(f.may_match("ID: 34513"));

  // Either branch of an alternation may carry the match.
  auto alt = atom_formula("(?:Error|错误)\\s*100050\\b");
  REQUIRE(alt);
  CHECK(alt->may_match("错误 100050"));
  CHECK(alt->may_match("error 100050"));
  CHECK_FALSE(alt->may_match("in 100050 ms"));

  // An atom the byte fold cannot search for (Greek has case) counts as present.
  auto greek = atom_formula("(?i)ΣΦΑΛΜΑ\\s+0x80070005");
  REQUIRE(greek);
  CHECK(greek->may_match("xyz 0x80070005"));
  CHECK_FALSE(greek->may_match("xyz 0x80070006"));
  CHECK_FALSE(greek->may_match("xyz_0x80070005"));  // \s+ is required too

  // One atom: the sieve already found it, there is nothing left to test.
  CHECK_FALSE(atom_formula("(?i)inconsistency"));

  // An atom within the literal the sieve found is not searched for again.
  CHECK(f.may_match("34513", "id:"));
  CHECK_FALSE(f.may_match("34513", "other"));
  // The same as a set of atoms, worked out once per literal (the prefilter keeps it).
  const uint64_t in_id = f.atoms_in("(id:"), in_other = f.atoms_in("other");
  CHECK(in_id != 0);
  CHECK(in_other == 0);
  CHECK(f.may_match("34513", in_id));
  CHECK_FALSE(f.may_match("34513", in_other));
  CHECK(f.may_match("x ID: 34513", in_other));  // what the set lacks is searched for in the line

  // An or of single bytes (\s) next to words: decided as soon as the atoms found settle it,
  // either way, in whatever order they turn up.
  auto ws = atom_formula("(?i)alpha\\s+(?:beta|gamma)");
  REQUIRE(ws);
  CHECK(ws->may_match("alpha beta"));
  CHECK(ws->may_match("ALPHA\tGAMMA"));
  CHECK(ws->may_match("gamma-alpha\rx"));
  CHECK_FALSE(ws->may_match("alpha_beta"));     // no whitespace at all (nor what folds onto it)
  CHECK_FALSE(ws->may_match("alpha delta"));    // neither word after it
  CHECK_FALSE(ws->may_match("beta gamma"));     // no alpha
  CHECK(ws->may_match("alpha beta"));           // the same answers again, now remembered
  CHECK_FALSE(ws->may_match("alpha_beta"));
}

TEST_CASE("atom formula: atoms found at every offset of lines of every length, in any case") {
  // An AND of atoms (the early exit) and an OR of them (the remembered answers).
  auto both = atom_formula("(?i)abcdefgh.*zyxw\\b");
  auto either = atom_formula("(?i)(?:abcdefgh|zyxw)");
  REQUIRE(both);
  REQUIRE(either);
  for (size_t n = 0; n <= 80; ++n)
    for (size_t at = 0; at + 8 <= n; ++at) {
      std::string line(n, '.');
      line.replace(at, 8, at % 2 ? "ABCDEFGH" : "abcdefgh");
      INFO("length " << n << ", at " << at);
      CHECK_FALSE(both->may_match(line));
      if (n >= 12) {
        std::string with = line;
        with.replace(at >= 4 ? 0 : n - 4, 4, "ZyXw");
        CHECK(both->may_match(with) == (with.find("abcdefgh") != std::string::npos ||
                                        with.find("ABCDEFGH") != std::string::npos));
      }
      CHECK(either->may_match(line));
      line[at + 7] = 'x';  // a near miss in the last byte
      CHECK_FALSE(either->may_match(line));
    }
}

TEST_CASE("atom formula: every line a built-in regex matches passes its formula") {
  PatternDb db = test::builtin_db();
  const std::vector<std::string> lines = test::sample_lines(db);
  size_t formulas = 0, matched = 0, rejected = 0;
  for (const Pattern& p : db.patterns) {
    auto formula = atom_formula(p.regex);
    if (!formula) continue;
    ++formulas;
    RE2 re(p.regex);
    for (const auto& line : lines) {
      const bool matches = RE2::PartialMatch(line, re);
      const bool may = formula->may_match(line);
      INFO(p.regex << "\n  line " << line);
      if (matches) {
        ++matched;
        CHECK(may);
      }
      rejected += !may;
    }
  }
  CHECK(formulas >= 50);
  CHECK(matched >= formulas);
  CHECK(rejected > 0);
}

TEST_CASE("the sieve finds every occurrence at every offset, in any case, up to the block's ends") {
  std::vector<Literal> lits = {{"inconsistency"}, {"1fc07", false, true}, {"34513"},
                               {"abcde", true, false}, {"xyzzyx"}, {"0x80070005"}};
  LiteralSieve sieve(lits);
  for (const auto& lit : lits) {
    for (size_t pad = 0; pad < 2 * LiteralSieve::kStride + 1; ++pad) {
      std::string upper = lit.text;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return std::toupper(c); });
      for (const std::string& form : {lit.text, upper}) {
        std::string s = std::string(pad, '.') + form;  // ends at the block's last byte
        INFO(s);
        CHECK(sieved(sieve, s) == brute(lits, s));
        CHECK_FALSE(sieved(sieve, s).empty());
        s += std::string(pad, ' ');
        CHECK(sieved(sieve, s) == brute(lits, s));
        // Long enough for eight- and sixteen-position SIMD steps, the literal at every step offset.
        std::string longer = std::string(40 + pad, 'q') + form + std::string(40, 'q');
        CHECK(sieved(sieve, longer) == brute(lits, longer));
        CHECK(sieved(sieve, longer, LiteralSieve::Path::avx2) == brute(lits, longer));
        CHECK(sieved(sieve, longer, LiteralSieve::Path::scalar) == brute(lits, longer));
      }
    }
  }
  // Boundaries: 0x1FC070 is a near miss, (0x1FC07) a hit; xabcde is not a word start.
  CHECK(sieved(sieve, "id 0x1FC070 x").empty());
  CHECK(sieved(sieve, "id (0x1FC07) x").size() == 1);
  CHECK(sieved(sieve, "xabcde").empty());
  CHECK(sieved(sieve, "-abcde").size() == 1);
}

TEST_CASE("the sieve agrees with a brute-force search on random text") {
  std::vector<Literal> lits = {{"inconsistency"}, {"1fc07", false, true}, {"34513"},
                               {"abcab", true, true}, {"fold\x7f!"}, {fold("无法连接到")}};
  LiteralSieve sieve(lits);
  std::mt19937 rng(42);
  const std::vector<std::string> pieces = {"inconsistency", "INCONSISTENCY", "1fc07", "0x1FC070",
                                           "34513",         "3451",          "abcab", "abcabcab",
                                           "fold_!",        "无法连接到",    " ",     "\n",
                                           "a",             "x",             "5",     "_"};
  for (int round = 0; round < 400; ++round) {
    std::string s;
    for (int k = 0; k < 60; ++k) s += pieces[rng() % pieces.size()];
    INFO(s);
    auto truth = brute(lits, s);
    CHECK(sieved(sieve, s) == truth);
    // The paths below the best one, where the CPU has a better one.
    CHECK(sieved(sieve, s, LiteralSieve::Path::avx2) == truth);
    CHECK(sieved(sieve, s, LiteralSieve::Path::scalar) == truth);
  }
}

TEST_CASE("matcher: text with U+212A or U+017F, which RE2's (?i) folds onto k and s, is not sieved") {
  test::Loaded l = test::load_yaml(R"(
rules:
  - id: KELVIN
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: '(?i)kelvinsign'
      - regex: '(?i)longsfound'
    samples: ['kelvinsign']
    near_misses: ['x']
)");
  for (const auto& e : l.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(l.errors.empty());
  Matcher with(l.db), without(l.db, MatcherOptions{false, {}, {}, false});
  REQUIRE(with.unfiltered().empty());  // both patterns go through the sieve
  const std::string text =
      "plain kelvinsign\n"
      "\xE2\x84\xAA" "elvinsign written with U+212A\n"
      "long\xC5\xBF" "found with U+017F\n"
      "nothing here\n";
  auto a = test::scan_text(with, text, "s");
  auto b = test::scan_text(without, text, "s");
  CHECK(a == b);
  CHECK(a.size() == 3);
}
