// narrow_expression: the piece of `A[^\n]*B` given to the prefilter must be a superset of the
// whole regex (every line the regex matches, the piece matches too), and the matcher's results
// must not change with it.
#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "helpers.h"
#include "match/loader.h"
#include "match/prefilter.h"

using namespace marsscan;
using namespace marsscan::match;

namespace {

const char kFileContext[] =
    "(?i)(?:\\bfile\\s*[(:\\[]|\\b(?:on|for|of)\\s+file\\b)[^\\n]*(?:\\b0x(?:80070005)\\b|HRESULT\\s*[:=]?\\s*(?:80070005)\\b)";
const char kHr[] = "(?i)Hr:\\s*=\\s*\\[0x(?:80070005)\\][^\\n]*(?:\\bfile\\s*[(:\\[]|\\b(?:on|for|of)\\s+file\\b)";

}  // namespace

TEST_CASE("narrow_expression keeps the piece with the error code, and the leading flags") {
  CHECK(narrow_expression(kFileContext) ==
        "(?i)(?:\\b0x(?:80070005)\\b|HRESULT\\s*[:=]?\\s*(?:80070005)\\b)");
  CHECK(narrow_expression(kHr) == "(?i)Hr:\\s*=\\s*\\[0x(?:80070005)\\]");
  CHECK(narrow_expression("(?i)(?:offline|import)[^\\n]*\\b0x80780054\\b") == "(?i)\\b0x80780054\\b");
  CHECK(narrow_expression("Agent[^\\n]{0,300}status:\\s*1612\\b") == "status:\\s*1612\\b");
  CHECK(narrow_expression("Agent.*?status 1612") == "status 1612");
  CHECK(narrow_expression("(?i)ab 2024.*x 12345") == "(?i)x 12345");  // the longer run wins
}

TEST_CASE("narrow_expression leaves a regex alone when a piece would not be a safe superset") {
  // Top-level alternation: one piece is not a superset of the other branch.
  CHECK(narrow_expression("a[^\\n]*80070005|b") == "a[^\\n]*80070005|b");
  // An inner flag group changes how later text reads.
  CHECK(narrow_expression("a[^\\n]*(?i)80070005") == "a[^\\n]*(?i)80070005");
  // No run of 4 literal digits: digits in {m,n}, escapes and classes do not count.
  CHECK(narrow_expression("MSOnlineBackup[^\\n]{0,300}failed") == "MSOnlineBackup[^\\n]{0,300}failed");
  CHECK(narrow_expression("a[^\\n]*\\x31\\x32[0-9]{4}") == "a[^\\n]*\\x31\\x32[0-9]{4}");
  CHECK(narrow_expression("id 123[^\\n]*x") == "id 123[^\\n]*x");
  // Cuts inside a group are not top-level.
  CHECK(narrow_expression("(?:a[^\\n]*80070005)") == "(?:a[^\\n]*80070005)");
  // No cut at all.
  CHECK(narrow_expression("ID: 34513") == "ID: 34513");
}

TEST_CASE("every narrowed built-in regex matches every line its whole regex matches") {
  PatternDb db = test::builtin_db();
  const std::vector<std::string> lines = test::sample_lines(db);
  size_t narrowed = 0, checked = 0;
  for (const Pattern& p : db.patterns) {
    std::string n = narrow_expression(p.regex);
    if (n == p.regex) continue;
    ++narrowed;
    RE2 whole(p.regex), piece(n);
    REQUIRE(whole.ok());
    REQUIRE(piece.ok());
    for (const auto& line : lines) {
      if (!RE2::PartialMatch(line, whole)) continue;
      ++checked;
      INFO(p.regex << "\n  narrowed to " << n << "\n  line " << line);
      CHECK(RE2::PartialMatch(line, piece));
    }
  }
  CHECK(narrowed >= 8);  // the HRESULT file-context and 1612/0x80780054 forms
  CHECK(checked >= narrowed);
}

TEST_CASE("matching with narrowed prefilter pieces equals matching without the prefilter") {
  auto l = test::load_yaml(std::string(R"Y(rules:
  - id: R0
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: ')Y") + kFileContext + R"Y('
      - regex: ')Y" + kHr + R"Y('
    samples: ["Failed: Hr: = [0x80070005] BackupRead failed on file(D:\\x)"]
    near_misses: ["Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\x)"]
)Y");
  REQUIRE(l.errors.empty());
  // Code without file context, file context without code, both, both on different lines,
  // CRLF, and the code before the context (only the Hr form matches).
  std::string text =
      "Failed: Hr: = [0x80070005] BackupRead failed on file(D:\\a)\n"
      "Failed: Hr: = [0x8000ffff] BackupRead failed on file(D:\\b)\n"
      "error 0x80070005 in Initialize Storage\n"
      "open file: D:\\c\r\n"
      "HRESULT = 80070005\n"
      "open file: D:\\c HRESULT = 80070005\r\n"
      "for file D:\\d returned 0x80070005\n"
      "0x80070005 for file D:\\e\n"
      "Hr: = [0x80070005] then on file\n";
  Matcher with(l.db), without(l.db, MatcherOptions{false});
  auto a = test::scan_text(with, text), b = test::scan_text(without, text);
  CHECK(a == b);
  std::vector<uint64_t> lines;
  for (const auto& h : a) lines.push_back(h.line);
  CHECK(lines == std::vector<uint64_t>{1, 6, 7, 9});
}

TEST_CASE("identical prefilter expressions are compiled once and still report every pattern") {
  // Patterns 0 and 2 are the same regex; pattern 1 narrows to the same piece as pattern 3.
  auto l = test::load_yaml(R"Y(rules:
  - id: R0
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: 'ID: 34513'
      - regex: 'vault[^\n]*ID: 34513'
    samples: ["x ID: 34513"]
    near_misses: ["y"]
  - id: R1
    severity: error
    title: { en: t }
    source: s
    triggers:
      - regex: 'ID: 34513'
      - regex: 'agent[^\n]*ID: 34513'
    samples: ["x ID: 34513"]
    near_misses: ["y"]
)Y");
  REQUIRE(l.errors.empty());
  REQUIRE(l.db.patterns.size() == 4);
  std::string text = "ID: 34513\nvault ID: 34513\nagent ID: 34513\nvault agent ID: 34513\nID: 3451\n";
  Matcher with(l.db), without(l.db, MatcherOptions{false});
  auto a = test::scan_text(with, text);
  CHECK(a == test::scan_text(without, text));
  REQUIRE(a.size() == 4);
  CHECK(a[0].patterns == std::vector<int>{0, 2});
  CHECK(a[1].patterns == std::vector<int>{0, 1, 2});
  CHECK(a[2].patterns == std::vector<int>{0, 2, 3});
  CHECK(a[3].patterns == std::vector<int>{0, 1, 2, 3});
}
