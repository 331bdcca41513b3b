// The EVTX path: libevtx through records::parse_evtx from memory, both with and without
// recovered records (byte 0 chooses).
#include <string>

#include "fuzz_support.h"
#include "records/events.h"

using namespace marsscan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  records::parse_evtx(
      data, bytes[0] & 1,
      [](records::Event&& ev) {
        FUZZ_CHECK(ev.format == "evtx");
        (void)ev.text();
      },
      [](const std::string& message) { FUZZ_CHECK(!message.empty()); });
  return 0;
}
