// The EVTX path: libevtx through records::parse_evtx from memory. Recovered records are left
// out: on some of them libevtx allocates without end (regressions/evtx-recovered-runaway.evtx),
// which no in-process harness survives; marsscan guards that path with --max-memory (an
// address-space limit, tested end to end in tests/e2e/test_hostile.py). Byte 0 is kept as the
// flag byte so existing corpora stay valid.
#include <string>

#include "fuzz_support.h"
#include "records/events.h"

using namespace marsscan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  records::parse_evtx(
      data, false,
      [](records::Event&& ev) {
        FUZZ_CHECK(ev.format == "evtx");
        (void)ev.text();
      },
      [](const std::string& message) { FUZZ_CHECK(!message.empty()); });
  return 0;
}
