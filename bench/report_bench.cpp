// Analysis and report rendering: matches in, a finished report out, rendered as JSON and text. The
// corpus has a high error density (200 per MiB) so that the analysis has work to do.
#include <benchmark/benchmark.h>

#include <sstream>

#include "analysis/analyzer.h"
#include "bench_db.h"
#include "corpus.h"
#include "report/render.h"

namespace {

using namespace marsscan;

const std::string& text() {
  static const std::string s = bench::errlog_corpus(1u << 20, 200.0);
  return s;
}

analysis::Report analyse() {
  analysis::Analyzer a(bench::database());
  a.begin_input("bench.errlog", 0);
  input::TextBlock block;
  block.data = text();
  records::YearResolver years(records::TimeContext{2024, {}, 0});
  bench::matcher(true).scan("bench.errlog", block, years, [&](const match::Match& m) { a.add(m); });
  a.count(1, 0, text().size());
  return a.finish();
}

void BM_ScanAndAnalyse(benchmark::State& state) {
  for (auto _ : state) {
    analysis::Report r = analyse();
    benchmark::DoNotOptimize(r.findings.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text().size()));
}
BENCHMARK(BM_ScanAndAnalyse)->Unit(benchmark::kMillisecond);

template <void (*Render)(const analysis::Report&, const report::RenderOptions&, std::ostream&)>
void BM_Render(benchmark::State& state) {
  static const analysis::Report r = analyse();
  report::RenderOptions o;
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    Render(r, o, out);
    bytes = out.str().size();
  }
  state.counters["output_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render<report::render_json>)->Name("BM_RenderJson")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Render<report::render_text>)->Name("BM_RenderText")->Unit(benchmark::kMicrosecond);

}  // namespace
