// The JSON event-export parser (records::parse_event_json) over arbitrary UTF-8.
#include "fuzz_event_export.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  return marsscan::fuzz::run_export(bytes, size, marsscan::records::parse_event_json);
}
