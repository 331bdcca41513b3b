// records::read_leaf over an in-memory leaf: format sniffing, then whichever parser the
// sniff picks (text, EVTX, XML, CSV, JSON), in any text encoding.
#include <string>

#include "fuzz_support.h"
#include "records/reader.h"

using namespace marsscan;

namespace {

struct Sink : records::RecordSink {
  uint64_t lines = 0, events = 0;
  void on_text(std::string_view, const input::TextBlock& block, records::YearResolver& years) override {
    FUZZ_CHECK(!block.data.empty() && block.data.back() == '\n');
    lines += block.lines;
    std::string_view rest = block.data;
    for (uint64_t k = 0; k < block.lines; ++k) {
      const size_t nl = rest.find('\n');
      FUZZ_CHECK(nl != std::string_view::npos);
      (void)records::make_line_record("leaf", block.first_line + k, rest.substr(0, nl), years);
      rest.remove_prefix(nl + 1);
    }
  }
  void on_event(const records::Record& r) override {
    FUZZ_CHECK(r.kind == records::RecordKind::Event && r.event != nullptr);
    ++events;
  }
  void on_error(const input::InputError& e) override { FUZZ_CHECK(e.source == "fuzz.log"); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  fuzz::MemReader reader(data, 1 + bytes[0] * 257);
  input::Leaf leaf{"fuzz.log", "fuzz.log", 1700000000, std::nullopt, &reader};
  records::ReadOptions options;
  options.max_line = 64 + bytes[0] * 8;   // small, so over-long lines are cut often
  options.max_evtx_bytes = 1 << 20;
  options.recover = bytes[0] & 1;
  Sink sink;
  const records::ReadStats stats = records::read_leaf(leaf, options, sink);
  FUZZ_CHECK(stats.bytes <= data.size());
  FUZZ_CHECK(stats.records == sink.lines + sink.events);
  return 0;
}
