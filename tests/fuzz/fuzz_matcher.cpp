// The matcher over fuzzed text with the built-in database: Vectorscan prefilter + RE2
// confirmation on blocks from TextReader. Byte 0 bit 0 turns the prefilter off for half of
// the runs; both modes must agree on which lines match (matcher.h promises identical results).
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "input/text.h"
#include "match/loader.h"
#include "match/matcher.h"

using namespace marsscan;

namespace {

const match::PatternDb& database() {
  static const match::PatternDb db = [] {
    std::vector<match::LoadError> errors;
    match::PatternDb d = match::load_database(match::LoadOptions{}, errors);
    if (!errors.empty()) fuzz::fail("the built-in database does not load");
    return d;
  }();
  return db;
}

// (line, pattern) pairs the matcher reports, in order.
std::vector<std::pair<uint64_t, int>> scan(const match::Matcher& m, std::string_view data) {
  std::vector<std::pair<uint64_t, int>> hits;
  fuzz::MemReader reader(data, 1000);
  input::TextReader text(reader, {}, 256);
  records::YearResolver years(records::TimeContext{2022, std::nullopt, 0});
  input::TextBlock block;
  while (text.next(block)) {
    m.scan("Temp/CBEngineCurr.errlog", block, years, [&](const match::Match& x) {
      FUZZ_CHECK(x.record != nullptr);
      FUZZ_CHECK(x.record->line >= block.first_line && x.record->line < block.first_line + block.lines);
      for (int p : x.patterns) hits.emplace_back(x.record->line, p);
    });
  }
  std::sort(hits.begin(), hits.end());  // the order of patterns within a line is not promised
  return hits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  static const match::Matcher with(database(), match::MatcherOptions{});
  static const match::Matcher without(database(), [] {
    match::MatcherOptions o;
    o.prefilter = false;
    return o;
  }());
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  auto a = scan(with, data);
  if (size && (bytes[0] & 1)) {
    auto b = scan(without, data);
    FUZZ_CHECK(a == b);
  }
  return 0;
}
