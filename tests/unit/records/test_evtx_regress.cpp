// Regressions found by tests/fuzz/fuzz_evtx. A file cut inside its 4 KiB header made
// libbfio read past the end of the buffer (ASan heap-buffer-overflow); it is now refused
// with one error. Every prefix length below the header is tried, in a buffer of exactly
// that size so that the sanitizer build sees any overread.
#include <catch2/catch.hpp>

#include <memory>

#include "records/events.h"
#include "test_event_support.h"

using namespace evtest;

TEST_CASE("evtx regress: a file shorter than its header is one clear error", "[events][evtx][fuzz]") {
  const std::string whole = slurp(std::filesystem::path(MARSSCAN_SHARED_DIR) / "evtx-samples" /
                                  "Bits-Client-Operational_BITS-job-created.evtx");
  REQUIRE(whole.size() > 4096);
  for (size_t n : {size_t{0}, size_t{8}, size_t{128}, size_t{3804}, size_t{4095}}) {
    INFO("prefix of " << n << " bytes");
    auto exact = std::make_unique<char[]>(n + 1);
    std::copy_n(whole.data(), n, exact.get());
    std::vector<std::string> errors;
    size_t events = 0;
    marsscan::records::parse_evtx(std::string_view(exact.get(), n), false,
                                  [&](Event&&) { ++events; },
                                  [&](const std::string& m) { errors.push_back(m); });
    CHECK(events == 0);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("shorter than the 4096-byte file header") != std::string::npos);
  }
  // A header with the first chunk cut short still reads, with the cut reported.
  std::vector<std::string> errors;
  size_t events = 0;
  marsscan::records::parse_evtx(std::string_view(whole).substr(0, 4200), false,
                                [&](Event&&) { ++events; },
                                [&](const std::string& m) { errors.push_back(m); });
  REQUIRE(!errors.empty());
  CHECK(errors[0].find("cut short") != std::string::npos);
}
