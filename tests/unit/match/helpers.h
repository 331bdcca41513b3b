// Shared by the match tests: a database from inline YAML, and scanning text with a Matcher.
#pragma once
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "input/text.h"
#include "match/loader.h"
#include "match/matcher.h"
#include "records/errlog.h"

namespace marsscan::match::test {

struct Loaded {
  PatternDb db;
  std::vector<LoadError> errors;
};

inline Loaded load_yaml(const std::string& yaml, const std::string& name = "t.yaml") {
  PatternLoader loader(LoadOptions{false, {}, 8 << 20});
  loader.add_file(name, yaml);
  Loaded out;
  out.db = loader.finish();
  out.errors = loader.errors();
  return out;
}

// The built-in database, as marsscan loads it; the test stops if it does not load cleanly.
inline PatternDb builtin_db() {
  std::vector<LoadError> errors;
  PatternDb db = load_database(LoadOptions{}, errors);
  for (const auto& e : errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(errors.empty());
  return db;
}

// Lines the built-in regexes are written to match or to miss: every rule's samples and near
// misses, and its causes' samples.
inline std::vector<std::string> sample_lines(const PatternDb& db) {
  std::vector<std::string> lines;
  for (const Rule& r : db.rules) {
    lines.insert(lines.end(), r.samples.begin(), r.samples.end());
    lines.insert(lines.end(), r.near_misses.begin(), r.near_misses.end());
    for (const Cause& c : r.causes) lines.insert(lines.end(), c.samples.begin(), c.samples.end());
  }
  return lines;
}

// One matched line: its number, text, kind and the patterns it matched.
struct Hit {
  uint64_t line;
  std::string text;
  records::RecordKind kind;
  std::vector<int> patterns;
  bool operator==(const Hit&) const = default;
};

inline std::vector<Hit> scan_text(const Matcher& m, const std::string& text,
                                  const std::string& source = "CBEngineCurr.errlog",
                                  uint64_t first_line = 1) {
  input::TextBlock block;
  block.data = text;
  block.first_line = first_line;
  for (char c : text) block.lines += c == '\n';
  records::YearResolver years(records::TimeContext{2024, {}, 0});
  std::vector<Hit> out;
  m.scan(source, block, years, [&](const Match& match) {
    out.push_back({match.record->line, std::string(match.record->text), match.record->kind,
                   {match.patterns.begin(), match.patterns.end()}});
  });
  return out;
}

}  // namespace marsscan::match::test
