// One body for the three event-export harnesses: the parser runs over the input in uneven
// chunks with part of it given as the sniffed head, and every event it emits is touched.
#pragma once
#include <string>

#include "fuzz_support.h"
#include "records/events.h"

namespace marsscan::fuzz {

template <typename Parse>
int run_export(const uint8_t* bytes, size_t size, Parse parse) {
  if (size < 1) return 0;
  const size_t chunk = 1 + bytes[0] * 31;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  MemReader reader(data, chunk);
  std::string head(std::min<size_t>(data.size(), bytes[0] * 2), '\0');
  head.resize(reader.read(head.data(), head.size()));
  size_t events = 0;
  parse(reader, std::move(head),
        [&](records::Event&& ev) {
          ++events;
          const std::string text = ev.text();
          FUZZ_CHECK(text.size() >= ev.message.size());
        },
        [&](const std::string& message) { FUZZ_CHECK(!message.empty()); });
  return 0;
}

}  // namespace marsscan::fuzz
