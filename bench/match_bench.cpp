// The match stage per MiB: the Vectorscan prefilter alone, and the full matcher (prefilter plus RE2
// confirmation plus record construction for the matching lines) with every pattern (report; job
// markers match a third of the lines), prefilter on and off, and with the triggers only (grep).
#include <benchmark/benchmark.h>

#include "bench_db.h"
#include "corpus.h"
#include "match/matcher.h"
#include "match/prefilter.h"

namespace {

using namespace marsscan;

constexpr size_t kBytes = 4u << 20;

const std::string& text() {
  static const std::string s = bench::errlog_corpus(kBytes);
  return s;
}

void BM_PrefilterScan(benchmark::State& state) {
  const match::PatternDb& db = bench::database();
  static const match::Prefilter* pf = [&] {
    std::vector<int> all;
    for (size_t i = 0; i < db.patterns.size(); ++i) all.push_back(static_cast<int>(i));
    return new match::Prefilter(db, all);
  }();
  auto scratch = pf->new_scratch();
  std::vector<match::Prefilter::Hit> hits;
  for (auto _ : state) {
    hits.clear();
    pf->scan(text(), *scratch, hits);
    benchmark::DoNotOptimize(hits.data());
  }
  state.counters["candidates"] = static_cast<double>(hits.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text().size()));
}
BENCHMARK(BM_PrefilterScan)->Unit(benchmark::kMillisecond);

void matcher_scan(benchmark::State& state, const match::Matcher& m) {
  input::TextBlock block;
  block.data = text();
  block.first_line = 1;
  uint64_t matched = 0;
  match::MatchFn fn = [&](const match::Match&) { ++matched; };
  for (auto _ : state) {
    matched = 0;
    records::YearResolver years(records::TimeContext{2024, {}, 0});
    m.scan("bench.errlog", block, years, fn);
  }
  state.counters["matched_lines"] = static_cast<double>(matched);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text().size()));
}

void BM_MatcherScan(benchmark::State& state) { matcher_scan(state, bench::matcher(true)); }
void BM_MatcherScanNoPrefilter(benchmark::State& state) { matcher_scan(state, bench::matcher(false)); }
void BM_MatcherScanTriggers(benchmark::State& state) { matcher_scan(state, bench::trigger_matcher()); }
BENCHMARK(BM_MatcherScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatcherScanTriggers)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatcherScanNoPrefilter)->Unit(benchmark::kMillisecond);

}  // namespace
