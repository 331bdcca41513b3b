#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "helpers.h"
#include "match/groups.h"

using namespace marsscan::match;

namespace {

// The value RE2 gives when asked directly, which the reader must reproduce.
std::string direct(const PatternDb& db, int pattern, const std::string& text, const std::string& name) {
  const RE2* re = db.patterns[static_cast<size_t>(pattern)].re.get();
  auto it = re->NamedCapturingGroups().find(name);
  if (it == re->NamedCapturingGroups().end()) return {};
  std::vector<re2::StringPiece> sub(static_cast<size_t>(it->second) + 1);
  if (!re->Match(text, 0, text.size(), RE2::UNANCHORED, sub.data(), static_cast<int>(sub.size()))) return {};
  return std::string(sub.back().data(), sub.back().size());
}

PatternDb db_of(const std::vector<std::string>& regexes) {
  PatternDb db;
  for (const auto& r : regexes) {
    Pattern p;
    p.regex = r;
    p.re = LazyRegex(r, 8 << 20);
    db.patterns.push_back(std::move(p));
  }
  return db;
}

}  // namespace

TEST_CASE("GroupReader gives RE2's captures, remembered or not", "[groups]") {
  PatternDb db = db_of({
      R"(Backup\s+Progress:\s*(?P<phase>[A-Za-z][A-Za-z ]*?)\s+started\b)",
      // The same matched bytes capture differently depending on the byte before them.
      R"(\b(?P<phase>a)b|a(?P<other>b))",
      R"(^(?P<state>\d+)$|state\s*:\s*(?P<other>\d+))",
  });
  GroupReader reader(db);
  const std::vector<std::pair<int, std::string>> lines = {
      {0, "t1\tNORMAL\tBackup Progress: Data transfer started."},
      {0, "t2\tNORMAL\tBackup Progress: Data transfer started."},   // remembered
      {0, "t2\tNORMAL\tBackup  Progress:Snapshot started"},
      {0, "Backup Progress: Data transfer startedx"},                  // no \b: no match
      {0, "Backup Progress: Data transfer started"},                   // match at the text's end
      {1, "xab"}, {1, " ab"}, {1, "xab"}, {1, "ab"},
      {2, "42"}, {2, "state: 42"}, {2, "x42"},
  };
  for (int round = 0; round < 2; ++round)
    for (const auto& [p, text] : lines)
      for (const char* name : {"phase", "state", "other", "missing"}) {
        INFO(text << " / " << name);
        CHECK(std::string(reader.group(p, text, name)) == direct(db, p, text, name));
        // Told where the regex matched (as the matcher says), the same.
        const RE2* re = db.patterns[static_cast<size_t>(p)].re.get();
        re2::StringPiece span;
        if (re->Match(text, 0, text.size(), RE2::UNANCHORED, &span, 1)) {
          auto b = static_cast<uint32_t>(span.data() - text.data());
          Where w{b, b + static_cast<uint32_t>(span.size())};
          CHECK(std::string(reader.group(p, text, name, w)) == direct(db, p, text, name));
        }
      }
  CHECK(reader.group(0, lines[0].second, "phase") == "Data transfer");
  CHECK(reader.group(1, " ab", "phase") == "a");
  CHECK(reader.group(1, "xab", "phase").empty());
  CHECK(reader.group(1, "xab", "other") == "b");
  CHECK(reader.group(7, "anything", "phase").empty());  // no such pattern
}

TEST_CASE("GroupReader agrees with RE2 on the built-in markers' samples", "[groups]") {
  PatternDb db = test::builtin_db();
  GroupReader reader(db);
  size_t read = 0;
  for (const auto& m : db.markers) {
    if (m.pattern < 0) continue;
    for (const auto& line : test::sample_lines(db))
      for (const char* name : {"phase", "state"}) {
        std::string want = direct(db, m.pattern, line, name);
        CHECK(std::string(reader.group(m.pattern, line, name)) == want);
        read += !want.empty();
      }
  }
  CHECK(read > 0);
}
