// Decoding and line splitting: the input stage's hot path per MiB.
#include <benchmark/benchmark.h>

#include <cstring>

#include "corpus.h"
#include "input/text.h"

namespace {

using namespace marsscan;

constexpr size_t kBytes = 4u << 20;

const std::string& utf8() {
  static const std::string s = bench::errlog_corpus(kBytes);
  return s;
}
const std::string& utf16() {
  static const std::string s = bench::to_utf16le(utf8());
  return s;
}

// A leaf held in memory, handed out in reads of at most 1 MiB like a file.
class MemReader : public input::ByteReader {
 public:
  explicit MemReader(const std::string& s) : s_(s) {}
  size_t read(char* buf, size_t n) override {
    n = std::min(n, s_.size() - pos_);
    std::memcpy(buf, s_.data() + pos_, n);
    pos_ += n;
    return n;
  }
 private:
  const std::string& s_;
  size_t pos_ = 0;
};

void BM_Utf16ToUtf8(benchmark::State& state) {
  const std::string& in = utf16();
  std::string out;
  for (auto _ : state) {
    out.clear();
    size_t used = input::utf16_to_utf8(in, false, out);
    benchmark::DoNotOptimize(used);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Utf16ToUtf8);

// TextReader: reads, (decodes,) splits into blocks of whole lines and numbers them.
void text_reader(benchmark::State& state, const std::string& in) {
  uint64_t lines = 0;
  for (auto _ : state) {
    MemReader r(in);
    input::TextReader text(r, std::string());
    input::TextBlock block;
    lines = 0;
    while (text.next(block)) lines += block.lines;
    benchmark::DoNotOptimize(lines);
  }
  state.counters["lines"] = static_cast<double>(lines);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
void BM_TextReaderUtf8(benchmark::State& state) { text_reader(state, utf8()); }
void BM_TextReaderUtf16(benchmark::State& state) { text_reader(state, utf16()); }
BENCHMARK(BM_TextReaderUtf8);
BENCHMARK(BM_TextReaderUtf16);

// The floor for line splitting: one memchr per line over the same text.
void BM_MemchrLines(benchmark::State& state) {
  const std::string& in = utf8();
  for (auto _ : state) {
    uint64_t n = 0;
    for (const char* p = in.data(), *e = p + in.size();
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)))); ++p)
      ++n;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_MemchrLines);

}  // namespace
